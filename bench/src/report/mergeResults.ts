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
 * others. The report names, for each kept section, the run that measured it (merging again
 * keeps each section's own run); targets are judged on the whole (the caller evaluates them
 * again).
 */
export function mergeResults(
  current: Omit<BenchResults, 'targets'>,
  earlier: BenchResults,
): Omit<BenchResults, 'targets'> {
  const merged: Omit<BenchResults, 'targets'> = { ...current };
  const runs: EarlierRun[] = [];
  const runOf = (section: string): EarlierRun => {
    const measuredBy = earlier.earlierRuns?.find((run) => run.sections.includes(section)) ?? {
      command: earlier.command,
      commit: earlier.machine.commit,
      date: earlier.machine.date.slice(0, 10),
      seconds: Math.round(earlier.durationSeconds),
      sections: [],
    };
    let run = runs.find((r) => r.commit === measuredBy.commit && r.command === measuredBy.command);
    if (!run) {
      run = { ...measuredBy, sections: [] };
      runs.push(run);
    }
    return run;
  };
  for (const section of SECTIONS) {
    if (merged[section] === undefined && earlier[section] !== undefined) {
      (merged as Record<string, unknown>)[section] = earlier[section];
      runOf(section).sections.push(section);
    }
  }
  if (runs.length === 0) return current;
  if (Object.keys(merged.dataSet).length === 0) merged.dataSet = earlier.dataSet;
  merged.earlierRuns = runs;
  return merged;
}
