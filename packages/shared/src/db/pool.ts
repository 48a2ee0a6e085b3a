import pg from 'pg';
import type { Logger } from '../logger';

export type Pool = pg.Pool;
export type PoolClient = pg.PoolClient;

export interface CreatePoolOptions {
  connectionString: string;
  /** Shown in pg_stat_activity, so operators can tell services apart. */
  applicationName: string;
  logger?: Logger;
  /** @default 10 */
  max?: number;
  /** How long to wait for a connection before failing the request. @default 5000 */
  connectionTimeoutMillis?: number;
  /** Server-side cap on any one statement. @default 10000 */
  statementTimeoutMillis?: number;
}

/**
 * Postgres returns int8 (COUNT(*), bigserial) as text by default; ours fit in a double. pg's
 * type parsers are process-wide, so this is set when a pool is made, never on import.
 */
export function useNumbersForInt8(): void {
  pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));
}

/** A pool whose every outbound call is bounded in time. */
export function createPool(options: CreatePoolOptions): Pool {
  useNumbersForInt8();
  const statementTimeout = options.statementTimeoutMillis ?? 10_000;
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    application_name: options.applicationName,
    max: options.max ?? 10,
    connectionTimeoutMillis: options.connectionTimeoutMillis ?? 5_000,
    statement_timeout: statementTimeout,
    // Client-side guard too: a dead server never answers the statement timeout.
    query_timeout: statementTimeout + 2_000,
    idleTimeoutMillis: 30_000,
  });
  // An idle client losing its connection must not crash the process.
  pool.on('error', (err) =>
    options.logger?.warn({ err: err.message }, 'idle database client failed'),
  );
  return pool;
}

/** A service's pool and who ends it: `release()` ends the pool only if it was created here. */
export interface ServicePool {
  pool: Pool;
  release(): Promise<void>;
}

/**
 * The pool a caller injected (tests share one, or hand in a broken one), which stays theirs to
 * end; else a new one from options, which release() ends.
 */
export function injectedOrOwnPool(
  injected: Pool | undefined,
  options: CreatePoolOptions,
): ServicePool {
  if (injected) return { pool: injected, release: async () => {} };
  const pool = createPool(options);
  return { pool, release: () => pool.end() };
}

/** Runs fn inside BEGIN/COMMIT on one client, rolling back when it throws. */
export async function withTransaction<T>(
  pool: Pool,
  fn: (client: PoolClient) => Promise<T>,
): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await fn(client);
    await client.query('COMMIT');
    return result;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}

/** True when the database answers a trivial query within the pool's timeouts. */
export async function isDatabaseReachable(pool: Pool): Promise<boolean> {
  try {
    await pool.query('SELECT 1');
    return true;
  } catch {
    return false;
  }
}
