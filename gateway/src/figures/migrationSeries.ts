import type { FiguresWindow } from './figuresStore';
import { latencyQuantile } from './latencyQuantile';

/** What one side did in one window, as the status page draws it. */
export interface SeriesPoint {
  /** ISO 8601. */
  windowStart: string;
  requests: number;
  requestsPerSecond: number;
  /** failures ÷ requests; null when the side served nothing (it may still have been shadowed). */
  failureRate: number | null;
  /** From the window's histogram summed over the fleet; null when the side served nothing. */
  p99Ms: number | null;
  /** match ÷ (match + mismatch): noise proved nothing either way; null when neither happened. */
  shadowMatchRate: number | null;
}

export interface MigrationSeries {
  old: SeriesPoint[];
  new: SeriesPoint[];
}

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
