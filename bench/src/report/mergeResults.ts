import type { BenchResults } from './benchResults';

/** The sections of BenchResults a part fills; the rest describes the run itself. */
const SECTIONS = [
  'variedWorkload',
  'gateways',
  'overrideLabels',
  'tracingCost',
  'authCost',
  'rest',
  'shadowCost',
  'graphqlShadowCost',
  'nPlusOne',
  'events',
  'subscriptions',
] as const satisfies readonly (keyof BenchResults)[];

/** An earlier run whose sections a merged report kept. */
export interface EarlierRun {
  command: string;
  commit: string;
  date: string;
  seconds: number;
  /** The sections taken from it. */
  sections: string[];
}

/**
 * `--merge`: this run's sections, and the earlier results' sections it did not measure, so a
 * run of one part (`--only=subscriptions --merge`) refreshes that part without dropping the
 * others. The report names the earlier run and what came from it; targets are judged on the
 * whole (the caller evaluates them again).
 */
export function mergeResults(
  current: Omit<BenchResults, 'targets'>,
  earlier: BenchResults,
): Omit<BenchResults, 'targets'> {
  const merged: Omit<BenchResults, 'targets'> = { ...current };
  const kept: string[] = [];
  for (const section of SECTIONS) {
    if (merged[section] === undefined && earlier[section] !== undefined) {
      (merged as Record<string, unknown>)[section] = earlier[section];
      kept.push(section);
    }
  }
  if (kept.length === 0) return current;
  if (Object.keys(merged.dataSet).length === 0) merged.dataSet = earlier.dataSet;
  // The earliest run that contributed, when the earlier results were merged already.
  const root = earlier.earlierRun;
  merged.earlierRun = {
    command: root?.command ?? earlier.command,
    commit: root?.commit ?? earlier.machine.commit,
    date: (root?.date ?? earlier.machine.date).slice(0, 10),
    seconds: root?.seconds ?? Math.round(earlier.durationSeconds),
    sections: kept,
  };
  return merged;
}
