import { setTimeout as sleep } from 'node:timers/promises';
import type { Pool } from '@cinemaabyss/shared/db';
import { postGraphql } from '../queries';
import { percentile } from '../stats';

export interface EventLatencyResult {
  mutations: number;
  failedMutations: number;
  /** Mutations whose event was processed before the deadline. */
  processed: number;
  ratePerSecond: number;
  /** Milliseconds from the mutation's transaction to the events service's processing one. */
  p50: number;
  p95: number;
  p99: number;
  max: number;
  /** The mutation's own latency at the client, for scale. */
  mutationP50: number;
}

const CREATE_PAYMENT = `mutation Pay($userId: ID!, $amount: Float!) {
  createPayment(input: { userId: $userId, amount: $amount }) { id }
}`;
const RATE_MOVIE = `mutation Rate($userId: ID!, $movieId: ID!, $score: Int!) {
  rateMovie(userId: $userId, movieId: $movieId, score: $score) { score }
}`;
const DEADLINE_MS = 60_000;

async function maxOutboxId(pool: Pool): Promise<number> {
  const { rows } = await pool.query<{ id: number }>(
    'SELECT coalesce(max(id), 0)::int AS id FROM outbox',
  );
  return rows[0]?.id ?? 0;
}

function sendMutation(gatewayUrl: string, i: number, users: number) {
  const userId = String(1 + (i % users));
  return i % 2 === 0
    ? postGraphql(gatewayUrl, CREATE_PAYMENT, { userId, amount: 9.99 })
    : postGraphql(gatewayUrl, RATE_MOVIE, {
        userId,
        movieId: String(1 + (i % 50)),
        score: 1 + (i % 10),
      });
}

/** Untimed mutations first: query plans, connection pools, the relay and consumers get warm. */
const WARMUP_MUTATIONS = 20;

/**
 * Part 4c: end-to-end latency of the event path. Mutations go through the gateway at a steady
 * rate, alternating a payment (monolith subgraph → REST monolith) and a rating (movies
 * subgraph), each writing its event to the outbox in its own transaction. Both ends are read
 * from the database's clock: the outbox row's created_at (the mutation's transaction) and
 * processed_events.processed_at (the consumer's), so no clocks need to agree.
 */
export async function measureEventLatency(
  pool: Pool,
  gatewayUrl: string,
  { mutations, ratePerSecond, users }: { mutations: number; ratePerSecond: number; users: number },
): Promise<EventLatencyResult> {
  for (let i = 0; i < WARMUP_MUTATIONS; i += 1) await sendMutation(gatewayUrl, i, users);
  await sleep(1_000);
  const fromId = await maxOutboxId(pool);
  const interval = 1000 / ratePerSecond;
  const started = performance.now();
  const pending: Promise<void>[] = [];
  const mutationMs: number[] = [];
  let failed = 0;
  for (let i = 0; i < mutations; i += 1) {
    // Open loop: the next mutation leaves on schedule whether or not the last one answered.
    const due = started + i * interval;
    await sleep(Math.max(0, due - performance.now()));
    const sent = performance.now();
    pending.push(
      sendMutation(gatewayUrl, i, users).then(
        ({ body }) => {
          if (body.errors) failed += 1;
          else mutationMs.push(performance.now() - sent);
        },
        () => {
          failed += 1;
        },
      ),
    );
  }
  await Promise.all(pending);
  const expected = mutations - failed;
  const deadline = performance.now() + DEADLINE_MS;
  let latencies: number[] = [];
  while (performance.now() < deadline) {
    const { rows } = await pool.query<{ ms: number }>(
      `SELECT extract(epoch FROM p.processed_at - o.created_at)::float8 * 1000 AS ms
         FROM outbox o JOIN processed_events p USING (event_id) WHERE o.id > $1`,
      [fromId],
    );
    latencies = rows.map((r) => r.ms);
    if (latencies.length >= expected) break;
    await sleep(100);
  }
  return {
    mutations,
    failedMutations: failed,
    processed: latencies.length,
    ratePerSecond,
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
    max: Math.max(...latencies),
    mutationP50: percentile(mutationMs, 50),
  };
}
