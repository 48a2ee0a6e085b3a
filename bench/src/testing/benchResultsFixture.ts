import type { TargetSummary } from '../load/measureAlternating';
import type { AuthCostResult } from '../phases/authCost';
import type { GatewayRatios } from '../phases/gatewayRatios';
import type { RestShimResult } from '../phases/restShim';
import type { VariedWorkloadResult } from '../phases/variedWorkload';
import type { BenchResults } from '../report/benchResults';
import type { Spread } from '../stats';

/** Report tests' building blocks: a results object with only the parts a test gives it. */

/** A spread whose rounds are exactly the given values (one round when only a median). */
export const spreadOf = (median: number, min = median, max = median): Spread => ({
  median,
  min,
  max,
  rounds: min === max ? [median] : [min, median, max],
});

/** Part 1's ratios with the given medians, each a spread of one value. */
export function gatewayRatiosOf(medians: Record<keyof GatewayRatios, number>): GatewayRatios {
  const ratios = {} as GatewayRatios;
  for (const name of Object.keys(medians) as (keyof GatewayRatios)[]) {
    ratios[name] = spreadOf(medians[name]);
  }
  return ratios;
}

export const loadSummary: TargetSummary = {
  rps: spreadOf(1000),
  p50: spreadOf(1),
  p95: spreadOf(2),
  p99: spreadOf(3),
  cpuMsPerRequest: {},
  failures: 0,
  rounds: [],
};

/** Part 1d with the given CPU ratios, signed in ÷ anonymous (public operations, whole workload). */
export function authCostResult(publicRatio: number, wholeRatio = 1.6): AuthCostResult {
  const withCpu = (ms: number): TargetSummary => ({
    ...loadSummary,
    cpuMsPerRequest: { gateway: spreadOf(ms) },
  });
  return {
    users: 500,
    callers: 50,
    publicOperations: ['MoviesByGenre', 'MovieDetail'],
    protectedOperations: ['UsersPage', 'UserProfile', 'UserBilling'],
    sameAnswers: {
      rate: 300,
      anonymous: withCpu(1),
      signedIn: withCpu(publicRatio),
      cpuRatio: spreadOf(publicRatio),
    },
    whole: {
      rate: 120,
      anonymous: withCpu(1),
      signedIn: withCpu(wholeRatio),
      cpuRatio: spreadOf(wholeRatio),
    },
  };
}

export function benchResults(
  parts: Partial<BenchResults> = {},
): Omit<BenchResults, 'targets'> & Partial<Pick<BenchResults, 'targets'>> {
  return {
    command: 'npm run bench',
    machine: {
      date: '2026-12-02T10:00:00.000Z',
      nproc: 2,
      cpuModel: 'test CPU',
      memoryGiB: 8,
      node: 'v20.11.0',
      os: 'Linux',
      commit: 'abc1234',
      dirty: false,
    },
    settings: {
      quick: false,
      rounds: 3,
      measureSeconds: 2,
      warmupSeconds: 1,
      settleSeconds: 0,
      connections: 4,
    },
    dataSet: {},
    durationSeconds: 1,
    ...parts,
  };
}

type VariedRatios = VariedWorkloadResult['ratios'];

/** A varied-workload result whose ratio medians are the given ones (defaults: all met). */
export function variedWorkloadResult(
  ratios: Partial<Record<keyof VariedRatios, number>> = {},
  {
    sameData = true,
    oursNoDedupCpuMs = 0.9,
  }: { sameData?: boolean; oursNoDedupCpuMs?: number } = {},
): VariedWorkloadResult {
  const medians: Record<keyof VariedRatios, number> = {
    oursOverStock: 1.1,
    oursNoDedupOverStock: 1.08,
    oursOverHive: 1.5,
    oursOverHiveNoDedup: 1.4,
    stockCpuOverOurs: 1.1,
    stockCpuOverOursNoDedup: 1.05,
    hiveCpuOverOurs: 2,
    hiveNoDedupCpuOverOurs: 1.9,
    oursOverHiveRust: 1.1,
    hiveRustCpuOverOurs: 1.1,
    hiveRustCpuOverOursNoDedup: 1.05,
    dedupCpuCost: 1.01,
    ...ratios,
  };
  return {
    users: 500,
    seed: 42,
    operations: [
      { name: 'UsersPage', weight: 3, shape: 'a page of users' },
      { name: 'MovieDetail', weight: 1, shape: 'one movie' },
    ],
    responses: [
      { operation: 'UsersPage', compared: 4, sameData },
      { operation: 'MovieDetail', compared: 4, sameData: true },
    ],
    sameData,
    gateways: {
      ours: loadSummary,
      'ours-nodedup': { ...loadSummary, cpuMsPerRequest: { gateway: spreadOf(oursNoDedupCpuMs) } },
      stock: loadSummary,
      hive: loadSummary,
      'hive-nodedup': loadSummary,
      'hive-rust': loadSummary,
    },
    ratios: gatewayRatiosOf(medians),
  };
}

/** A REST shim result with the given medians (defaults: every target met). */
export function restShimResult(
  medians: {
    rpsRatio?: number;
    addedP99Ms?: number;
    bareProxyOverDirect?: number;
    oneAtATimeAddedP99Ms?: number;
    oursOverNginx?: number;
    oneAtATimeOursOverNginx?: number;
  } = {},
): RestShimResult {
  return {
    movies: 50,
    viaGateway: loadSummary,
    viaBareProxy: loadSummary,
    viaNginx: loadSummary,
    direct: loadSummary,
    oursOverNginx: spreadOf(medians.oursOverNginx ?? 0.95),
    nginxOverDirect: spreadOf(0.98),
    addedP50Ms: spreadOf(0.4),
    nginxAddedP50Ms: spreadOf(0.1),
    nginxAddedP99Ms: spreadOf(0.2),
    rpsRatio: spreadOf(medians.rpsRatio ?? 0.95),
    addedP99Ms: spreadOf(medians.addedP99Ms ?? 1),
    bareProxyOverDirect: spreadOf(medians.bareProxyOverDirect ?? 0.97),
    bareProxyAddedP99Ms: spreadOf(0.5),
    oneAtATime: {
      viaGateway: loadSummary,
      viaBareProxy: loadSummary,
      viaNginx: loadSummary,
      direct: loadSummary,
      addedP50Ms: spreadOf(0.3),
      addedP99Ms: spreadOf(medians.oneAtATimeAddedP99Ms ?? 0.8),
      bareProxyAddedP99Ms: spreadOf(0.6),
      nginxAddedP50Ms: spreadOf(0.05),
      nginxAddedP99Ms: spreadOf(0.15),
      oursOverNginx: spreadOf(medians.oneAtATimeOursOverNginx ?? 0.9),
    },
  };
}
