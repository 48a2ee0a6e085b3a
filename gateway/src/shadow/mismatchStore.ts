import type { Pool } from '@cinemaabyss/shared/db';
import type { Side, Surface } from '../figures/figuresRecorder';
import type { Difference } from './compareAnswers';
import type { GraphqlMismatch, Mismatch, RestMismatch } from '../adminContract';
export type {
  RestMismatchRequest,
  GraphqlMismatchRequest,
  RestMismatch,
  GraphqlMismatch,
  Mismatch,
} from '../adminContract';

/** How many mismatches are kept per migration: the newest. */
export const MAX_KEPT_MISMATCHES = 1_000;

export type NewMismatch = (Omit<RestMismatch, 'at'> | Omit<GraphqlMismatch, 'at'>) & {
  migration: string;
};

interface MismatchRow {
  at: Date;
  surface: Surface;
  method: string;
  path: string | null;
  operation_name: string | null;
  variables_hash: string | null;
  user_bucket: number | null;
  served_side: Side;
  served_status: number;
  served_ms: number;
  shadow_status: number;
  shadow_ms: number;
  differences: Difference[];
}

function toMismatch(row: MismatchRow): Mismatch {
  const at = row.at.toISOString();
  const side = { userBucket: row.user_bucket, servedSide: row.served_side };
  const outcome = {
    status: { served: row.served_status, shadow: row.shadow_status },
    latencyMs: { served: row.served_ms, shadow: row.shadow_ms },
    differences: row.differences,
  };
  if (row.surface === 'graphql') {
    const request = {
      method: row.method,
      operationName: row.operation_name,
      variablesHash: row.variables_hash,
      ...side,
    };
    return { at, surface: 'graphql', request, ...outcome };
  }
  // The table's CHECK keeps a path on every REST row.
  return {
    at,
    surface: 'rest',
    request: { method: row.method, path: row.path ?? '', ...side },
    ...outcome,
  };
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
      const graphql = mismatch.surface === 'graphql' ? mismatch.request : undefined;
      await pool.query(
        `INSERT INTO gateway.migration_mismatches
           (migration, surface, method, path, operation_name, variables_hash, user_bucket,
            served_side, served_status, served_ms, shadow_status, shadow_ms, differences)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
        [
          mismatch.migration,
          mismatch.surface,
          request.method,
          mismatch.surface === 'rest' ? mismatch.request.path : null,
          graphql?.operationName ?? null,
          graphql?.variablesHash ?? null,
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
        `SELECT at, surface, method, path, operation_name, variables_hash, user_bucket,
                served_side, served_status, served_ms, shadow_status, shadow_ms, differences
           FROM gateway.migration_mismatches WHERE migration = $1 ORDER BY id DESC LIMIT $2`,
        [migration, limit],
      );
      return rows.map(toMismatch);
    },
  };
}

export type MismatchStore = ReturnType<typeof createMismatchStore>;
