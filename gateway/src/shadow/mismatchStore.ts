import type { Pool } from '@cinemaabyss/shared/db';
import type { Side, Surface } from '../figures/figuresRecorder';
import type { Difference } from './compareAnswers';

/** How many mismatches are kept per migration: the newest. */
export const MAX_KEPT_MISMATCHES = 1_000;

/** One request whose two answers differed, as the operator reads it. */
export interface Mismatch {
  at: string;
  surface: Surface;
  request: { method: string; path: string; userBucket: number | null; servedSide: Side };
  status: { served: number; shadow: number };
  latencyMs: { served: number; shadow: number };
  differences: Difference[];
}

export type NewMismatch = Omit<Mismatch, 'at'> & { migration: string };

interface MismatchRow {
  at: Date;
  surface: Surface;
  method: string;
  path: string;
  user_bucket: number | null;
  served_side: Side;
  served_status: number;
  served_ms: number;
  shadow_status: number;
  shadow_ms: number;
  differences: Difference[];
}

/** The mismatches of shadow comparisons in gateway.migration_mismatches, bounded per migration. */
export function createMismatchStore(
  pool: Pool,
  /** How many to keep per migration. @default MAX_KEPT_MISMATCHES */
  { keep = MAX_KEPT_MISMATCHES }: { keep?: number } = {},
) {
  return {
    /** Keeps one mismatch and drops the migration's oldest beyond `keep`. */
    async record(mismatch: NewMismatch): Promise<void> {
      const { request, status, latencyMs } = mismatch;
      await pool.query(
        `INSERT INTO gateway.migration_mismatches
           (migration, surface, method, path, user_bucket, served_side, served_status, served_ms,
            shadow_status, shadow_ms, differences)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
        [
          mismatch.migration,
          mismatch.surface,
          request.method,
          request.path,
          request.userBucket,
          request.servedSide,
          status.served,
          latencyMs.served,
          status.shadow,
          latencyMs.shadow,
          JSON.stringify(mismatch.differences),
        ],
      );
      // The bound holds after every insert (replicas racing may leave a few more for a moment).
      await pool.query(
        `DELETE FROM gateway.migration_mismatches
          WHERE migration = $1 AND id < (
            SELECT min(id) FROM (
              SELECT id FROM gateway.migration_mismatches WHERE migration = $1
               ORDER BY id DESC LIMIT $2
            ) AS newest
          )`,
        [mismatch.migration, keep],
      );
    },

    /** The newest mismatches of one migration, newest first. */
    async latest(migration: string, limit: number): Promise<Mismatch[]> {
      const { rows } = await pool.query<MismatchRow>(
        `SELECT at, surface, method, path, user_bucket, served_side, served_status, served_ms,
                shadow_status, shadow_ms, differences
           FROM gateway.migration_mismatches WHERE migration = $1 ORDER BY id DESC LIMIT $2`,
        [migration, limit],
      );
      return rows.map((row) => ({
        at: row.at.toISOString(),
        surface: row.surface,
        request: {
          method: row.method,
          path: row.path,
          userBucket: row.user_bucket,
          servedSide: row.served_side,
        },
        status: { served: row.served_status, shadow: row.shadow_status },
        latencyMs: { served: row.served_ms, shadow: row.shadow_ms },
        differences: row.differences,
      }));
    },
  };
}

export type MismatchStore = ReturnType<typeof createMismatchStore>;
