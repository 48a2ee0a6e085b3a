import type { FiguresWindow } from './figuresStore';
import { latencyQuantile } from './latencyQuantile';
import type { MigrationSeries, SeriesPoint } from '../adminContract';
export type { SeriesPoint, MigrationSeries } from '../adminContract';

/** Null rather than NaN where there was nothing to divide. */
const ratio = (part: number, whole: number) => (whole > 0 ? part / whole : null);

function toPoint(window: FiguresWindow): SeriesPoint {
  const { match, mismatch } = window.shadow;
  return {
    windowStart: window.windowStart.toISOString(),
    requests: window.requests,
    requestsPerSecond: window.requests / window.windowSeconds,
    failureRate: ratio(window.failures, window.requests),
    p99Ms: latencyQuantile(window.latencyCounts, 0.99),
    shadowMatchRate: ratio(match, match + mismatch),
  };
}

/** The fleet's windows of one migration as one series per side, in the windows' order. */
export function toSeries(windows: readonly FiguresWindow[]): MigrationSeries {
  const series: MigrationSeries = { old: [], new: [] };
  for (const window of windows) series[window.side].push(toPoint(window));
  return series;
}
