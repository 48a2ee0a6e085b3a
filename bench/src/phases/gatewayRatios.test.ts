import type { TargetSummary } from '../load/measureAlternating';
import { spread } from '../stats';
import { loadSummary } from '../testing/benchResultsFixture';
import type { GatewayName } from './gatewayComparison';
import { gatewayRatios } from './gatewayRatios';

/** Two rounds: RPS per round, gateway CPU ms per request per round. */
function measured(rps: [number, number], cpu: [number, number]): TargetSummary {
  return {
    ...loadSummary,
    rps: spread(rps),
    cpuMsPerRequest: { gateway: spread(cpu) },
  };
}

describe('gatewayRatios', () => {
  const gateways: Record<GatewayName, TargetSummary> = {
    ours: measured([300, 200], [1, 2]),
    'ours-nodedup': measured([150, 200], [2, 2]),
    stock: measured([100, 100], [3, 4]),
    hive: measured([60, 50], [4, 6]),
    'hive-nodedup': measured([100, 40], [5, 5]),
    'hive-rust': measured([150, 100], [1.5, 3]),
  };
  const ratios = gatewayRatios(gateways);

  it('divides RPS round by round, ours over theirs', () => {
    expect(ratios.oursOverStock.rounds).toEqual([3, 2]);
    expect(ratios.oursNoDedupOverStock.rounds).toEqual([1.5, 2]);
    expect(ratios.oursOverHive.rounds).toEqual([5, 4]);
    expect(ratios.oursOverHiveNoDedup.rounds).toEqual([3, 5]);
    expect(ratios.oursOverHiveRust.rounds).toEqual([2, 2]);
  });

  it('divides gateway CPU per request theirs over ours, and dedup on over off', () => {
    expect(ratios.stockCpuOverOurs.rounds).toEqual([3, 2]);
    expect(ratios.stockCpuOverOursNoDedup.rounds).toEqual([1.5, 2]);
    expect(ratios.hiveCpuOverOurs.rounds).toEqual([4, 3]);
    expect(ratios.hiveNoDedupCpuOverOurs.rounds).toEqual([5, 2.5]);
    expect(ratios.hiveRustCpuOverOurs.rounds).toEqual([1.5, 1.5]);
    expect(ratios.hiveRustCpuOverOursNoDedup.rounds).toEqual([0.75, 1.5]);
    expect(ratios.dedupCpuCost.rounds).toEqual([0.5, 1]);
  });

  it('reports the median of the rounds with their range', () => {
    expect(ratios.oursOverHiveNoDedup).toMatchObject({ min: 3, max: 5 });
    expect(ratios.oursOverHiveNoDedup.median).toBeCloseTo(4);
  });
});
