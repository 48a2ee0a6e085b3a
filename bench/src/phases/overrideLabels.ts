import { isDeepStrictEqual } from 'node:util';
import { measureAlternating } from '../load/measureAlternating';
import type { AlternatingOptions, TargetSummary } from '../load/measureAlternating';
import type { BenchChild } from '../processes/startChild';
import { NESTED_USERS_QUERY, graphqlTarget, postGraphql } from '../queries';
import { roundRatios, spread } from '../stats';
import type { Spread } from '../stats';

export interface OverrideLabelsResult {
  users: number;
  /** Ours on the label-free supergraph: the same plan with no label to evaluate. */
  withoutLabels: TargetSummary;
  /** Ours on the committed supergraph, the `movies` migration at 100 %: the label is evaluated per request. */
  withLabels: TargetSummary;
  /** With labels ÷ without, RPS per round: 1 means label evaluation costs nothing. */
  rpsRatio: Spread;
}

/**
 * Part 1b: the nested query (its `movie { title genres }` are migrated fields) through our
 * gateway with the `migration:movies` label active against the same gateway and query on a
 * supergraph without labels, alternating: the cost of evaluating labels and keying plans by them.
 */
export async function measureOverrideLabels(
  deps: { withoutLabels: BenchChild; withLabels: BenchChild },
  options: AlternatingOptions,
): Promise<OverrideLabelsResult> {
  const [plain, labelled] = await Promise.all(
    [deps.withoutLabels, deps.withLabels].map((gateway) =>
      postGraphql<{ users: unknown[] }>(gateway.url, NESTED_USERS_QUERY),
    ),
  );
  if (!plain?.body.data || !labelled?.body.data || labelled.body.errors) {
    throw new Error(`the nested query failed: ${JSON.stringify(labelled?.body).slice(0, 300)}`);
  }
  if (!isDeepStrictEqual(plain.body.data, labelled.body.data)) {
    throw new Error('the labelled and the label-free gateway answered different data');
  }
  const measured = await measureAlternating(
    [
      {
        id: 'without-labels',
        load: graphqlTarget(deps.withoutLabels.url, NESTED_USERS_QUERY, 'users'),
        cpu: { gateway: [deps.withoutLabels] },
      },
      {
        id: 'with-labels',
        load: graphqlTarget(deps.withLabels.url, NESTED_USERS_QUERY, 'users'),
        cpu: { gateway: [deps.withLabels] },
      },
    ],
    options,
  );
  const withoutLabels = measured['without-labels'] as TargetSummary;
  const withLabels = measured['with-labels'] as TargetSummary;
  return {
    users: plain.body.data.users.length,
    withoutLabels,
    withLabels,
    rpsRatio: spread(roundRatios(withLabels.rps.rounds, withoutLabels.rps.rounds)),
  };
}
