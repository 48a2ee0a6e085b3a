import { measureAlternating } from '../load/measureAlternating';
import type { AlternatingOptions, TargetSummary } from '../load/measureAlternating';
import type { LoadTarget } from '../load/runLoad';
import type { BenchChild } from '../processes/startChild';
import { roundRatios, spread } from '../stats';
import type { Spread } from '../stats';

export interface RestShimResult {
  movies: number;
  viaGateway: TargetSummary;
  direct: TargetSummary;
  /** Gateway RPS ÷ direct RPS, per round. */
  rpsRatio: Spread;
  /** Gateway p99 − direct p99 (ms), per round. */
  addedP99Ms: Spread;
}

const moviesList = (url: string): LoadTarget => ({
  url,
  verify: (body) => body.startsWith('[{"id":'),
});

/**
 * Part 2: `GET /api/movies` through the gateway's strangler (GRADUAL_MIGRATION=true, 100 % to
 * the movies service) against the same request straight to the movies service.
 */
export async function measureRestShim(
  deps: { gateway: BenchChild; movies: BenchChild },
  options: AlternatingOptions,
): Promise<RestShimResult> {
  const viaUrl = `${deps.gateway.info.base}/api/movies`;
  const check = await fetch(viaUrl, { signal: AbortSignal.timeout(10_000) });
  const served = check.headers.get('x-served-by');
  const list = (await check.json()) as unknown[];
  if (check.status !== 200 || served !== 'movies') {
    throw new Error(`GET /api/movies via the gateway: ${check.status}, x-served-by ${served}`);
  }
  const measured = await measureAlternating(
    [
      {
        id: 'via-gateway',
        load: moviesList(viaUrl),
        cpu: { gateway: [deps.gateway], 'movies service': [deps.movies] },
      },
      {
        id: 'direct',
        load: moviesList(`${deps.movies.url}/api/movies`),
        cpu: { 'movies service': [deps.movies] },
      },
    ],
    options,
  );
  const via = measured['via-gateway'] as TargetSummary;
  const direct = measured.direct as TargetSummary;
  return {
    movies: list.length,
    viaGateway: via,
    direct,
    rpsRatio: spread(roundRatios(via.rps.rounds, direct.rps.rounds)),
    addedP99Ms: spread(via.p99.rounds.map((p99, i) => p99 - (direct.p99.rounds[i] as number))),
  };
}
