import type { Pool } from '@cinemaabyss/shared/db';
import { LATENCY_BUCKETS_MS, SHADOW_RESULTS } from './figuresRecorder';
import type { FiguresRow, ShadowResult, Side, Surface } from './figuresRecorder';

/** One side and surface of a migration, summed over every replica and window asked for. */
export interface FiguresTotals {
  side: Side;
  surface: Surface;
  requests: number;
  failures: number;
  latencyCounts: number[];
  shadow: Record<ShadowResult, number>;
}

/** One side of a migration in one window, summed over every replica and surface. */
export interface FiguresWindow {
  windowStart: Date;
  windowSeconds: number;
  side: Side;
  requests: number;
  failures: number;
  latencyCounts: number[];
  shadow: Record<ShadowResult, number>;
}

/** The sums a query answers, as PostgreSQL sends bigint sums: strings. */
interface SummedColumns {
  requests: string;
  failures: string;
  latency_counts: string[];
  shadow_match: string;
  shadow_mismatch: string;
  shadow_error: string;
  shadow_skipped: string;
  shadow_noise: string;
}

interface TotalsRow extends SummedColumns {
  side: Side;
  surface: Surface;
}

interface WindowRow extends SummedColumns {
  window_start: Date;
  window_seconds: number;
  side: Side;
}

/** The sums as numbers; an empty histogram (no rows to sum) as all-zero buckets. */
function summed(row: SummedColumns) {
  return {
    requests: Number(row.requests),
    failures: Number(row.failures),
    latencyCounts:
      row.latency_counts.length > 0
        ? row.latency_counts.map(Number)
        : new Array<number>(LATENCY_BUCKETS_MS.length + 1).fill(0),
    shadow: {
      match: Number(row.shadow_match),
      mismatch: Number(row.shadow_mismatch),
      error: Number(row.shadow_error),
      skipped: Number(row.shadow_skipped),
      noise: Number(row.shadow_noise),
    },
  };
}

/** The shadow_* columns summed, named as SummedColumns reads them. */
const SUMMED_SHADOW = `sum(shadow_match) AS shadow_match, sum(shadow_mismatch) AS shadow_mismatch,
                sum(shadow_error) AS shadow_error, sum(shadow_skipped) AS shadow_skipped,
                sum(shadow_noise) AS shadow_noise`;

/**
 * The fleet's figures in gateway.migration_figures: each replica adds its windows' counts to its
 * own rows, and a reader sums every replica's.
 */
