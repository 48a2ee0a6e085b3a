import { setTimeout as sleep } from 'node:timers/promises';
import { createSilentLogger } from '../logger';
import { withTransaction } from '../db';
import { createDomainEvent } from '../events/domainEvent';
import type { EventType } from '../events/domainEvent';
import type { EventProducer, OutgoingRecord } from '../kafka/eventProducer';
import { createTestDatabase } from '../testing/testDatabase';
import type { TestDatabase } from '../testing/testDatabase';
import { insertOutboxEvent } from './insertOutboxEvent';
import { createOutboxRelay } from './outboxRelay';
import type { OutboxRelay } from './outboxRelay';

/** Stands in for Kafka: keeps what it acknowledged, in acknowledgement order. */
function fakeProducer({ failures = 0, maxDelayMs = 0 } = {}) {
  const acked: OutgoingRecord[] = [];
  let failuresLeft = failures;
  const producer: EventProducer = {
    connect: async () => {},
    async send(records) {
      if (maxDelayMs) await sleep(Math.random() * maxDelayMs);
      if (failuresLeft > 0) {
        failuresLeft -= 1;
        throw new Error('broker unavailable');
      }
      acked.push(...records);
      return [];
    },
    disconnect: async () => {},
  };
  return { producer, acked };
}

const eventIdOf = (record: OutgoingRecord) => record.headers?.['event-id'] as string;
const seqOf = (record: OutgoingRecord) =>
  (JSON.parse(String(record.value)) as { payload: { seq: number } }).payload.seq;

describe('outbox relay', () => {
  let db: TestDatabase;
  const relays: OutboxRelay[] = [];
  const logger = createSilentLogger();

  /** Writes events the way repositories do: each in its own committed transaction. */
  async function writeEvents(keys: string[], type: EventType = 'user'): Promise<string[]> {
    const ids: string[] = [];
    for (const [seq, key] of keys.entries()) {
      const event = createDomainEvent(type, 'created', { seq });
      await withTransaction(db.pool, (client) => insertOutboxEvent(client, { key, event }));
      ids.push(event.id);
    }
    return ids;
  }

  const unpublished = async () =>
    (
      await db.pool.query<{ n: number }>(
        'SELECT count(*) AS n FROM outbox WHERE published_at IS NULL',
      )
    ).rows[0]?.n ?? 0;

  beforeEach(async () => {
    db = await createTestDatabase();
  });
  afterEach(async () => {
    await Promise.all(relays.splice(0).map((relay) => relay.stop()));
    await db.drop();
  });

  it('publishes pending rows to their (resolved) topic in id order, keyed, and marks them published', async () => {
    const ids = await writeEvents(['1', '2', '1']);
    await writeEvents(['7'], 'subscription');
    const { producer, acked } = fakeProducer();
    const relay = createOutboxRelay({
      pool: db.pool,
      producer,
      logger,
      lanes: 1,
      resolveTopic: (topic) => `prod.${topic}`,
    });

    expect(await relay.relayPending()).toBe(4);

    expect(acked.slice(0, 3).map((r) => [r.topic, r.key, eventIdOf(r)])).toEqual([
      ['prod.user-events', '1', ids[0]],
      ['prod.user-events', '2', ids[1]],
      ['prod.user-events', '1', ids[2]],
    ]);
    expect(acked[3]).toMatchObject({ topic: 'prod.payment-events', key: '7' });
    expect(JSON.parse(String(acked[0]?.value))).toMatchObject({ id: ids[0], type: 'user' });
    expect(await unpublished()).toBe(0);
    expect(await relay.relayPending()).toBe(0);
  });

  it('purges rows published longer ago than the retention, never unpublished ones', async () => {
    const [oldPublished, recentPublished, oldUnpublished] = await writeEvents(['1', '2', '3']);
    await db.pool.query(
      `UPDATE outbox SET published_at = now() - interval '8 days' WHERE event_id = $1`,
      [oldPublished],
    );
    await db.pool.query(`UPDATE outbox SET published_at = now() WHERE event_id = $1`, [
      recentPublished,
    ]);
    await db.pool.query(
      `UPDATE outbox SET created_at = now() - interval '30 days' WHERE event_id = $1`,
      [oldUnpublished],
    );
    const relay = createOutboxRelay({ pool: db.pool, producer: fakeProducer().producer, logger });

    expect(await relay.purgeExpired()).toBe(1);
    const { rows } = await db.pool.query<{ event_id: string }>(
      'SELECT event_id FROM outbox ORDER BY id',
    );
    expect(rows.map((r) => r.event_id)).toEqual([recentPublished, oldUnpublished]);
  });

  it('keeps rows when the broker fails and publishes them once it is back', async () => {
    const ids = await writeEvents(['a', 'b', 'c']);
    const { producer, acked } = fakeProducer({ failures: 3 });
    const relay = createOutboxRelay({
      pool: db.pool,
      producer,
      logger,
      lanes: 1,
      pollIntervalMs: 50,
      retryMinMs: 20,
      retryMaxMs: 50,
    });
    relays.push(relay);

    relay.start();
    const deadline = Date.now() + 10_000;
    while ((await unpublished()) !== 0 && Date.now() < deadline) await sleep(20);

    expect(acked.map(eventIdOf)).toEqual(ids);
  });

  it('with several instances, publishes every row once and each key in write order', async () => {
    const keys = Array.from({ length: 240 }, (_, i) => String(i % 12));
    const ids = await writeEvents(keys);
    const { producer, acked } = fakeProducer({ maxDelayMs: 15 });
    const options = { pool: db.pool, producer, logger, lanes: 4, batchSize: 10 };
    const instances = [
      createOutboxRelay(options),
      createOutboxRelay(options),
      createOutboxRelay(options),
    ];

    // Each instance drains concurrently until nothing is left.
    await Promise.all(
      instances.map(async (relay) => {
        while ((await relay.relayPending()) > 0 || (await unpublished()) > 0) await sleep(5);
      }),
    );

    expect(acked.map(eventIdOf).sort()).toEqual([...ids].sort());
    for (const key of new Set(keys)) {
      const order = acked.filter((r) => r.key === key).map(seqOf);
      expect(order).toEqual([...order].sort((a, b) => a - b));
    }
  });

  it('wakes up on NOTIFY instead of waiting for the next poll', async () => {
    const { producer, acked } = fakeProducer();
    const relay = createOutboxRelay({
      pool: db.pool,
      producer,
      logger,
      connectionString: db.connectionString,
      pollIntervalMs: 60_000,
    });
    relays.push(relay);
    relay.start();
    // Let the first (empty) pass and the LISTEN happen before writing.
    await sleep(500);

    const [id] = await writeEvents(['9']);
    const deadline = Date.now() + 5_000;
    while (acked.length === 0 && Date.now() < deadline) await sleep(20);

    expect(acked.map(eventIdOf)).toEqual([id]);
  });
});
