import { dropDatabase, withDatabaseName } from '@cinemaabyss/shared/db';
import { disposableDatabase } from '@cinemaabyss/shared/testing';
import type { Pool } from '@cinemaabyss/shared/db';
import { DEFAULT_DB_CONNECTION_STRING } from '@cinemaabyss/legacy-monolith/config';
import { prepareDatabase } from '@cinemaabyss/legacy-monolith/database';

export interface BenchDatabase {
  connectionString: string;
  /** The bench's own connections (seeding, counting, polling), apart from the services'. */
  pool: Pool;
  drop(): Promise<void>;
}

/**
 * A fresh database `cinemaabyss_bench_<timestamp>` on the server of DB_CONNECTION_STRING (or
 * the documented default), migrated and seeded as the monolith does on start.
 */
export async function createBenchDatabase(): Promise<BenchDatabase> {
  const server = process.env.DB_CONNECTION_STRING ?? DEFAULT_DB_CONNECTION_STRING;
  const name = `cinemaabyss_bench_${new Date().toISOString().replace(/\D/g, '').slice(0, 14)}`;
  const connectionString = withDatabaseName(server, name);
  await dropDatabase(connectionString);
  await prepareDatabase(connectionString);
  return disposableDatabase(connectionString, { applicationName: 'bench', max: 4 });
}