export function createFiguresStore(pool: Pool) {
  return {
    /** Adds one replica's counts to its rows (several flushes of one window add up). */
    async add(replica: string, rows: readonly FiguresRow[]): Promise<void> {
      if (rows.length === 0) return;
      // One statement for the whole flush: the rows as parallel arrays, unnested.
      await pool.query(
        `INSERT INTO gateway.migration_figures AS f
           (replica, migration, side, surface, window_start, window_seconds, requests, failures,
            latency_counts, shadow_match, shadow_mismatch, shadow_error, shadow_skipped,
            shadow_noise)
         SELECT $1, r.migration, r.side, r.surface, r.window_start, r.window_seconds, r.requests,
                r.failures, ARRAY(SELECT jsonb_array_elements_text(r.latency)::bigint),
                r.shadow_match, r.shadow_mismatch, r.shadow_error, r.shadow_skipped,
                r.shadow_noise
           FROM unnest($2::text[], $3::text[], $4::text[], $5::timestamptz[], $6::int[],
                       $7::bigint[], $8::bigint[], $9::jsonb[], $10::bigint[], $11::bigint[],
                       $12::bigint[], $13::bigint[], $14::bigint[])
             AS r(migration, side, surface, window_start, window_seconds, requests, failures,
                  latency, shadow_match, shadow_mismatch, shadow_error, shadow_skipped,
                  shadow_noise)
         ON CONFLICT (migration, window_start, replica, side, surface) DO UPDATE SET
           requests = f.requests + EXCLUDED.requests,
           failures = f.failures + EXCLUDED.failures,
           latency_counts = ARRAY(
             SELECT old + new FROM unnest(f.latency_counts, EXCLUDED.latency_counts) AS l(old, new)
           ),
           shadow_match = f.shadow_match + EXCLUDED.shadow_match,
           shadow_mismatch = f.shadow_mismatch + EXCLUDED.shadow_mismatch,
           shadow_error = f.shadow_error + EXCLUDED.shadow_error,
           shadow_skipped = f.shadow_skipped + EXCLUDED.shadow_skipped,
           shadow_noise = f.shadow_noise + EXCLUDED.shadow_noise`,
        [
          replica,
          rows.map((row) => row.migration),
          rows.map((row) => row.side),
          rows.map((row) => row.surface),
          rows.map((row) => row.windowStart),
          rows.map((row) => row.windowSeconds),
          rows.map((row) => row.requests),
          rows.map((row) => row.failures),
          rows.map((row) => JSON.stringify(row.latencyCounts)),
          // $10 to $14: shadow_match … shadow_noise, in SHADOW_RESULTS' order.
          ...SHADOW_RESULTS.map((result) => rows.map((row) => row.shadow[result])),
        ],
      );
    },

    /** Removes windows that started before `before`; returns how many rows went. */
    async prune(before: Date): Promise<number> {
      const { rowCount } = await pool.query(
        'DELETE FROM gateway.migration_figures WHERE window_start < $1',
        [before],
      );
      return rowCount ?? 0;
    },

    /** Every replica's counts of one migration since `since`, per side and surface. */
    async totals(migration: string, since: Date): Promise<FiguresTotals[]> {
      const { rows } = await pool.query<TotalsRow>(
        `SELECT side, surface, sum(requests) AS requests, sum(failures) AS failures,
                ARRAY(
                  SELECT sum(count) FROM gateway.migration_figures w,
                         unnest(w.latency_counts) WITH ORDINALITY AS b(count, bucket)
                   WHERE w.migration = f.migration AND w.side = f.side AND w.surface = f.surface
                     AND w.window_start >= $2
                   GROUP BY bucket ORDER BY bucket
                ) AS latency_counts,
                ${SUMMED_SHADOW}
           FROM gateway.migration_figures f
          WHERE migration = $1 AND window_start >= $2
          GROUP BY migration, side, surface ORDER BY side, surface`,
        [migration, since],
      );
      return rows.map((row) => ({ side: row.side, surface: row.surface, ...summed(row) }));
    },

    /**
     * Every replica's counts of one migration since `since`, per window and side (the surfaces
     * added up), oldest window first: what a chart of the rollout draws.
     */
    async series(migration: string, since: Date): Promise<FiguresWindow[]> {
      const { rows } = await pool.query<WindowRow>(
        `SELECT window_start, side,
                -- Every replica uses one window length; max() only names it once.
                max(window_seconds) AS window_seconds,
                sum(requests) AS requests, sum(failures) AS failures,
                ARRAY(
                  SELECT sum(count) FROM gateway.migration_figures w,
                         unnest(w.latency_counts) WITH ORDINALITY AS b(count, bucket)
                   WHERE w.migration = f.migration AND w.window_start = f.window_start
                     AND w.side = f.side
                   GROUP BY bucket ORDER BY bucket
                ) AS latency_counts,
                ${SUMMED_SHADOW}
           FROM gateway.migration_figures f
          WHERE migration = $1 AND window_start >= $2
          GROUP BY migration, window_start, side ORDER BY window_start, side`,
        [migration, since],
      );
      return rows.map((row) => ({
        windowStart: row.window_start,
        windowSeconds: row.window_seconds,
        side: row.side,
        ...summed(row),
      }));
    },
  };
}

export type FiguresStore = ReturnType<typeof createFiguresStore>;
