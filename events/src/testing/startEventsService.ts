import { randomBytes } from 'node:crypto';
import { createSilentLogger } from '@cinemaabyss/shared/logging';
import { hostList, parseEnv } from '@cinemaabyss/shared/config';
import type { Logger } from '@cinemaabyss/shared/logging';
import { createTestDatabase } from '@cinemaabyss/shared/testing';
import type { TestDatabase } from '@cinemaabyss/shared/testing';
import { createServer } from '../server';
import type { EventsDeps } from '../server';
import type { EventTopics } from '../topics';

export interface RunningEventsService {
  url: string;
  db: TestDatabase;
  brokers: string[];
  topics: EventTopics;
  /** Stops the service, and drops its database when it created it. */
  stop(): Promise<void>;
}

export interface StartEventsServiceOptions extends Partial<Pick<EventsDeps, 'handlers' | 'relay'>> {
  /** A database to share with other services; the caller drops it. @default a fresh one */
  db?: TestDatabase;
  /** @default process.env.KAFKA_BROKERS (set by the integration global setup) */
  brokers?: string[];
  /** @default a random one, so test files sharing the broker never read each other's events */
  topicPrefix?: string;
  /** @default 3 */
  maxAttempts?: number;
  logger?: Logger;
}

/** The events service on an ephemeral port, with topics and a consumer group of its own. */
export async function startEventsService(
  options: StartEventsServiceOptions = {},
): Promise<RunningEventsService> {
  const brokers =
    options.brokers ?? parseEnv({ KAFKA_BROKERS: hostList() }, process.env).KAFKA_BROKERS;
  if (!brokers) throw new Error('KAFKA_BROKERS is not set: run through the integration project');
  const db = options.db ?? (await createTestDatabase());
  const run = randomBytes(4).toString('hex');
  const server = await createServer(
    {
      port: 0,
      host: '127.0.0.1',
      kafkaBrokers: brokers,
      dbConnectionString: db.connectionString,
      topicPartitions: 3,
      topicPrefix: options.topicPrefix ?? `test-${run}.`,
      consumerGroupId: `events-test-${run}`,
      maxAttempts: options.maxAttempts ?? 3,
      relayOutbox: true,
      processedEventsRetentionMs: 14 * 24 * 60 * 60 * 1000,
    },
    {
      logger: options.logger ?? createSilentLogger(),
      pool: db.pool,
      handlers: options.handlers,
      relay: { pollIntervalMs: 200, retryMinMs: 100, retryMaxMs: 1_000, ...options.relay },
    },
  );
  try {
    const url = await server.listen(0);
    return {
      url,
      db,
      brokers,
      topics: server.topics,
      async stop() {
        await server.close();
        if (!options.db) await db.drop();
      },
    };
  } catch (err) {
    await server.close().catch(() => {});
    if (!options.db) await db.drop();
    throw err;
  }
}
