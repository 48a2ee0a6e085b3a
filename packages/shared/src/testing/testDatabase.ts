import { randomBytes } from 'node:crypto';
import { createPool, dropDatabase, ensureDatabase, withDatabaseName } from '../db';
import type { Pool } from '../db';

/** Set by the integration globalSetup: a migrated, seeded database to clone per test file. */
export const TEMPLATE_DB_ENV = 'CINEMAABYSS_TEST_TEMPLATE_DB';
/** Set by the integration globalSetup: the server the test databases live on. */
export const TEST_SERVER_ENV = 'CINEMAABYSS_TEST_DB_SERVER';

export interface TestDatabase {
  connectionString: string;
  pool: Pool;
  /** Ends the pool and drops the database. */
  drop(): Promise<void>;
}

/**
 * A pool on a database that exists already, and the drop() that ends both: what tests and the
 * bench hold while they use a throw-away database.
 */
export function disposableDatabase(
  connectionString: string,
  pool: { applicationName: string; max: number },
): TestDatabase {
  const opened = createPool({ connectionString, ...pool });
  return {
    connectionString,
    pool: opened,
    async drop() {
      await opened.end();
      await dropDatabase(connectionString);
    },
  };
}

function requireEnv(name: string): string {
  const value = process.env[name];
  if (!value) {
    throw new Error(`${name} is not set: run integration tests through jest's integration project`);
  }
  return value;
}

/**
 * A fresh database holding the migrated schema and seed data, cloned from the run's template
 * (CREATE DATABASE … TEMPLATE is a file copy, far faster than migrating again).
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const template = requireEnv(TEMPLATE_DB_ENV);
  const name = `${template.replace(/_tpl$/, '')}_${randomBytes(4).toString('hex')}`;
  const connectionString = withDatabaseName(requireEnv(TEST_SERVER_ENV), name);
  await ensureDatabase(connectionString, { template });
  return disposableDatabase(connectionString, { applicationName: 'tests', max: 20 });
}
