import type { EventLatencyResult } from '../phases/eventLatency';
import type { GatewayComparisonResult } from '../phases/gatewayComparison';
import type { QueryCount } from '../phases/nPlusOne';
import type { BenchResults, TargetCheck } from './benchResults';
import {
  authCostResult,
  benchResults,
  gatewayRatiosOf,
  loadSummary,
  restShimResult as rest,
  spreadOf,
  variedWorkloadResult,
} from '../testing/benchResultsFixture';
import { evaluateTargets } from './evaluateTargets';

type Results = Omit<BenchResults, 'targets'>;
type Ratios = GatewayComparisonResult['ratios'];

function gateways(users: number, ratios: Partial<Record<keyof Ratios, number>> = {}) {
  const medians: Record<keyof Ratios, number> = {
    oursOverStock: 4,
    oursNoDedupOverStock: 2,
    oursOverHive: 1.5,
    oursOverHiveNoDedup: 1.2,
    stockCpuOverOurs: 4,
    stockCpuOverOursNoDedup: 2,
    hiveCpuOverOurs: 1.5,
    hiveNoDedupCpuOverOurs: 1.2,
    oursOverHiveRust: 1.1,
    hiveRustCpuOverOurs: 1.1,
    hiveRustCpuOverOursNoDedup: 1.1,
    dedupCpuCost: 1,
    ...ratios,
  };
  const gateway = { ...loadSummary, peakRssMiB: 100 };
  const comparison: GatewayComparisonResult = {
    query: '{ users { id } }',
    users,
    responseBytes: 1024,
    sameData: true,
    gateways: {
      ours: gateway,
      'ours-nodedup': gateway,
      stock: gateway,
      hive: gateway,
      'hive-nodedup': gateway,
      'hive-rust': gateway,
    },
    subgraphs: { monolith: loadSummary, movies: loadSummary, sequentialCeilingRps: 500 },
    ratios: gatewayRatiosOf(medians),
  };
  return comparison;
}

const count = (users: number, restCalls: number): QueryCount => ({
  users,
  restCalls,
  restRequests: [],
  monolithSql: 3,
  nestedRestCalls: restCalls,
  nestedMoviesSql: 1,
});

function nPlusOne(restCalls: number[], statements: number[] = [1, 1, 1]) {
  return {
    byUsers: restCalls.map((calls, i) => count([3, 50, 500][i] as number, calls)),
    moviesLists: statements.map((n, i) => ({
      what: `list ${i}`,
      movies: 50,
      statements: n,
      sql: [],
    })),
  };
}

function events({ relay = 8000, p50 = 20, p99 = 100 } = {}): NonNullable<Results['events']> {
  const latency: EventLatencyResult = {
    mutations: 400,
    failedMutations: 0,
    processed: 400,
    ratePerSecond: 20,
    p50,
    p95: p99,
    p99,
    max: p99,
    mutationP50: 5,
  };
  return {
    rest: { direct: loadSummary, viaGateway: loadSummary },
    outbox: {
      rowsPerRound: 20_000,
      publishedPerSecond: spreadOf(relay),
      processedPerSecond: spreadOf(relay),
      incomplete: 0,
    },
    latency,
  };
}

function check(checks: TargetCheck[], name: string): TargetCheck {
  const found = checks.find((c) => c.name === name);
  if (!found) throw new Error(`no target "${name}" among ${checks.map((c) => c.name).join('; ')}`);
  return found;
}

const met = (parts: Partial<Results>, name: string) =>
  check(evaluateTargets(benchResults(parts)), name).met;

