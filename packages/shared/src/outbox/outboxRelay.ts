import { setTimeout as sleep } from 'node:timers/promises';
import { backoffDelay } from '../backoff';
import { listenForNotifications, withTransaction } from '../db';
import type { NotificationListener, Pool, PoolClient } from '../db';
import type { EventProducer } from '../kafka/eventProducer';
import type { Logger } from '../logger';
import { OUTBOX_CHANNEL } from './insertOutboxEvent';
import { createWakeSignal } from './wakeSignal';

export interface OutboxRelayOptions {
  pool: Pool;
  producer: EventProducer;
  logger: Logger;
  /** Enables LISTEN/NOTIFY wake-ups over one extra connection; without it the relay only polls. */
  connectionString?: string;
  /** Maps a stored topic to the one published to, e.g. to add a per-deployment prefix. @default identity */
  resolveTopic?: (topic: string) => string;
  /** Rows published per transaction and lane. @default 1000 */
  batchSize?: number;
  /**
   * Keys are spread over this many lanes; each lane is relayed by one instance at a time, so
   * several instances publish in parallel without reordering a key. Every instance relaying
   * one database must use the same number. @default 4
   */
  lanes?: number;
  /** Poll interval when no notification arrives. @default 1000 */
  pollIntervalMs?: number;
  /** First pause after a failed batch; doubles per failure up to retryMaxMs. @default 200 */
  retryMinMs?: number;
  /** @default 5000 */
  retryMaxMs?: number;
  /** Published rows older than this are deleted (checked hourly); 0 keeps them. @default 7 days */
  retentionMs?: number;
  /** Called with the topics of the records of each published batch, e.g. for metrics. */
  onPublished?: (topics: string[]) => void;
}

export interface OutboxRelay {
  /** Starts relaying in the background; safe to call once. */
  start(): void;
  /** Finishes the batch in flight (or gives up on it), then stops listening. */
  stop(): Promise<void>;
  /** One pass over every lane: publishes what is pending now and resolves the row count. */
  relayPending(): Promise<number>;
  /** Deletes rows published longer than the retention ago; resolves how many. */
  purgeExpired(): Promise<number>;
}

/** Any fixed number; with the lane as second key it names one lane's advisory lock. */
const RELAY_LOCK_CLASS = 7_210_043;
const PURGE_EVERY_MS = 60 * 60 * 1000;

interface OutboxRow {
  id: number;
  event_id: string;
  topic: string;
  key: string;
  value: string;
  traceparent: string | null;
  tracestate: string | null;
}

/** Rows per producer round trip and transaction; 1,000 publishes ~3× the events/s of 100. */
export const DEFAULT_RELAY_BATCH_SIZE = 1000;

/**
 * Publishes outbox rows to Kafka in id order per key and marks them published after the
 * broker's ack (at least once: a crash between ack and commit publishes a row again, and
 * consumers drop the copy by event id). Give it a producer with `delivery: 'until-settled'`, so
 * that a broker outage never turns into a second copy.
 *
 * Ordering: a row's lane is a hash of its key. A batch holds its lane's transaction-scoped
 * advisory lock while it selects the lane's oldest unpublished rows (`ORDER BY id … FOR
 * UPDATE SKIP LOCKED`), sends them (one producer, in order) and marks them; other instances
 * skip a locked lane. So one key's rows are published by one instance at a time, in id order.
 * Rows of one key get increasing ids when their writes are ordered (one commits before the
 * next starts, as a rating after its movie); concurrent writes have no order to keep.
 */
