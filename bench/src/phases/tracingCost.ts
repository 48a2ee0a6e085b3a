import { setTimeout as sleep } from 'node:timers/promises';
import { isDeepStrictEqual } from 'node:util';
import { measureAlternating } from '../load/measureAlternating';
import type { AlternatingOptions, TargetSummary } from '../load/measureAlternating';
import type { BenchChild } from '../processes/startChild';
import { NESTED_USERS_QUERY, graphqlTarget, postGraphql } from '../queries';
import { roundRatios, spread } from '../stats';
import type { Spread } from '../stats';

/** The sampling ratios part 1c measures, besides tracing off. */
export const TRACED_RATIOS = { sampled100: 1, sampled1: 0.01 } as const;
export type TracedVariant = keyof typeof TRACED_RATIOS;

const EXPORT_PERIOD_MS = 5_000;

/**
 * Rounds of part 1c in a full run. The 1 % target's margin (2 %) is inside one round's noise
 * (per-round ratios from 0.84 to 1.49 in runs of five), so the median is taken over more of them.
 */
export const TRACING_ROUNDS = 11;

/** Part 1c's rounds: more than the other parts' in a full run, as many in a quick one. */
export function tracingRounds(rounds: number, quick: boolean): number {
  return quick ? rounds : Math.max(rounds, TRACING_ROUNDS);
}

/** What a traced gateway did with its spans over the part, from its own /metrics. */
export interface SpanCounts {
  exported: number;
  dropped: number;
}

export interface TracingCostResult {
  users: number;
  /** No SDK registered (OTEL_SDK_DISABLED): what every other part measures. */
  off: TargetSummary;
  sampled1: TargetSummary;
  sampled100: TargetSummary;
  /** Gateway CPU ms per request, traced ÷ off, per round. */
  cpuRatio: Record<TracedVariant, Spread>;
  spans: Record<TracedVariant, SpanCounts>;
}

/** The OTEL_* variables of a traced gateway child: parent-based ratio sampling, Zipkin export. */
export function tracingEnv(ratio: number, spansEndpoint: string): NodeJS.ProcessEnv {
  return {
    OTEL_SDK_DISABLED: 'false',
    TRACING: 'on',
    OTEL_EXPORTER_ZIPKIN_ENDPOINT: spansEndpoint,
    OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
    OTEL_TRACES_SAMPLER_ARG: String(ratio),
  };
}

async function spanCounts(gateway: BenchChild): Promise<SpanCounts> {
  const metrics = await (await fetch(`${gateway.info.base}/metrics`)).text();
  const read = (pattern: RegExp) =>
    [...metrics.matchAll(pattern)].reduce((sum, match) => sum + Number(match[1]), 0);
  return {
    exported: read(/^tracing_spans_exported_total (\d+)/gm),
    dropped: read(/^tracing_spans_dropped_total\{[^}]*\} (\d+)/gm),
  };
}

/**
 * Part 1c: the nested query through our gateway (in-flight dedup off, so every request runs
 * its whole plan and makes every span) with tracing off, sampled at 1 % and at 100 %,
 * alternating: what tracing costs the gateway in CPU per request and in latency.
 */
export async function measureTracingCost(
  deps: { off: BenchChild } & Record<TracedVariant, BenchChild>,
  options: AlternatingOptions,
): Promise<TracingCostResult> {
  const answers = await Promise.all(
    [deps.off, deps.sampled1, deps.sampled100].map((gateway) =>
      postGraphql<{ users: unknown[] }>(gateway.url, NESTED_USERS_QUERY),
    ),
  );
  const [first] = answers;
  if (!first?.body.data || answers.some((a) => !isDeepStrictEqual(a?.body, first.body))) {
    throw new Error('the traced and untraced gateways answered the nested query differently');
  }
  const target = (id: string, gateway: BenchChild) => ({
    id,
    load: graphqlTarget(gateway.url, NESTED_USERS_QUERY, 'users'),
    cpu: { gateway: [gateway] },
  });
  const measured = await measureAlternating(
    [
      target('off', deps.off),
      target('sampled1', deps.sampled1),
      target('sampled100', deps.sampled100),
    ],
    options,
  );
  const off = measured.off as TargetSummary;
  const sampled1 = measured.sampled1 as TargetSummary;
  const sampled100 = measured.sampled100 as TargetSummary;
  const cpuRatio = (traced: TargetSummary) =>
    spread(
      roundRatios(
        traced.cpuMsPerRequest.gateway?.rounds ?? [],
        off.cpuMsPerRequest.gateway?.rounds ?? [],
      ),
    );
  // One export period (OTEL_BSP_SCHEDULE_DELAY, 5 s), so the counts say what was exported or
  // dropped, not what was still queued.
  await sleep(EXPORT_PERIOD_MS + 1_000);
  return {
    users: first.body.data.users.length,
    off,
    sampled1,
    sampled100,
    cpuRatio: { sampled1: cpuRatio(sampled1), sampled100: cpuRatio(sampled100) },
    spans: {
      sampled1: await spanCounts(deps.sampled1),
      sampled100: await spanCounts(deps.sampled100),
    },
  };
}
