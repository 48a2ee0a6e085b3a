import type { BenchChild } from '../processes/startChild';
import { spread } from '../stats';
import type { Spread } from '../stats';
import { runLoad } from './runLoad';
import type { LoadResult, LoadTarget } from './runLoad';

export interface AlternatingTarget {
  id: string;
  load: LoadTarget;
  /**
   * Processes whose CPU time is read before and after each window, by the name to report it
   * under; several processes under one name are added up.
   */
  cpu?: Record<string, readonly BenchChild[]>;
  /** Runs before each of the target's windows (warm-up included): e.g. a setting to switch. */
  before?: () => Promise<void>;
}

export interface AlternatingOptions {
  rounds: number;
  warmupSeconds: number;
  settleSeconds: number;
  measureSeconds: number;
  connections: number;
  /** Requests per second across all connections (a fixed rate below saturation); unset: as fast as answered. */
  rate?: number;
  progress?: (line: string) => void;
}

/** Every round of one target, and their medians with spread. */
export interface TargetSummary {
  rps: Spread;
  p50: Spread;
  p95: Spread;
  p99: Spread;
  /** CPU milliseconds per successful request, by the names given in `cpu`. */
  cpuMsPerRequest: Record<string, Spread>;
  failures: number;
  rounds: LoadResult[];
}

function rotate<T>(items: readonly T[], by: number): T[] {
  const k = by % items.length;
  return [...items.slice(k), ...items.slice(0, k)];
}

async function readCpu(meters: AlternatingTarget['cpu']): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const [name, children] of Object.entries(meters ?? {})) {
    const stats = await Promise.all(children.map((c) => c.stats()));
    out[name] = stats.reduce((sum, s) => sum + s.cpuMs, 0);
  }
  return out;
}

interface Collected {
  loads: LoadResult[];
  cpu: Record<string, number[]>;
}

/**
 * Measures several targets in the same run, alternating: every round loads each target once,
 * in an order rotated per round so drift on a shared machine (other tenants, thermal, GC
 * history) falls on every target alike. Comparisons are then ratios of the same rounds.
 */
export async function measureAlternating(
  targets: readonly AlternatingTarget[],
  options: AlternatingOptions,
): Promise<Record<string, TargetSummary>> {
  const { connections, rate, progress = () => {} } = options;
  for (const target of targets) {
    progress(`warming up ${target.id}`);
    await target.before?.();
    await runLoad(target.load, { connections, rate, seconds: options.warmupSeconds });
  }
  const collected = new Map<string, Collected>(targets.map((t) => [t.id, { loads: [], cpu: {} }]));
  for (let r = 0; r < options.rounds; r += 1) {
    for (const target of rotate(targets, r)) {
      await target.before?.();
      if (options.settleSeconds > 0) {
        await runLoad(target.load, { connections, rate, seconds: options.settleSeconds });
      }
      const before = await readCpu(target.cpu);
      const result = await runLoad(target.load, {
        connections,
        rate,
        seconds: options.measureSeconds,
      });
      const after = await readCpu(target.cpu);
      const entry = collected.get(target.id) as Collected;
      entry.loads.push(result);
      const ok = result.rps * result.seconds;
      for (const name of Object.keys(before)) {
        const used = (after[name] as number) - (before[name] as number);
        (entry.cpu[name] ??= []).push(ok > 0 ? used / ok : Number.NaN);
      }
      progress(
        `round ${r + 1}/${options.rounds} ${target.id}: ${result.rps.toFixed(1)} rps, ` +
          `p99 ${result.p99.toFixed(1)} ms${result.failures ? `, ${result.failures} FAILED` : ''}`,
      );
    }
  }
  const summaries: Record<string, TargetSummary> = {};
  for (const [id, { loads, cpu }] of collected) {
    summaries[id] = {
      rps: spread(loads.map((l) => l.rps)),
      p50: spread(loads.map((l) => l.p50)),
      p95: spread(loads.map((l) => l.p95)),
      p99: spread(loads.map((l) => l.p99)),
      cpuMsPerRequest: Object.fromEntries(
        Object.entries(cpu).map(([name, values]) => [name, spread(values)]),
      ),
      failures: loads.reduce((sum, l) => sum + l.failures, 0),
      rounds: loads,
    };
  }
  return summaries;
}
