import { setTimeout as sleep } from 'node:timers/promises';
import type { Pool } from '@cinemaabyss/shared/db';
import { measureAlternating } from '../load/measureAlternating';
import type { AlternatingOptions, TargetSummary } from '../load/measureAlternating';
import type { LoadTarget } from '../load/runLoad';
import type { BenchChild } from '../processes/startChild';
import { roundRatios, spread } from '../stats';
import type { Spread } from '../stats';

/**
 * The offered loads: well below what each surface serves on 2 cores, so queueing does not
 * decide. The varied GraphQL workload saturates our gateway near 250 requests/s, and shadowing
 * nearly every query doubles its backend work: 60 leaves room for both.
 */
export const SHADOW_RATE = {
  rest: { full: 300, quick: 200 },
  graphql: { full: 60, quick: 40 },
} as const;

export type ShadowSurface = keyof typeof SHADOW_RATE;

const SHADOW_RESULTS = ['match', 'mismatch', 'noise', 'error', 'skipped'] as const;

export interface ShadowCostResult {
  /** Requests per second offered, the same with shadow off and on. */
  rate: number;
  /** Which side served: the shadow calls went to the other. */
  servedBy: string;
  off: TargetSummary;
  on: TargetSummary;
  /** Client p50 / p99 with every eligible request shadowed ÷ with none, per round. */
  p50Ratio: Spread;
  p99Ratio: Spread;
  /** Gateway CPU ms per client request, shadow on ÷ off, per round. */
  cpuRatio: Spread;
  /** What the surface's comparisons came to over the part, from the gateway's /metrics. */
  comparisons: Record<(typeof SHADOW_RESULTS)[number], number>;
}

async function comparisons(
  gateway: BenchChild,
  surface: ShadowSurface,
): Promise<ShadowCostResult['comparisons']> {
  const metrics = await (await fetch(`${gateway.info.base}/metrics`)).text();
  const count = (result: string) =>
    [
      ...metrics.matchAll(
        new RegExp(
          `^gateway_shadow_comparisons_total\\{[^}]*surface="${surface}",result="${result}"[^}]*\\} (\\d+)`,
          'gm',
        ),
      ),
    ].reduce((sum, match) => sum + Number(match[1]), 0);
  return Object.fromEntries(SHADOW_RESULTS.map((result) => [result, count(result)])) as Record<
    (typeof SHADOW_RESULTS)[number],
    number
  >;
}

/** `GET /api/movies` through the REST shim, and the side that serves it. */
export async function restShadowLoad(gateway: BenchChild) {
  const url = `${gateway.info.base}/api/movies`;
  const probe = await fetch(url, { signal: AbortSignal.timeout(10_000) });
  await probe.arrayBuffer();
  if (probe.status !== 200) throw new Error(`GET /api/movies via the gateway: ${probe.status}`);
  const load: LoadTarget = { url, verify: (body) => body.startsWith('[{"id":') };
  return { load, servedBy: probe.headers.get('x-served-by') ?? 'unknown' };
}

/**
 * The side anonymous GraphQL queries are planned on: they draw at random against the dial's
 * percentage, so at 0 % or 100 % all of them land on one side.
 */
export async function graphqlServingSide(pool: Pool): Promise<string> {
  const { rows } = await pool.query<{ percent: number }>(
    "SELECT percent FROM gateway.migrations WHERE name = 'movies'",
  );
  const percent = rows[0]?.percent;
  if (percent === 100) return 'movies';
  if (percent === 0) return 'monolith';
  return `both (${percent ?? '?'} % on movies)`;
}

/**
 * Part 2b: one surface of our gateway at a fixed request rate, with the movies migration's
 * shadow share at 0 % and at 100 %, alternating in the same run: what comparing every eligible
 * request with the other side costs the client (p50, p99) and the gateway (CPU per request).
 * The share is switched in the gateway's database between windows, as an operator would; the
 * noise share stays at its default.
 */
export async function measureShadowCost(
  deps: { gateway: BenchChild; pool: Pool },
  { surface, load, servedBy }: { surface: ShadowSurface; load: LoadTarget; servedBy: string },
  options: AlternatingOptions & { rate: number },
): Promise<ShadowCostResult> {
  const setShadow = (percent: number) => async () => {
    await deps.pool.query(
      "UPDATE gateway.migrations SET shadow_percent = $1 WHERE name = 'movies'",
      [percent],
    );
    // The gateway applies it on the change's notification, within milliseconds.
    await sleep(200);
  };
  const target = (id: string, percent: number) => ({
    id,
    load,
    cpu: { gateway: [deps.gateway] },
    before: setShadow(percent),
  });
  try {
    const measured = await measureAlternating([target('off', 0), target('on', 100)], options);
    const off = measured.off as TargetSummary;
    const on = measured.on as TargetSummary;
    return {
      rate: options.rate,
      servedBy,
      off,
      on,
      p50Ratio: spread(roundRatios(on.p50.rounds, off.p50.rounds)),
      p99Ratio: spread(roundRatios(on.p99.rounds, off.p99.rounds)),
      cpuRatio: spread(
        roundRatios(
          on.cpuMsPerRequest.gateway?.rounds ?? [],
          off.cpuMsPerRequest.gateway?.rounds ?? [],
        ),
      ),
      comparisons: await comparisons(deps.gateway, surface),
    };
  } finally {
    await setShadow(0)();
  }
}
