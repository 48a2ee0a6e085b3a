import { measureAlternating } from '../load/measureAlternating';
import type { AlternatingOptions, TargetSummary } from '../load/measureAlternating';
import type { LoadTarget } from '../load/runLoad';
import type { BenchChild } from '../processes/startChild';
import { roundRatios, spread } from '../stats';
import type { Spread } from '../stats';

export interface RestShimResult {
  movies: number;
  viaGateway: TargetSummary;
  /** The same request through a bare Node proxy (`gateways/bareProxyMain.ts`): the hop alone. */
  viaBareProxy: TargetSummary;
  direct: TargetSummary;
  /** Gateway RPS ÷ direct RPS, per round. */
  rpsRatio: Spread;
  /** Gateway p99 − direct p99 (ms), per round. */
  addedP99Ms: Spread;
  /** Bare proxy RPS ÷ direct RPS, per round: a second Node hop with nothing on top. */
  bareProxyOverDirect: Spread;
  /** Bare proxy p99 − direct p99 (ms), per round: the same hop's latency. */
  bareProxyAddedP99Ms: Spread;
}

const moviesList = (url: string): LoadTarget => ({
  url,
  verify: (body) => body.startsWith('[{"id":'),
});

const addedP99 = (via: TargetSummary, direct: TargetSummary): Spread =>
  spread(via.p99.rounds.map((p99, i) => p99 - (direct.p99.rounds[i] as number)));

/**
 * Part 2: `GET /api/movies` through the gateway's strangler (GRADUAL_MIGRATION=true, 100 % to
 * the movies service) against the same request straight to the movies service, and through a
 * bare Node proxy on the same cores: what the second hop costs with nothing on top.
 */
export async function measureRestShim(
  deps: { gateway: BenchChild; bareProxy: BenchChild; movies: BenchChild },
  options: AlternatingOptions,
): Promise<RestShimResult> {
  const viaUrl = `${deps.gateway.info.base}/api/movies`;
  const check = await fetch(viaUrl, { signal: AbortSignal.timeout(10_000) });
  const served = check.headers.get('x-served-by');
  const list = (await check.json()) as unknown[];
  if (check.status !== 200 || served !== 'movies') {
    throw new Error(`GET /api/movies via the gateway: ${check.status}, x-served-by ${served}`);
  }
  const bareUrl = `${deps.bareProxy.url}/api/movies`;
  const bare = await fetch(bareUrl, { signal: AbortSignal.timeout(10_000) });
  const bareList = (await bare.json()) as unknown[];
  if (bare.status !== 200 || bareList.length !== list.length) {
    throw new Error(
      `GET /api/movies via the bare proxy: ${bare.status}, ${bareList.length} movies`,
    );
  }
  const measured = await measureAlternating(
    [
      {
        id: 'via-gateway',
        load: moviesList(viaUrl),
        cpu: { gateway: [deps.gateway], 'movies service': [deps.movies] },
      },
      {
        id: 'via-bare-proxy',
        load: moviesList(bareUrl),
        cpu: { 'bare proxy': [deps.bareProxy], 'movies service': [deps.movies] },
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
  const viaBareProxy = measured['via-bare-proxy'] as TargetSummary;
  const direct = measured.direct as TargetSummary;
  return {
    movies: list.length,
    viaGateway: via,
    viaBareProxy,
    direct,
    rpsRatio: spread(roundRatios(via.rps.rounds, direct.rps.rounds)),
    addedP99Ms: addedP99(via, direct),
    bareProxyOverDirect: spread(roundRatios(viaBareProxy.rps.rounds, direct.rps.rounds)),
    bareProxyAddedP99Ms: addedP99(viaBareProxy, direct),
  };
}
