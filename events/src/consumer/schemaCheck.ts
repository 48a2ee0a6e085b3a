import type { Pool } from '@cinemaabyss/shared/db';

/**
 * The legacy monolith owns the schema and migrates it on start; this service only checks that
 * its tables are there, so a wrong database fails at start with a message saying what to do.
 */
export async function assertEventTables(pool: Pool): Promise<void> {
  const { rows } = await pool.query<{ outbox: string | null; processed: string | null }>(
    "SELECT to_regclass('outbox')::text AS outbox, to_regclass('processed_events')::text AS processed",
  );
  if (!rows[0]?.outbox || !rows[0].processed) {
    throw new Error(
      'the database has no outbox / processed_events tables: start the legacy monolith once ' +
        '(it migrates the schema) or point DB_CONNECTION_STRING at its database',
    );
  }
}
