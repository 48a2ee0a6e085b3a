import { setTimeout as sleep } from 'node:timers/promises';
import type { Pool } from '@cinemaabyss/shared/db';
import { measureAlternating } from '../load/measureAlternating';
import type { AlternatingOptions, TargetSummary } from '../load/measureAlternating';
import type { BenchChild } from '../processes/startChild';
import { roundRatios, spread } from '../stats';
import type { Spread } from '../stats';

/** The offered load: well below what the shim serves on 2 cores, so queueing does not decide. */
export const SHADOW_RATE = { full: 300, quick: 200 } as const;

export interface ShadowCostResult {
  /** Requests per second offered, the same with shadow off and on. */
  rate: number;
  /** Which side served: the shadow calls went to the other. */
  servedBy: string;
  off: TargetSummary;
  on: TargetSummary;
  /** Client p50 / p99 with every read shadowed ÷ with none, per round. */
  p50Ratio: Spread;
  p99Ratio: Spread;
  /** Gateway CPU ms per client request, shadow on ÷ off, per round. */
  cpuRatio: Spread;
  /** What the comparisons came to over the part, from the gateway's /metrics. */
  comparisons: Record<'match' | 'mismatch' | 'error' | 'skipped', number>;
}

async function comparisons(gateway: BenchChild): Promise<ShadowCostResult['comparisons']> {
  const metrics = await (await fetch(`${gateway.info.base}/metrics`)).text();
  const count = (result: string) =>
    [
      ...metrics.matchAll(
        new RegExp(
          `^gateway_shadow_comparisons_total\\{[^}]*result="${result}"[^}]*\\} (\\d+)`,
          'gm',
        ),
      ),
    ].reduce((sum, match) => sum + Number(match[1]), 0);
  return {
    match: count('match'),
    mismatch: count('mismatch'),
    error: count('error'),
    skipped: count('skipped'),
  };
}

/**
 * Part 2b: `GET /api/movies` through the REST shim at a fixed request rate, with the movies
 * migration's shadow share at 0 % and at 100 %, alternating in the same run: what comparing
 * every read with the other side costs the client (p50, p99) and the gateway (CPU per request).
 * The share is switched in the gateway's database between windows, as an operator would.
 */
export async function measureShadowCost(
  deps: { gateway: BenchChild; movies: BenchChild; monolith: BenchChild; pool: Pool },
  options: AlternatingOptions & { rate: number },
): Promise<ShadowCostResult> {
  const url = `${deps.gateway.info.base}/api/movies`;
  const probe = await fetch(url, { signal: AbortSignal.timeout(10_000) });
  await probe.arrayBuffer();
  if (probe.status !== 200) throw new Error(`GET /api/movies via the gateway: ${probe.status}`);
  const servedBy = probe.headers.get('x-served-by') ?? 'unknown';
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
    load: { url, verify: (body: string) => body.startsWith('[{"id":') },
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
      comparisons: await comparisons(deps.gateway),
    };
  } finally {
    await setShadow(0)();
  }
}