describe('evaluateTargets', () => {
  it('adds no rows for parts the run did not measure', () => {
    expect(evaluateTargets(benchResults())).toEqual([]);
  });

  it('judges only the parts present', () => {
    const names = (parts: Partial<Results>) =>
      evaluateTargets(benchResults(parts)).map((c) => c.name);
    expect(names({ rest: rest() })).toEqual([
      'REST shim RPS ÷ direct',
      'REST shim RPS ÷ nginx doing the same routing',
      'REST shim added p99, one request at a time',
      '… added p99 at saturation (lower RPS, longer queue)',
    ]);
    expect(names({ events: events() })).toEqual([
      'outbox relay throughput',
      'mutation → processed p50',
      'mutation → processed p99',
    ]);
    expect(names({ nPlusOne: nPlusOne([3, 3, 3]) })).toHaveLength(2);
    expect(names({ gateways: [gateways(50), gateways(500)] })).toHaveLength(6);
    expect(names({ variedWorkload: variedWorkloadResult() })).toEqual([
      'varied workload (500 users): RPS, ours ÷ stock Apollo',
      'varied workload (500 users): RPS, ours ÷ Hive Gateway',
      'varied workload (500 users): gateway CPU per request, ours (dedup off) ≤ Hive Gateway + Rust query planner',
      'varied workload (500 users): gateway CPU per request, ours (dedup off) ≤ half the first Node 24 figure',
      'varied workload (500 users): gateway CPU per request, in-flight dedup on ÷ off',
    ]);
  });

  describe('varied workload', () => {
    const stock = 'varied workload (500 users): RPS, ours ÷ stock Apollo';
    const hive = 'varied workload (500 users): RPS, ours ÷ Hive Gateway';
    const dedup = 'varied workload (500 users): gateway CPU per request, in-flight dedup on ÷ off';
    const judged = (ratios: Parameters<typeof variedWorkloadResult>[0], name: string) =>
      met({ variedWorkload: variedWorkloadResult(ratios) }, name);

    it('meets ours ÷ stock and ours ÷ Hive at 1× and misses them just below', () => {
      expect(judged({ oursOverStock: 1 }, stock)).toBe(true);
      expect(judged({ oursOverStock: 0.99 }, stock)).toBe(false);
      expect(judged({ oursOverHive: 1 }, hive)).toBe(true);
      expect(judged({ oursOverHive: 0.99 }, hive)).toBe(false);
    });

    it("meets the dedup bookkeeping at 2 % of the gateway's CPU and misses it above", () => {
      expect(judged({ dedupCpuCost: 1.02 }, dedup)).toBe(true);
      expect(judged({ dedupCpuCost: 1.03 }, dedup)).toBe(false);
    });

    it('shows the figures without dedup beside ours', () => {
      const rows = evaluateTargets(
        benchResults({
          variedWorkload: variedWorkloadResult({
            oursOverStock: 1.1,
            oursNoDedupOverStock: 1.05,
            oursOverHiveNoDedup: 1.3,
          }),
        }),
      );
      expect(check(rows, stock).measured).toBe('1.10× (in-flight dedup off: 1.05×)');
      expect(check(rows, hive).measured).toBe("1.50× (Hive's dedup off: 1.30×)");
    });

    it('misses every row when a gateway answered a request differently', () => {
      const rows = evaluateTargets(
        benchResults({
          variedWorkload: variedWorkloadResult({ oursOverStock: 9 }, { sameData: false }),
        }),
      );
      expect(rows.map((r) => r.met)).toEqual([false, false, false, false, false]);
      for (const row of rows) expect(row.measured).toContain('(gateways answered differently)');
    });
  });

  it("judges our engine's CPU per request against half the first Node 24 figure", () => {
    const half =
      'varied workload (500 users): gateway CPU per request, ours (dedup off) ≤ half the first Node 24 figure';
    const row = (oursNoDedupCpuMs: number) =>
      check(
        evaluateTargets(
          benchResults({ variedWorkload: variedWorkloadResult({}, { oursNoDedupCpuMs }) }),
        ),
        half,
      );
    expect(row(1.01)).toMatchObject({
      met: true,
      target: '≤ 1.015 ms (2.03 ms at e21733c ÷ 2)',
      measured: '1.01 ms (0.50× of it)',
    });
    expect(row(1.02).met).toBe(false);
  });

  it('judges our engine against Hive Gateway + Rust query planner, and skips results from before it', () => {
    const engine =
      'varied workload (500 users): gateway CPU per request, ours (dedup off) ≤ Hive Gateway + Rust query planner';
    const row = (ratio: number) =>
      evaluateTargets(
        benchResults({
          variedWorkload: variedWorkloadResult({ hiveRustCpuOverOursNoDedup: ratio }),
        }),
      ).find((r) => r.name === engine);
    expect(row(1.2)?.met).toBe(true);
    expect(row(0.6)?.met).toBe(false);
    const older = variedWorkloadResult();
    delete (older.ratios as Partial<typeof older.ratios>).hiveRustCpuOverOursNoDedup;
    expect(
      evaluateTargets(benchResults({ variedWorkload: older })).some((r) => r.name === engine),
    ).toBe(false);
  });

  describe('gateways', () => {
    const stock = (users: number) =>
      `identical nested queries RPS, ours ÷ stock Apollo (${users} users)`;
    const hive = 'identical nested queries RPS, ours ÷ Hive Gateway (50 users)';
    const hiveNoDedup = '… ours ÷ Hive Gateway with its in-flight dedup off (50 users)';

    it('meets ours ÷ stock at 3× and misses it just below', () => {
      expect(met({ gateways: [gateways(50, { oursOverStock: 3 })] }, stock(50))).toBe(true);
      expect(met({ gateways: [gateways(50, { oursOverStock: 2.99 })] }, stock(50))).toBe(false);
    });

    it('judges ours as deployed, showing the figure without its dedup beside it', () => {
      const deployedFast = gateways(50, { oursOverStock: 3.5, oursNoDedupOverStock: 1.2 });
      const row = check(evaluateTargets(benchResults({ gateways: [deployedFast] })), stock(50));
      expect(row).toMatchObject({ met: true, measured: '3.50× (in-flight dedup off: 1.20×)' });
      const deployedSlow = gateways(50, { oursOverStock: 2, oursNoDedupOverStock: 5 });
      expect(met({ gateways: [deployedSlow] }, stock(50))).toBe(false);
    });

    it('meets ours ÷ Hive at 1× and misses it just below', () => {
      expect(met({ gateways: [gateways(50, { oursOverHive: 1 })] }, hive)).toBe(true);
      expect(met({ gateways: [gateways(50, { oursOverHive: 0.99 })] }, hive)).toBe(false);
    });

    it('meets ours ÷ Hive without its dedup at 1× and misses it just below', () => {
      expect(met({ gateways: [gateways(50, { oursOverHiveNoDedup: 1 })] }, hiveNoDedup)).toBe(true);
      const below = gateways(50, { oursOverHiveNoDedup: 0.99, oursOverHive: 2 });
      expect(met({ gateways: [below] }, hiveNoDedup)).toBe(false);
    });

    it('judges every user-base size on its own', () => {
      const checks = evaluateTargets(
        benchResults({ gateways: [gateways(50), gateways(500, { oursOverStock: 2 })] }),
      );
      expect(check(checks, stock(50)).met).toBe(true);
      expect(check(checks, stock(500)).met).toBe(false);
    });
  });

  describe('work left undone never counts as met', () => {
    it('misses every gateway row when the gateways answered differently', () => {
      const differing = { ...gateways(50, { oursOverStock: 9 }), sameData: false };
      const rows = evaluateTargets(benchResults({ gateways: [differing] }));
      expect(rows.map((r) => r.met)).toEqual([false, false, false]);
      for (const row of rows) expect(row.measured).toContain('(gateways answered differently)');
    });

    it('misses the N+1 rows when nothing was counted', () => {
      const rows = evaluateTargets(benchResults({ nPlusOne: nPlusOne([], []) }));
      expect(rows).toEqual([
        expect.objectContaining({ met: false, measured: 'nothing counted' }),
        expect.objectContaining({ met: false, measured: 'nothing counted' }),
      ]);
    });

    it('misses the relay target when a round did not finish', () => {
      const unfinished = events({ relay: 9000 });
      unfinished.outbox.incomplete = 1;
      const row = check(
        evaluateTargets(benchResults({ events: unfinished })),
        'outbox relay throughput',
      );
      expect(row).toEqual(
        expect.objectContaining({ met: false, measured: '9,000 events/s (1 rounds unfinished)' }),
      );
    });

    it.each([
      ['an event left unprocessed', { processed: 399 }, '(399 of 400 processed, 0 failed)'],
      [
        'a failed mutation',
        { failedMutations: 1, processed: 399 },
        '(399 of 400 processed, 1 failed)',
      ],
    ])('misses the latency targets after %s', (_case, latency, note) => {
      const partial = events({ p50: 10, p99: 20 });
      partial.latency = { ...partial.latency, ...latency };
      const rows = evaluateTargets(benchResults({ events: partial }));
      for (const name of ['mutation → processed p50', 'mutation → processed p99']) {
        expect(check(rows, name).met).toBe(false);
        expect(check(rows, name).measured).toContain(note);
      }
    });
  });

  describe('REST shim', () => {
    const ratio = 'REST shim RPS ÷ direct';
    const p99 = 'REST shim added p99, one request at a time';
    const saturatedP99 = '… added p99 at saturation (lower RPS, longer queue)';

    it('meets the RPS ratio at 0.9 and misses it just below', () => {
      expect(met({ rest: rest({ rpsRatio: 0.9 }) }, ratio)).toBe(true);
      expect(met({ rest: rest({ rpsRatio: 0.89 }) }, ratio)).toBe(false);
    });

    it('meets ours ÷ nginx at 0.9 under load, showing one request at a time beside it', () => {
      const anchor = 'REST shim RPS ÷ nginx doing the same routing';
      expect(met({ rest: rest({ oursOverNginx: 0.9 }) }, anchor)).toBe(true);
      expect(met({ rest: rest({ oursOverNginx: 0.89 }) }, anchor)).toBe(false);
      const row = check(
        evaluateTargets(
          benchResults({ rest: rest({ oursOverNginx: 0.92, oneAtATimeOursOverNginx: 0.6 }) }),
        ),
        anchor,
      );
      expect(row).toMatchObject({
        met: true,
        measured: '0.92× (one request at a time: 0.60×; added p99 ours 0.8 ms vs nginx 0.1 ms)',
      });
    });

    it('judges the gateway, showing the bare proxy figure beside it', () => {
      const slowGateway = rest({ rpsRatio: 0.8, bareProxyOverDirect: 0.95 });
      const row = check(evaluateTargets(benchResults({ rest: slowGateway })), ratio);
      expect(row).toMatchObject({ met: false, measured: '0.80× (bare proxy: 0.95×)' });
      expect(met({ rest: rest({ rpsRatio: 0.92, bareProxyOverDirect: 0.5 }) }, ratio)).toBe(true);
    });

    it('meets the added p99 one request at a time at 2 ms and misses it just above', () => {
      expect(met({ rest: rest({ oneAtATimeAddedP99Ms: 2 }) }, p99)).toBe(true);
      expect(met({ rest: rest({ oneAtATimeAddedP99Ms: 2.01 }) }, p99)).toBe(false);
      const row = check(
        evaluateTargets(benchResults({ rest: rest({ oneAtATimeAddedP99Ms: 1.26 }) })),
        p99,
      );
      expect(row).toEqual({ name: p99, target: '≤ 2 ms', measured: '1.3 ms', met: true });
    });

    it('judges the added p99 at saturation on its own figure', () => {
      const queued = rest({ addedP99Ms: 2.01, oneAtATimeAddedP99Ms: 0.5 });
      const rows = evaluateTargets(benchResults({ rest: queued }));
      expect(check(rows, saturatedP99).met).toBe(false);
      expect(check(rows, p99).met).toBe(true);
      expect(met({ rest: rest({ addedP99Ms: 2 }) }, saturatedP99)).toBe(true);
    });
  });

  describe('N+1', () => {
    const calls = 'REST calls per users { payments subscriptions }';
    const sql = 'SQL statements per movies list (movies service / monolith / GraphQL)';

    it('meets the REST calls target when they stay the same at every N, up to 3', () => {
      expect(met({ nPlusOne: nPlusOne([3, 3, 3]) }, calls)).toBe(true);
      expect(met({ nPlusOne: nPlusOne([1, 1, 1]) }, calls)).toBe(true);
    });

    it('misses the REST calls target when they grow with N', () => {
      expect(met({ nPlusOne: nPlusOne([2, 2, 3]) }, calls)).toBe(false);
      expect(met({ nPlusOne: nPlusOne([3, 3, 2]) }, calls)).toBe(false);
    });

    it('misses the REST calls target above 3 even when constant', () => {
      expect(met({ nPlusOne: nPlusOne([4, 4, 4]) }, calls)).toBe(false);
    });

    it('shows the calls at each N', () => {
      const row = check(evaluateTargets(benchResults({ nPlusOne: nPlusOne([3, 3, 3]) })), calls);
      expect(row.measured).toBe('N=3: 3, N=50: 3, N=500: 3');
    });

    it('meets the SQL target only when every movies list takes one statement', () => {
      expect(met({ nPlusOne: nPlusOne([3, 3, 3], [1, 1, 1]) }, sql)).toBe(true);
      const row = check(
        evaluateTargets(benchResults({ nPlusOne: nPlusOne([3, 3, 3], [1, 2, 1]) })),
        sql,
      );
      expect(row).toMatchObject({ met: false, measured: '1 / 2 / 1' });
      expect(met({ nPlusOne: nPlusOne([3, 3, 3], [0, 1, 1]) }, sql)).toBe(false);
    });
  });

  describe('events', () => {
    const relay = 'outbox relay throughput';

    it('meets the relay throughput at 5,000 events/s and misses it just below', () => {
      expect(met({ events: events({ relay: 5000 }) }, relay)).toBe(true);
      expect(met({ events: events({ relay: 4999 }) }, relay)).toBe(false);
    });

    it('meets the latency p50 at 50 ms and misses it just above', () => {
      expect(met({ events: events({ p50: 50 }) }, 'mutation → processed p50')).toBe(true);
      expect(met({ events: events({ p50: 50.1 }) }, 'mutation → processed p50')).toBe(false);
    });

    it('meets the latency p99 at 250 ms and misses it just above', () => {
      expect(met({ events: events({ p99: 250 }) }, 'mutation → processed p99')).toBe(true);
      expect(met({ events: events({ p99: 250.1 }) }, 'mutation → processed p99')).toBe(false);
    });

    it('misses the latency targets when nothing was measured (NaN)', () => {
      const checks = evaluateTargets(benchResults({ events: events({ p50: NaN, p99: NaN }) }));
      expect(check(checks, 'mutation → processed p50').met).toBe(false);
      expect(check(checks, 'mutation → processed p99').met).toBe(false);
    });
  });

  describe('progressive override labels', () => {
    const labels = (ratio: number) => ({
      users: 500,
      withoutLabels: loadSummary,
      withLabels: loadSummary,
      rpsRatio: spreadOf(ratio),
    });
    const name = 'nested query RPS with the migration:movies label ÷ without (500 users)';

    it('meets the ≤ 5 % cost at a ratio of 0.95 and misses it just below', () => {
      expect(check(evaluateTargets(benchResults({ overrideLabels: labels(0.95) })), name).met).toBe(
        true,
      );
      expect(check(evaluateTargets(benchResults({ overrideLabels: labels(0.94) })), name).met).toBe(
        false,
      );
    });
  });

  describe('tracing cost', () => {
    const tracing = (ratio100: number, ratio1: number) => ({
      users: 500,
      off: loadSummary,
      sampled1: loadSummary,
      sampled100: loadSummary,
      cpuRatio: { sampled100: spreadOf(ratio100), sampled1: spreadOf(ratio1) },
      spans: {
        sampled100: { exported: 12_000, dropped: 0 },
        sampled1: { exported: 130, dropped: 0 },
      },
    });
    const at100 = 'gateway CPU per nested query, tracing sampled at 100 % ÷ off (500 users)';
    const at1 = 'gateway CPU per nested query, tracing sampled at 1 % ÷ off (500 users)';

    it('meets ≤ 1.15 at 100 % and ≤ 1.02 at 1 %, and misses each just above', () => {
      const met = evaluateTargets(benchResults({ tracingCost: tracing(1.15, 1.02) }));
      const missed = evaluateTargets(benchResults({ tracingCost: tracing(1.16, 1.03) }));
      expect([check(met, at100).met, check(met, at1).met]).toEqual([true, true]);
      expect([check(missed, at100).met, check(missed, at1).met]).toEqual([false, false]);
    });

    it('shows the p99 beside the ratio and what became of the spans', () => {
      const measured = check(
        evaluateTargets(benchResults({ tracingCost: tracing(1.1, 1) })),
        at100,
      );
      expect(measured.measured).toBe(
        '1.10× (p99 3.0 ms vs 3.0 ms off; 12,000 spans exported, 0 dropped)',
      );
    });
  });

  describe('shadow comparison', () => {
    const shadow = (p99Ratio: number): BenchResults['shadowCost'] => ({
      rate: 300,
      servedBy: 'movies',
      off: loadSummary,
      on: loadSummary,
      p50Ratio: spreadOf(1.02),
      p99Ratio: spreadOf(p99Ratio),
      cpuRatio: spreadOf(1.4),
      comparisons: { match: 10, mismatch: 0, noise: 0, error: 0, skipped: 0 },
    });
    const name = 'REST shim client p99, every read shadowed ÷ none, at 300 rps';

    it('meets ≤ 1.10 on the client p99 ratio and misses it just above, the CPU shown beside', () => {
      const met = check(evaluateTargets(benchResults({ shadowCost: shadow(1.1) })), name);
      const missed = check(evaluateTargets(benchResults({ shadowCost: shadow(1.11) })), name);
      expect([met.met, missed.met]).toEqual([true, false]);
      expect(met.measured).toBe(
        '1.10× (p99 3.0 ms vs 3.0 ms; p50 1.02×; gateway CPU per request 1.40×)',
      );
    });

    it('judges GraphQL shadowing on its own, by the same bound', () => {
      const graphql = 'GraphQL client p99, every migrated query shadowed ÷ none, at 300 rps';
      const results = evaluateTargets(
        benchResults({ shadowCost: shadow(1.05), graphqlShadowCost: shadow(1.2) }),
      );
      expect([check(results, name).met, check(results, graphql).met]).toEqual([true, false]);
    });
  });

  describe('what authentication costs', () => {
    const name =
      "gateway CPU per request, 50 signed-in callers ÷ anonymous, varied workload's public operations";

    it('meets ≤ 1.05 where both callers get the same answers and misses it just above', () => {
      const met = check(evaluateTargets(benchResults({ authCost: authCostResult(1.05) })), name);
      const missed = check(evaluateTargets(benchResults({ authCost: authCostResult(1.06) })), name);
      expect([met.met, missed.met]).toEqual([true, false]);
    });

    it('is not judged on the whole workload, whose anonymous answers are cut, but shows it', () => {
      const judged = check(
        evaluateTargets(benchResults({ authCost: authCostResult(1, 1.8) })),
        name,
      );
      expect(judged.met).toBe(true);
      expect(judged.measured).toBe(
        '1.00× (1.00 ms vs 1.00 ms; whole workload, anonymous answers cut: 1.80×)',
      );
    });
  });
});