export function createOutboxRelay(options: OutboxRelayOptions): OutboxRelay {
  const {
    pool,
    producer,
    logger,
    resolveTopic = (topic: string) => topic,
    batchSize = DEFAULT_RELAY_BATCH_SIZE,
    lanes = 4,
    pollIntervalMs = 1_000,
    retryMinMs = 200,
    retryMaxMs = 5_000,
    retentionMs = 7 * 24 * 60 * 60 * 1000,
  } = options;
  const wake = createWakeSignal();
  let listener: NotificationListener | undefined;
  let loop: Promise<void> | undefined;
  let stopped = false;
  let lastPurge = 0;
  const stopping = new AbortController();

  async function publishLane(client: PoolClient, lane: number): Promise<number> {
    const { rows: locks } = await client.query<{ locked: boolean }>(
      'SELECT pg_try_advisory_xact_lock($1, $2) AS locked',
      [RELAY_LOCK_CLASS, lane],
    );
    if (!locks[0]?.locked) return 0;
    // hashtext is int4; shifting it to 0..2^32-1 keeps mod() non-negative.
    const { rows } = await client.query<OutboxRow>(
      `SELECT id, event_id, topic, key, payload::text AS value, traceparent, tracestate FROM outbox
        WHERE published_at IS NULL AND mod(hashtext(key)::bigint + 2147483648, $1) = $2
        ORDER BY id LIMIT $3 FOR UPDATE SKIP LOCKED`,
      [lanes, lane, batchSize],
    );
    if (rows.length === 0) return 0;
    const records = rows.map((row) => ({
      topic: resolveTopic(row.topic),
      key: row.key,
      value: row.value,
      headers: { 'event-id': row.event_id },
      // The publish continues the writer's trace, however long after the write it happens.
      ...(row.traceparent
        ? {
            traceContext: { traceparent: row.traceparent, tracestate: row.tracestate ?? undefined },
          }
        : {}),
    }));
    // The relay's producer should deliver until settled: a batch given up on while the broker
    // may still write it would be sent again with these rows, as a copy.
    await producer.send(records, { signal: stopping.signal });
    await client.query('UPDATE outbox SET published_at = now() WHERE id = ANY($1::bigint[])', [
      rows.map((row) => row.id),
    ]);
    options.onPublished?.(records.map((record) => record.topic));
    return rows.length;
  }

  async function relayPending(): Promise<number> {
    let published = 0;
    for (let lane = 0; lane < lanes; lane += 1) {
      published += await withTransaction(pool, (client) => publishLane(client, lane));
    }
    if (published > 0) logger.debug({ published }, 'outbox rows published');
    return published;
  }

  async function purgeExpired(): Promise<number> {
    if (retentionMs <= 0) return 0;
    const { rowCount } = await pool.query(
      `DELETE FROM outbox WHERE published_at < now() - make_interval(secs => $1)`,
      [retentionMs / 1000],
    );
    if (rowCount) logger.info({ deleted: rowCount }, 'purged published outbox rows');
    return rowCount ?? 0;
  }

  async function purgeIfDue(): Promise<void> {
    if (Date.now() - lastPurge < PURGE_EVERY_MS) return;
    lastPurge = Date.now();
    await purgeExpired();
  }

  async function run(): Promise<void> {
    let failures = 0;
    while (!stopped) {
      try {
        const published = await relayPending();
        if (failures > 0) logger.info({ published }, 'outbox relay recovered');
        failures = 0;
        await purgeIfDue();
        // A full pass may have left more rows behind; only an idle pass waits.
        if (published === 0) await wake.wait(pollIntervalMs);
      } catch (err) {
        failures += 1;
        const retryInMs = backoffDelay(failures, { initialMs: retryMinMs, maxMs: retryMaxMs });
        logger.warn(
          { err: (err as Error).message, failures, retryInMs },
          'outbox relay could not publish; retrying',
        );
        // Notifications do not cut the backoff short: the broker or database is what failed.
        await sleep(retryInMs, undefined, { signal: stopping.signal }).catch(() => {});
      }
    }
  }

  return {
    start() {
      if (loop) return;
      if (options.connectionString) {
        listener = listenForNotifications({
          connectionString: options.connectionString,
          channel: OUTBOX_CHANNEL,
          onNotify: () => wake.nudge(),
          logger,
        });
      }
      loop = run().catch((err: unknown) => logger.error({ err }, 'outbox relay stopped'));
    },
    async stop() {
      stopped = true;
      stopping.abort();
      wake.nudge();
      await loop;
      await listener?.stop();
    },
    relayPending,
    purgeExpired,
  };
}
