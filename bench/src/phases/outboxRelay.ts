import { setTimeout as sleep } from 'node:timers/promises';
import type { Pool } from '@cinemaabyss/shared/db';
import { createDomainEvent, topicForEventType } from '@cinemaabyss/shared/events';
import { spread } from '../stats';
import type { Spread } from '../stats';

export interface OutboxRelayResult {
  rowsPerRound: number;
  /** Rows published per second, from the bulk insert's commit to the last row marked published. */
  publishedPerSecond: Spread;
  /** Rows processed by the consumers per second, from the same commit to the last row processed. */
  processedPerSecond: Spread;
  /** Rounds that did not finish within the deadline (their rates are over the time they had). */
  incomplete: number;
}

/** Keys spread over many entities, as real writes would be. */
const KEYS = 500;
const POLL_MS = 25;
const DEADLINE_MS = 120_000;

async function scalar(pool: Pool, sql: string): Promise<number> {
  const { rows } = await pool.query<{ n: number }>(sql);
  return rows[0]?.n ?? 0;
}

/** Waits (bounded) until the consumers have no backlog left: the processed count holds still. */
async function waitForQuiet(pool: Pool): Promise<void> {
  const count = () => scalar(pool, 'SELECT count(*)::int AS n FROM processed_events');
  const deadline = performance.now() + DEADLINE_MS;
  let last = await count();
  while (performance.now() < deadline) {
    await sleep(1_000);
    const now = await count();
    if (now === last) return;
    last = now;
  }
}

/** Writes `rows` valid movie events into the outbox in one statement (one transaction). */
async function insertBatch(pool: Pool, rows: number, round: number): Promise<void> {
  const ids: string[] = [];
  const keys: string[] = [];
  const payloads: string[] = [];
  for (let i = 0; i < rows; i += 1) {
    const movieId = 1 + (i % KEYS);
    const event = createDomainEvent('movie', 'viewed', {
      movie_id: movieId,
      action: 'viewed',
      title: `Bench movie ${movieId}`,
      bench_round: round,
    });
    ids.push(event.id);
    keys.push(String(movieId));
    payloads.push(JSON.stringify(event));
  }
  await pool.query(
    `INSERT INTO outbox (event_id, topic, key, payload)
     SELECT id, $1, key, payload FROM unnest($2::uuid[], $3::text[], $4::jsonb[]) AS t(id, key, payload)`,
    [topicForEventType('movie'), ids, keys, payloads],
  );
}

/**
 * Part 4b: outbox relay throughput. Each round commits a bulk of rows at once and polls until
 * the running events service's relay has published them all, and its consumers processed them.
 */
export async function measureOutboxRelay(
  pool: Pool,
  {
    rows,
    rounds,
    progress = () => {},
  }: { rows: number; rounds: number; progress?: (line: string) => void },
): Promise<OutboxRelayResult> {
  const published: number[] = [];
  const processed: number[] = [];
  let incomplete = 0;
  for (let round = 0; round < rounds; round += 1) {
    await waitForQuiet(pool);
    const processedBefore = await scalar(pool, 'SELECT count(*)::int AS n FROM processed_events');
    await insertBatch(pool, rows, round);
    const start = performance.now();
    let publishedAt: number | undefined;
    let processedAt: number | undefined;
    while (processedAt === undefined && performance.now() - start < DEADLINE_MS) {
      await sleep(POLL_MS);
      if (publishedAt === undefined) {
        const pending = await scalar(
          pool,
          'SELECT count(*)::int AS n FROM outbox WHERE published_at IS NULL',
        );
        if (pending === 0) publishedAt = performance.now();
      } else {
        const done = await scalar(pool, 'SELECT count(*)::int AS n FROM processed_events');
        if (done - processedBefore >= rows) processedAt = performance.now();
      }
    }
    if (processedAt === undefined) incomplete += 1;
    const end = performance.now();
    published.push(rows / (((publishedAt ?? end) - start) / 1000));
    processed.push(rows / (((processedAt ?? end) - start) / 1000));
    progress(
      `outbox round ${round + 1}/${rounds}: ${rows} rows published at ` +
        `${published.at(-1)?.toFixed(0)}/s, processed at ${processed.at(-1)?.toFixed(0)}/s`,
    );
  }
  return {
    rowsPerRound: rows,
    publishedPerSecond: spread(published),
    processedPerSecond: spread(processed),
    incomplete,
  };
}
