import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { eventually, readRecords, startEventsService } from '@cinemaabyss/events-service/testing';
import type { RunningEventsService } from '@cinemaabyss/events-service/testing';
import { startMonolith } from '@cinemaabyss/legacy-monolith/testing';
import type { RunningMonolith } from '@cinemaabyss/legacy-monolith/testing';
import { startLocalKafka } from '@cinemaabyss/local-infra';
import type { LocalKafka } from '@cinemaabyss/local-infra';
import type { Pool } from '@cinemaabyss/shared/db';
import { countTopicRecords } from '@cinemaabyss/shared/kafka';
import { sendJson } from '@cinemaabyss/shared/testing';

// Two broker starts and 200 writes on a 2-core machine.
jest.setTimeout(180_000);

const WRITES = 200;

/** The broker's ports, read from the config it was started with, to restart it on the same ones. */
function brokerPorts(dataDir: string): { port: number; controllerPort: number } {
  const props = readFileSync(path.join(dataDir, 'server.properties'), 'utf8');
  const match = /PLAINTEXT:\/\/127\.0\.0\.1:(\d+),CONTROLLER:\/\/127\.0\.0\.1:(\d+)/.exec(props);
  if (!match) throw new Error('no listeners in server.properties');
  return { port: Number(match[1]), controllerPort: Number(match[2]) };
}

/** Waits until each of `ids` has its processed_events row (its primary key: once each). */
async function waitUntilProcessed(pool: Pool, ids: string[]): Promise<void> {
  await eventually(
    async () =>
      (
        await pool.query<{ n: number }>(
          'SELECT count(*)::int AS n FROM processed_events WHERE event_id = ANY($1::uuid[])',
          [ids],
        )
      ).rows[0]?.n,
    (n) => n === ids.length,
    { timeoutMs: 120_000, intervalMs: 500 },
  );
}

/** The i-th of 200 mixed writes on the monolith: users, payments and subscriptions. */
function write(monolithUrl: string, i: number) {
  switch (i % 3) {
    case 0:
      return sendJson(`${monolithUrl}/api/users`, {
        method: 'POST',
        body: { username: `outage${i}`, email: `outage${i}@example.com` },
      });
    case 1:
      return sendJson(`${monolithUrl}/api/payments`, {
        method: 'POST',
        body: { user_id: 1 + (i % 3), amount: i + 0.5 },
      });
    default:
      return sendJson(`${monolithUrl}/api/subscriptions`, {
        method: 'POST',
        body: { user_id: 2, plan_type: 'basic', start_date: '2025-01-01', end_date: '2025-02-01' },
      });
  }
}

describe('when the Kafka broker is down', () => {
  let dataDir: string;
  let kafka: LocalKafka | undefined;
  let monolith: RunningMonolith | undefined;
  let events: RunningEventsService | undefined;

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'cinemaabyss-outage-'));
    kafka = await startLocalKafka({ port: 0, dataDir });
    monolith = await startMonolith();
    events = await startEventsService({ db: monolith.db, brokers: kafka.brokers });
  });
  afterAll(async () => {
    await events?.stop();
    await monolith?.stop();
    await kafka?.stop();
    await rm(dataDir, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
  });

  it('writes still succeed, and after the restart every event is delivered and processed exactly once', async () => {
    if (!monolith || !events || !kafka) throw new Error('not started');
    const { pool } = monolith.db;
    const eventsUrl = events.url;
    const ports = brokerPorts(dataDir);
    await kafka.stop();

    // The events service says so, promptly, instead of hanging.
    const started = Date.now();
    const produce = await sendJson(`${eventsUrl}/api/events/movie`, {
      method: 'POST',
      body: { movie_id: 1, title: 'T', action: 'viewed' },
    });
    const produceMs = Date.now() - started;
    expect(produce.status).toBe(503);
    expect(produce.body).toEqual({ error: expect.stringContaining('Kafka') });
    expect(produceMs).toBeLessThan(2_500);
    const health = await sendJson(`${eventsUrl}/api/events/health`);
    expect(health).toMatchObject({
      status: 503,
      body: { status: false, error: 'kafka unreachable' },
    });

    // 200 writes, 10 at a time, none of which needs Kafka.
    const statuses: number[] = [];
    for (let i = 0; i < WRITES; i += 10) {
      const batch = await Promise.all(
        Array.from({ length: 10 }, (_, j) => write(monolith!.url, i + j)),
      );
      statuses.push(...batch.map((response) => response.status));
    }
    expect(statuses.filter((status) => status !== 201)).toEqual([]);
    const { rows: outbox } = await pool.query<{
      event_id: string;
      topic: string;
      published_at: Date | null;
    }>('SELECT event_id, topic, published_at FROM outbox ORDER BY id');
    expect(outbox).toHaveLength(WRITES);
    expect(outbox.filter((row) => row.published_at !== null)).toEqual([]);
    const ids = outbox.map((row) => row.event_id);

    kafka = await startLocalKafka({ ...ports, dataDir });

    // Every event processed: one processed_events row per event id (its primary key).
    await waitUntilProcessed(pool, ids);
    const unpublished = await pool.query('SELECT 1 FROM outbox WHERE published_at IS NULL');
    expect(unpublished.rowCount).toBe(0);

    // Delivered: every event is on its topic (a second copy would be allowed: at least once).
    const published: Record<string, string> = {
      'user-events': events.topics.user,
      'payment-events': events.topics.payment,
    };
    for (const topic of Object.values(published)) {
      const expected = outbox.filter((row) => published[row.topic] === topic);
      const seen = new Set<string>();
      await readRecords(kafka.brokers, topic, (records) => {
        seen.add((JSON.parse(String(records.at(-1)?.value)) as { id: string }).id);
        return expected.every((row) => seen.has(row.event_id));
      });
    }

    // Processed once: the consumer did the work exactly 200 times; any copy was skipped by id.
    const metrics = await fetch(`${eventsUrl}/metrics`).then((response) => response.text());
    const processed = [
      ...metrics.matchAll(/events_consumed_total\{[^}]*outcome="processed"\} (\d+)/g),
    ].reduce((sum, match) => sum + Number(match[1]), 0);
    expect(processed).toBe(WRITES);
  });
});

