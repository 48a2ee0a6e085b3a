import { createHttpApp, listenOn } from '@cinemaabyss/shared/http';
import { injectedOrOwnPool } from '@cinemaabyss/shared/db';
import type { Logger } from '@cinemaabyss/shared/logging';
import type { Pool } from '@cinemaabyss/shared/db';
import type { EventType } from '@cinemaabyss/shared/events';
import { createEventBus, ensureTopics } from '@cinemaabyss/shared/kafka';
import { createOutboxRelay } from '@cinemaabyss/shared/outbox';
import type { OutboxRelayOptions } from '@cinemaabyss/shared/outbox';
import type { EventsConfig } from './config';
import { createEventProcessor } from './consumer/eventProcessor';
import type { EventHandler } from './consumer/eventProcessor';
import { startProcessedEventsRetention } from './consumer/processedEventsRetention';
import { assertEventTables } from './consumer/schemaCheck';
import { createEventsMetrics } from './metrics';
import { registerEventsRoutes } from './rest/eventsRoutes';
import { eventTopics } from './topics';
import type { EventTopics } from './topics';

/** A client waiting on `POST /api/events/*` gets its answer (201 or 503) within about 2 s. */
const REST_SEND_TIMEOUT_MS = 1_800;

export interface EventsDeps {
  logger: Logger;
  /** Injected so tests can share a database; created from config when absent. */
  pool?: Pool;
  /** Per-type work done with each event, inside its processing transaction. @default none */
  handlers?: Partial<Record<EventType, EventHandler>>;
  /** Relay tuning (tests shorten the backoff). */
  relay?: Pick<OutboxRelayOptions, 'pollIntervalMs' | 'retryMinMs' | 'retryMaxMs' | 'batchSize'>;
}

export interface EventsServer {
  /** Joins the consumer group, starts the outbox relay, then listens and resolves the base URL. */
  listen(port?: number, host?: string): Promise<string>;
  /** Drains HTTP, stops the relay, disconnects the consumer and producers, then ends the pool. */
  close(): Promise<void>;
  readonly topics: EventTopics;
}

/**
 * The events service: REST producers, the consumer group, and the outbox relay. All its
 * start-up work is done here (its tables checked, the topics ensured, the producers
 * connected); nothing is consumed, relayed or served until listen().
 */
export async function createServer(config: EventsConfig, deps: EventsDeps): Promise<EventsServer> {
  const { logger } = deps;
  const { pool, release: releasePool } = injectedOrOwnPool(deps.pool, {
    connectionString: config.dbConnectionString,
    applicationName: 'events-service',
    logger,
  });
  const topics = eventTopics(config.topicPrefix);
  const metrics = createEventsMetrics();
  const bus = createEventBus({
    brokers: config.kafkaBrokers,
    clientId: 'events-service',
    logger: logger.child({ component: 'kafka' }),
  });
  // Clients wait on this one, so it gives up quickly; the other serves background work.
  const restProducer = bus.createProducer({ retries: 2, sendTimeoutMs: REST_SEND_TIMEOUT_MS });
  const backgroundProducer = bus.createProducer({ retries: 5, sendTimeoutMs: 10_000 });
  // The outbox waits in the database, so its sends wait for the broker's answer: giving up on
  // one the broker may still write, then sending the rows again, would leave a copy.
  const relayProducer = bus.createProducer({ delivery: 'until-settled' });
  const consumer = bus.createConsumer({
    groupId: config.consumerGroupId,
    topics: topics.consumed,
    partitionsConsumedConcurrently: 3,
    // A member that vanished (crash, broker restart) holds up the group's next rebalance until
    // its session expires; handlers are short database transactions, so 10 s is plenty.
    sessionTimeoutMs: 10_000,
    onLag: ({ topic, partition, lag }) =>
      metrics.consumerLag.set({ topic, partition: String(partition) }, lag),
  });
  const relay = config.relayOutbox
    ? createOutboxRelay({
        ...deps.relay,
        pool,
        producer: relayProducer,
        connectionString: config.dbConnectionString,
        logger: logger.child({ component: 'outbox-relay' }),
        resolveTopic: (topic) => `${config.topicPrefix}${topic}`,
        onPublished: (published) => {
          for (const topic of published) metrics.produced.inc({ topic, source: 'outbox' });
        },
      })
    : undefined;
  const processEvent = createEventProcessor({
    pool,
    producer: backgroundProducer,
    deadLetterTopic: topics.deadLetter,
    maxAttempts: config.maxAttempts,
    metrics,
    logger: logger.child({ component: 'consumer' }),
    handlers: deps.handlers,
  });

  const app = createHttpApp({ logger });
  registerEventsRoutes(app, { pool, bus, producer: restProducer, consumer, topics, metrics });

  // Set before start(), so close() also disconnects a consumer whose group join timed out.
  let consuming = false;
  let retention: { stop(): Promise<void> } | undefined;
  const close = async () => {
    await app.close();
    await relay?.stop();
    await retention?.stop();
    if (consuming) await consumer.disconnect();
    await Promise.all(
      [restProducer, backgroundProducer, relayProducer].map((producer) => producer.disconnect()),
    );
    await bus.close();
    await releasePool();
  };

  try {
    await assertEventTables(pool);
    await ensureTopics([...config.kafkaBrokers], topics.all, {
      partitions: config.topicPartitions,
      logger,
    });
    // Connecting now keeps the cost of it out of the first client's 2 s budget; a failure
    // only means the first send connects instead.
    await Promise.all(
      [restProducer, backgroundProducer, relayProducer].map((producer) =>
        producer
          .connect()
          .catch((err: Error) => logger.warn({ err: err.message }, 'producer not connected yet')),
      ),
    );
  } catch (err) {
    // Leave no connection behind when start-up fails half-way.
    await close().catch(() => {});
    throw err;
  }

  return {
    topics,
    async listen(port = config.port, host = config.host) {
      consuming = true;
      await consumer.start(processEvent);
      relay?.start();
      retention = startProcessedEventsRetention({
        pool,
        retentionMs: config.processedEventsRetentionMs,
        logger,
      });
      return listenOn(app, port, host);
    },
    close,
  };
}
