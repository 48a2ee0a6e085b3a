import type { Side, Surface } from '../adminContract';
export type { Side, Surface } from '../adminContract';

/**
 * What one shadow comparison came to. `noise`: the answers differed only where the serving side's
 * own two answers differ too (learned noise), so it counts as neither a match nor a mismatch.
 */
export type ShadowResult = 'match' | 'mismatch' | 'error' | 'skipped' | 'noise';
/** In the order of the figures table's shadow_* columns. */
export const SHADOW_RESULTS: readonly ShadowResult[] = [
  'match',
  'mismatch',
  'error',
  'skipped',
  'noise',
];

/**
 * Upper bounds (ms) of the latency buckets, then one bucket for anything slower. Fixed for the
 * whole fleet so that histograms of different replicas and windows add up.
 */
export const LATENCY_BUCKETS_MS = [5, 10, 25, 50, 100, 250, 500, 1_000, 2_500, 5_000] as const;

/** @default 10 s: short enough for a rollout step to be judged on several windows. */
export const DEFAULT_WINDOW_MS = 10_000;

/** One replica's counts for one migration, side and surface over one time window. */
export interface FiguresRow {
  migration: string;
  side: Side;
  surface: Surface;
  windowStart: Date;
  windowSeconds: number;
  requests: number;
  failures: number;
  /** One count per LATENCY_BUCKETS_MS bound, then the overflow bucket. */
  latencyCounts: number[];
  shadow: Record<ShadowResult, number>;
}

export interface ServedRequest {
  migration: string;
  side: Side;
  surface: Surface;
  /** The side failed the request: a 5xx, a timeout, a refused connection. */
  failed: boolean;
  durationMs: number;
}

export interface ShadowOutcome {
  migration: string;
  /** The side the shadow call went to. */
  side: Side;
  surface: Surface;
  result: ShadowResult;
}

/** The bucket a duration falls in: the first bound it does not exceed, else the overflow. */
export function latencyBucket(durationMs: number): number {
  const index = LATENCY_BUCKETS_MS.findIndex((bound) => durationMs <= bound);
  return index === -1 ? LATENCY_BUCKETS_MS.length : index;
}

export interface FiguresRecorderOptions {
  /** @default DEFAULT_WINDOW_MS */
  windowMs?: number;
  /** @default Date.now */
  now?: () => number;
}

/**
 * Counts what this replica serves, per migration, side, surface and window, in memory: a request
 * only adds to a counter. `drain` hands the counts over (to be flushed) and starts afresh.
 */
export function createFiguresRecorder({
  windowMs = DEFAULT_WINDOW_MS,
  now = Date.now,
}: FiguresRecorderOptions = {}) {
  let rows = new Map<string, FiguresRow>();

  function rowAt(migration: string, side: Side, surface: Surface, windowStart: number) {
    const key = `${migration}\u0000${side}\u0000${surface}\u0000${windowStart}`;
    let row = rows.get(key);
    if (!row) {
      row = {
        migration,
        side,
        surface,
        windowStart: new Date(windowStart),
        windowSeconds: windowMs / 1000,
        requests: 0,
        failures: 0,
        latencyCounts: new Array<number>(LATENCY_BUCKETS_MS.length + 1).fill(0),
        shadow: { match: 0, mismatch: 0, error: 0, skipped: 0, noise: 0 },
      };
      rows.set(key, row);
    }
    return row;
  }

  const currentWindow = () => Math.floor(now() / windowMs) * windowMs;

  return {
    served({ migration, side, surface, failed, durationMs }: ServedRequest): void {
      const row = rowAt(migration, side, surface, currentWindow());
      row.requests += 1;
      if (failed) row.failures += 1;
      const bucket = latencyBucket(durationMs);
      row.latencyCounts[bucket] = (row.latencyCounts[bucket] ?? 0) + 1;
    },

    shadow({ migration, side, surface, result }: ShadowOutcome): void {
      rowAt(migration, side, surface, currentWindow()).shadow[result] += 1;
    },

    /** Everything counted since the last drain; the recorder starts empty again. */
    drain(): FiguresRow[] {
      const drained = [...rows.values()];
      rows = new Map();
      return drained;
    },

    /** Puts counts back (a flush that failed), each into its own window, adding them up. */
    restore(failed: readonly FiguresRow[]): void {
      for (const row of failed) {
        const into = rowAt(row.migration, row.side, row.surface, row.windowStart.getTime());
        into.requests += row.requests;
        into.failures += row.failures;
        row.latencyCounts.forEach(
          (count, i) => (into.latencyCounts[i] = (into.latencyCounts[i] ?? 0) + count),
        );
        for (const result of SHADOW_RESULTS) into.shadow[result] += row.shadow[result];
      }
    },
  };
}

export type FiguresRecorder = ReturnType<typeof createFiguresRecorder>;
