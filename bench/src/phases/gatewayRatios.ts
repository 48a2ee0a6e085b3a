import type { TargetSummary } from '../load/measureAlternating';
import { roundRatios, spread } from '../stats';
import type { Spread } from '../stats';
import type { GatewayName } from './gatewayComparison';

/**
 * How the six gateways of part 1 compare, per round: RPS ratios (ours ÷ theirs) and gateway
 * CPU per request (theirs ÷ ours: > 1 means ours is leaner). Both scenarios report the same set.
 */
export interface GatewayRatios {
  oursOverStock: Spread;
  /** Ours with its in-flight dedup off (every query runs its whole plan) ÷ stock. */
  oursNoDedupOverStock: Spread;
  oursOverHive: Spread;
  oursOverHiveNoDedup: Spread;
  stockCpuOverOurs: Spread;
  stockCpuOverOursNoDedup: Spread;
  hiveCpuOverOurs: Spread;
  hiveNoDedupCpuOverOurs: Spread;
  /** Hive Gateway with Hive Router's Rust query planner: the engine anchor. */
  oursOverHiveRust: Spread;
  hiveRustCpuOverOurs: Spread;
  /** Its CPU per request ÷ ours with dedup off: engine against engine. */
  hiveRustCpuOverOursNoDedup: Spread;
  /** Ours with in-flight dedup on ÷ off, gateway CPU per request: its bookkeeping where nothing collapses. */
  dedupCpuCost: Spread;
}

export function gatewayRatios(gateways: Record<GatewayName, TargetSummary>): GatewayRatios {
  const rps = (name: GatewayName) => gateways[name].rps.rounds;
  const cpu = (name: GatewayName) => gateways[name].cpuMsPerRequest.gateway?.rounds ?? [];
  const ratio = (a: number[], b: number[]) => spread(roundRatios(a, b));
  return {
    oursOverStock: ratio(rps('ours'), rps('stock')),
    oursNoDedupOverStock: ratio(rps('ours-nodedup'), rps('stock')),
    oursOverHive: ratio(rps('ours'), rps('hive')),
    oursOverHiveNoDedup: ratio(rps('ours'), rps('hive-nodedup')),
    stockCpuOverOurs: ratio(cpu('stock'), cpu('ours')),
    stockCpuOverOursNoDedup: ratio(cpu('stock'), cpu('ours-nodedup')),
    hiveCpuOverOurs: ratio(cpu('hive'), cpu('ours')),
    hiveNoDedupCpuOverOurs: ratio(cpu('hive-nodedup'), cpu('ours')),
    oursOverHiveRust: ratio(rps('ours'), rps('hive-rust')),
    hiveRustCpuOverOurs: ratio(cpu('hive-rust'), cpu('ours')),
    hiveRustCpuOverOursNoDedup: ratio(cpu('hive-rust'), cpu('ours-nodedup')),
    dedupCpuCost: ratio(cpu('ours'), cpu('ours-nodedup')),
  };
}
