import { randomUUID } from 'node:crypto';
import { createSilentLogger } from '@cinemaabyss/shared/logging';
import { createTestDatabase } from '@cinemaabyss/shared/testing';
import type { TestDatabase } from '@cinemaabyss/shared/testing';
import { purgeProcessedEvents, startProcessedEventsRetention } from './processedEventsRetention';

const DAY_MS = 24 * 60 * 60 * 1000;

describe('processed_events retention', () => {
  let db: TestDatabase;

  beforeEach(async () => {
    db = await createTestDatabase();
  });
  afterEach(async () => {
    await db.drop();
  });

  /** A processed event recorded `ageDays` ago; resolves its id. */
  async function processed(ageDays: number): Promise<string> {
    const id = randomUUID();
    await db.pool.query(
      `INSERT INTO processed_events
         (event_id, type, action, event_timestamp, payload, topic, kafka_partition, kafka_offset,
          kafka_key, processed_at)
       VALUES ($1, 'user', 'created', now(), '{}', 'user-events', 0, 0, NULL,
               now() - make_interval(days => $2))`,
      [id, ageDays],
    );
    return id;
  }

  const remaining = async () =>
    (
      await db.pool.query<{ event_id: string }>(
        'SELECT event_id FROM processed_events ORDER BY processed_at',
      )
    ).rows.map((r) => r.event_id);

  it('deletes the rows older than the retention and keeps the rest', async () => {
    await processed(20);
    const recent = await processed(13);
    const fresh = await processed(0);

    expect(await purgeProcessedEvents(db.pool, 14 * DAY_MS)).toBe(1);
    expect(await remaining()).toEqual([recent, fresh]);
  });

  it('purges as soon as it starts, and keeps everything with a retention of 0', async () => {
    await processed(30);
    const logger = createSilentLogger();
    const keeping = startProcessedEventsRetention({ pool: db.pool, retentionMs: 0, logger });
    await keeping.stop();
    expect(await remaining()).toHaveLength(1);

    const purging = startProcessedEventsRetention({ pool: db.pool, retentionMs: DAY_MS, logger });
    await purging.stop();
    expect(await remaining()).toEqual([]);
  });
});
