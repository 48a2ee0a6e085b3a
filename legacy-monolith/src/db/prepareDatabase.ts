import { readFile } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import { ensureDatabase, runMigrations } from '@cinemaabyss/shared/db';
import type { Logger } from '@cinemaabyss/shared/logging';

export const MIGRATIONS_DIR = path.resolve(__dirname, '../../migrations');
const SEED_FILE = path.resolve(__dirname, '../../seed/seed.sql');

/** Any fixed number: it only has to be the same for every process seeding this schema. */
const SEED_LOCK_KEY = 7_210_042;

/**
 * Loads the contract's seed data when the database holds no users and no movies. An
 * advisory lock makes concurrent starts seed once.
 */
export async function seedIfEmpty(connectionString: string, logger?: Logger): Promise<boolean> {
  const client = new pg.Client({ connectionString, connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock($1)', [SEED_LOCK_KEY]);
    const { rows } = await client.query<{ empty: boolean }>(
      'SELECT NOT EXISTS (SELECT 1 FROM users) AND NOT EXISTS (SELECT 1 FROM movies) AS empty',
    );
    if (!rows[0]?.empty) {
      await client.query('COMMIT');
      return false;
    }
    await client.query(await readFile(SEED_FILE, 'utf8'));
    await client.query('COMMIT');
    logger?.info('seed data loaded into empty database');
    return true;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    await client.end();
  }
}

/** Creates the database if missing, applies pending migrations, seeds an empty database. */
export async function prepareDatabase(connectionString: string, logger?: Logger): Promise<void> {
  await ensureDatabase(connectionString);
  await runMigrations({ connectionString, dir: MIGRATIONS_DIR, logger });
  await seedIfEmpty(connectionString, logger);
}
