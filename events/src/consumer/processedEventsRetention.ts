import type { Logger } from '@cinemaabyss/shared/logging';
import type { Pool } from '@cinemaabyss/shared/db';

const PURGE_EVERY_MS = 60 * 60 * 1000;

/**
 * Deletes processed_events rows older than the retention; resolves how many. Deduplication only
 * needs a record while a copy of its event can still be delivered, i.e. while the record is
 * still on its topic, so the retention must outlast the topics' own retention.
 */
export async function purgeProcessedEvents(pool: Pool, retentionMs: number): Promise<number> {
  const { rowCount } = await pool.query(
    'DELETE FROM processed_events WHERE processed_at < now() - make_interval(secs => $1)',
    [retentionMs / 1000],
  );
  return rowCount ?? 0;
}

/** Purges at start, then hourly; a retention of 0 keeps every row. */
export function startProcessedEventsRetention({
  pool,
  retentionMs,
  logger,
}: {
  pool: Pool;
  retentionMs: number;
  logger: Logger;
}): { stop(): Promise<void> } {
  if (retentionMs <= 0) return { stop: async () => {} };
  let running: Promise<void> = Promise.resolve();
  const purge = () => {
    running = purgeProcessedEvents(pool, retentionMs).then(
      (deleted) => {
        if (deleted) logger.info({ deleted }, 'purged expired processed_events rows');
      },
      (err: Error) => logger.warn({ err: err.message }, 'could not purge processed_events'),
    );
  };
  purge();
  const timer = setInterval(purge, PURGE_EVERY_MS).unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
