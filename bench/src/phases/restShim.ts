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
  /** The same request through Debian's nginx doing the shim's routing (`nginx/nginxConfig.ts`). */
  viaNginx: TargetSummary;
  direct: TargetSummary;
  /** Gateway RPS ÷ nginx RPS, per round: ours against what a strangler proxy would be instead. */
  oursOverNginx: Spread;
  nginxOverDirect: Spread;
  /** Gateway / nginx p50 − direct p50 (ms), per round, under load. */
  addedP50Ms: Spread;
  nginxAddedP50Ms: Spread;
  nginxAddedP99Ms: Spread;
  /** Gateway RPS ÷ direct RPS, per round. */
  rpsRatio: Spread;
  /** Gateway p99 − direct p99 (ms), per round. */
  addedP99Ms: Spread;
  /** Bare proxy RPS ÷ direct RPS, per round: a second Node hop with nothing on top. */
  bareProxyOverDirect: Spread;
  /** Bare proxy p99 − direct p99 (ms), per round: the same hop's latency. */
  bareProxyAddedP99Ms: Spread;
  /**
   * The same three one request at a time (one connection): latency without queueing. Under
   * saturation a slower path's latency grows with its lower RPS (Little's law); here it does not.
   */
  oneAtATime: {
    viaGateway: TargetSummary;
    viaBareProxy: TargetSummary;
    viaNginx: TargetSummary;
    direct: TargetSummary;
    /** Gateway p50 / p99 − direct p50 / p99 (ms), per round. */
    addedP50Ms: Spread;
    addedP99Ms: Spread;
    bareProxyAddedP99Ms: Spread;
    nginxAddedP50Ms: Spread;
    nginxAddedP99Ms: Spread;
    oursOverNginx: Spread;
  };
}

const moviesList = (url: string): LoadTarget => ({
  url,
  verify: (body) => body.startsWith('[{"id":'),
});

async function getList(url: string) {
  const response = await fetch(url, { signal: AbortSignal.timeout(10_000) });
  const text = await response.text();
  const list = JSON.parse(text) as unknown[];
  return { status: response.status, servedBy: response.headers.get('x-served-by'), list, text };
}

/** Per round, how much later `via` answered than `direct` at one percentile (ms). */
const added = (via: TargetSummary, direct: TargetSummary, at: 'p50' | 'p99'): Spread =>
  spread(via[at].rounds.map((ms, i) => ms - (direct[at].rounds[i] as number)));

/**
 * Part 2: `GET /api/movies` through the gateway's strangler (GRADUAL_MIGRATION=true, 100 % to
 * the movies service) against the same request straight to the movies service, through nginx
 * doing the same routing (the anchor: what a strangler proxy would be instead), and through a
 * bare Node proxy on the same cores: what the second hop costs with nothing on top. Measured
 * at saturation (the RPS ratio) and one request at a time (the latency a request gains).
 */
export async function measureRestShim(
  deps: { gateway: BenchChild; bareProxy: BenchChild; nginx: BenchChild; movies: BenchChild },
  options: AlternatingOptions,
): Promise<RestShimResult> {
  const viaUrl = `${deps.gateway.info.base}/api/movies`;
  const bareUrl = `${deps.bareProxy.url}/api/movies`;
  const nginxUrl = `${deps.nginx.url}/api/movies`;
  // Before timing anything: the gateway must route to the movies service, and every proxy
  // must answer the same list, byte for byte.
  const [via, bare, viaNginx] = await Promise.all([
    getList(viaUrl),
    getList(bareUrl),
    getList(nginxUrl),
  ]);
  if (via.status !== 200 || via.servedBy !== 'movies') {
    throw new Error(`GET /api/movies via the gateway: ${via.status}, x-served-by ${via.servedBy}`);
  }
  for (const [name, answer] of [
    ['the bare proxy', bare],
    ['nginx', viaNginx],
  ] as const) {
    if (answer.status !== 200 || answer.text !== via.text) {
      throw new Error(
        `GET /api/movies via ${name}: ${answer.status}, ${answer.list.length} movies, ` +
          'not the answer the gateway gave',
      );
    }
  }
  const list = via.list;
  const directUrl = `${deps.movies.url}/api/movies`;
  const measure = async (connections: number) => {
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
          id: 'via-nginx',
          load: moviesList(nginxUrl),
          cpu: { nginx: [deps.nginx], 'movies service': [deps.movies] },
        },
        {
          id: 'direct',
          load: moviesList(directUrl),
          cpu: { 'movies service': [deps.movies] },
        },
      ],
      { ...options, connections },
    );
    return {
      viaGateway: measured['via-gateway'] as TargetSummary,
      viaBareProxy: measured['via-bare-proxy'] as TargetSummary,
      viaNginx: measured['via-nginx'] as TargetSummary,
      direct: measured.direct as TargetSummary,
    };
  };
  const saturated = await measure(options.connections);
  options.progress?.('the same, one request at a time');
  const single = await measure(1);
  const { viaGateway, viaBareProxy, direct } = saturated;
  const overNginx = (summaries: typeof saturated) =>
    spread(roundRatios(summaries.viaGateway.rps.rounds, summaries.viaNginx.rps.rounds));
  return {
    movies: list.length,
    ...saturated,
    oursOverNginx: overNginx(saturated),
    nginxOverDirect: spread(roundRatios(saturated.viaNginx.rps.rounds, direct.rps.rounds)),
    addedP50Ms: added(viaGateway, direct, 'p50'),
    nginxAddedP50Ms: added(saturated.viaNginx, direct, 'p50'),
    nginxAddedP99Ms: added(saturated.viaNginx, direct, 'p99'),
    rpsRatio: spread(roundRatios(viaGateway.rps.rounds, direct.rps.rounds)),
    addedP99Ms: added(viaGateway, direct, 'p99'),
    bareProxyOverDirect: spread(roundRatios(viaBareProxy.rps.rounds, direct.rps.rounds)),
    bareProxyAddedP99Ms: added(viaBareProxy, direct, 'p99'),
    oneAtATime: {
      ...single,
      addedP50Ms: added(single.viaGateway, single.direct, 'p50'),
      addedP99Ms: added(single.viaGateway, single.direct, 'p99'),
      bareProxyAddedP99Ms: added(single.viaBareProxy, single.direct, 'p99'),
      nginxAddedP50Ms: added(single.viaNginx, single.direct, 'p50'),
      nginxAddedP99Ms: added(single.viaNginx, single.direct, 'p99'),
      oursOverNginx: overNginx(single),
    },
  };
}
