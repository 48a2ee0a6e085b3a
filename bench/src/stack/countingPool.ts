import { createPool } from '@cinemaabyss/shared/db';
import type { Pool, PoolClient } from '@cinemaabyss/shared/db';

export interface CountingPool {
  pool: Pool;
  /** Statements sent since the last reset (pool.query and client.query alike). */
  readonly statements: number;
  /** The statements' SQL, first line only, for the report. */
  readonly texts: string[];
  reset(): void;
}

function firstLine(text: unknown): string {
  const sql = typeof text === 'string' ? text : ((text as { text?: string })?.text ?? '?');
  return sql.trim().split('\n')[0]?.trim() ?? '';
}

/**
 * A pool that counts every statement its connections send: each new client's query() is
 * wrapped, which sees pool.query() (run on a checked-out client) and transactions alike.
 * pg_stat_statements would do the same server-side, but needs a server restart to load.
 */
export function createCountingPool(
  connectionString: string,
  applicationName: string,
): CountingPool {
  const pool = createPool({ connectionString, applicationName });
  let statements = 0;
  let texts: string[] = [];
  pool.on('connect', (client: PoolClient) => {
    const query = client.query.bind(client) as (...args: unknown[]) => unknown;
    (client as unknown as { query: (...args: unknown[]) => unknown }).query = (...args) => {
      statements += 1;
      texts.push(firstLine(args[0]));
      return query(...args);
    };
  });
  return {
    pool,
    get statements() {
      return statements;
    },
    get texts() {
      return texts;
    },
    reset() {
      statements = 0;
      texts = [];
    },
  };
}