describe('when the Kafka broker is killed under the launcher', () => {
  let kafka: LocalKafka | undefined;
  let monolith: RunningMonolith | undefined;
  let events: RunningEventsService | undefined;

  beforeAll(async () => {
    kafka = await startLocalKafka({ port: 0, restart: { minDelayMs: 200 } });
    monolith = await startMonolith();
    events = await startEventsService({ db: monolith.db, brokers: kafka.brokers });
  });
  afterAll(async () => {
    await events?.stop();
    await monolith?.stop();
    await kafka?.stop();
  });

  it('comes back on its own, and the outbox that grew meanwhile drains', async () => {
    if (!monolith || !events || !kafka) throw new Error('not started');
    const { pool } = monolith.db;
    const killed = kafka.pid() as number;
    process.kill(killed, 'SIGKILL');

    const statuses: number[] = [];
    for (let i = 0; i < 30; i += 10) {
      const batch = await Promise.all(
        Array.from({ length: 10 }, (_, j) => write(monolith!.url, i + j)),
      );
      statuses.push(...batch.map((response) => response.status));
    }
    expect(statuses.filter((status) => status !== 201)).toEqual([]);
    const { rows } = await pool.query<{ event_id: string }>('SELECT event_id FROM outbox');
    const ids = rows.map((row) => row.event_id);
    expect(ids).toHaveLength(30);

    const running = kafka;
    await eventually(
      async () => running.restarts(),
      (restarts) => restarts === 1,
      { timeoutMs: 90_000, intervalMs: 200 },
    );
    expect(running.pid()).not.toBe(killed);
    await waitUntilProcessed(pool, ids);
    const unpublished = await pool.query('SELECT 1 FROM outbox WHERE published_at IS NULL');
    expect(unpublished.rowCount).toBe(0);
  });
});

describe('when the Kafka broker freezes mid-send', () => {
  let kafka: LocalKafka | undefined;
  let monolith: RunningMonolith | undefined;
  let events: RunningEventsService | undefined;
  let frozen: number | undefined;

  beforeAll(async () => {
    kafka = await startLocalKafka({ port: 0 });
    monolith = await startMonolith();
    events = await startEventsService({ db: monolith.db, brokers: kafka.brokers });
  });
  afterAll(async () => {
    if (frozen !== undefined) process.kill(frozen, 'SIGCONT');
    await events?.stop();
    await monolith?.stop();
    await kafka?.stop();
  });

  it('leaves exactly one record per event id on the topic once it thaws', async () => {
    if (!monolith || !events || !kafka) throw new Error('not started');
    const { pool } = monolith.db;
    const createUser = (i: number) =>
      sendJson(`${monolith!.url}/api/users`, {
        method: 'POST',
        body: { username: `frozen${i}`, email: `frozen${i}@example.com` },
      });

    // A SIGSTOPped broker keeps its sockets open and answers nothing, so a send neither
    // fails nor succeeds; once it thaws it writes what it had received.
    frozen = kafka.pid() as number;
    process.kill(frozen, 'SIGSTOP');
    const statuses: number[] = [];
    for (let i = 0; i < 30; i += 10) {
      const batch = await Promise.all(Array.from({ length: 10 }, (_, j) => createUser(i + j)));
      statuses.push(...batch.map((response) => response.status));
    }
    expect(statuses.filter((status) => status !== 201)).toEqual([]);
    // Longer than any single request or send timeout of the relay's producer.
    await new Promise((resolve) => setTimeout(resolve, 20_000));
    process.kill(frozen, 'SIGCONT');
    frozen = undefined;

    const ids = (
      await pool.query<{ event_id: string }>(
        "SELECT event_id FROM outbox WHERE topic = 'user-events' ORDER BY id",
      )
    ).rows.map((row) => row.event_id);
    expect(ids).toHaveLength(30);
    await eventually(
      async () => (await pool.query('SELECT 1 FROM outbox WHERE published_at IS NULL')).rowCount,
      (pending) => pending === 0,
      { timeoutMs: 90_000, intervalMs: 500 },
    );

    // Just thawed, the broker can still answer metadata with a retriable error
    // (UNKNOWN_TOPIC_OR_PARTITION) for a moment: ask again until it answers.
    const { brokers } = kafka;
    const topic = events.topics.user;
    const onTopic = (await eventually(
      () => countTopicRecords(brokers, [topic]).catch(() => undefined),
      (count) => count !== undefined,
      { timeoutMs: 30_000, intervalMs: 500 },
    )) as number;
    const records = await readRecords(
      kafka.brokers,
      events.topics.user,
      (read) => read.length >= onTopic,
    );
    const eventIds = records.map(
      (record) => (JSON.parse(String(record.value)) as { id: string }).id,
    );
    expect(eventIds.toSorted()).toEqual(ids.toSorted());
    expect(onTopic).toBe(30);
  });
});
