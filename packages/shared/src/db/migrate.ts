import pg from 'pg';
import { runner } from 'node-pg-migrate';
import type { Logger } from '../logger';

export interface RunMigrationsOptions {
  connectionString: string;
  /** Folder of `<timestamp>_<name>.sql` files with `-- Up Migration` sections. */
  dir: string;
  /**
   * A PostgreSQL schema the migrations own, created when missing, holding their tables and
   * their own `pgmigrations` history; so services sharing a database never mix histories.
   * @default public, the monolith's domain schema
   */
  schema?: string;
  logger?: Logger;
}

/** Any fixed number: every process migrating this database must use the same one. */
const MIGRATION_LOCK_KEY = 7_210_041;

/**
 * Applies pending migrations, forward only, and returns their names. node-pg-migrate's own
 * lock gives up when another process holds it; services starting together must wait their
 * turn instead, so we hold a blocking advisory lock on the session the runner uses.
 */
export async function runMigrations({
  connectionString,
  dir,
  schema,
  logger,
}: RunMigrationsOptions): Promise<string[]> {
  const client = new pg.Client({ connectionString, connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    const applied = await runner({
      dbClient: client,
      dir,
      direction: 'up',
      migrationsTable: 'pgmigrations',
      ...(schema && {
        schema,
        createSchema: true,
        migrationsSchema: schema,
        createMigrationsSchema: true,
      }),
      count: Infinity,
      singleTransaction: true,
      checkOrder: true,
      noLock: true,
      log: () => undefined,
      logger: {
        debug: () => undefined,
        info: () => undefined,
        warn: (message: string) => logger?.warn(message),
        error: (message: string) => logger?.error(message),
      },
    });
    if (applied.length) {
      logger?.info({ migrations: applied.map((m) => m.name) }, 'database migrated');
    }
    return applied.map((m) => m.name);
  } finally {
    // Ending the session releases the advisory lock as well.
    await client.end();
  }
}
