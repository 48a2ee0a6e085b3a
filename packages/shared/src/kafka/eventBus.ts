import { logLevel } from 'kafkajs';
import { createKafkaClient } from './kafkaClient';
import type { Admin, KafkaConfig, logCreator } from 'kafkajs';
import type { Logger } from '../logger';
import { createSilentLogger } from '../logger';
import { createEventConsumer } from './eventConsumer';
import type { EventConsumer, EventConsumerOptions } from './eventConsumer';
import { unavailableAfter } from './eventBusErrors';
import { createEventProducer } from './eventProducer';
import type { EventProducer, EventProducerOptions } from './eventProducer';
import { kafkajsLogCreator } from './kafkajsLogging';

export interface EventBusOptions {
  brokers: readonly string[];
  /** Names this service in broker logs and quotas. */
  clientId: string;
  /** Receives kafkajs warnings and errors. @default silent */
  logger?: Logger;
  /** TCP connect timeout per broker. @default 1000 */
  connectionTimeoutMs?: number;
  /** How long one request waits for the broker's answer. @default 5000 */
  requestTimeoutMs?: number;
}

/**
 * The one place services meet the Kafka client library: everything else sees these
 * interfaces, so kafkajs could give way to another KafkaJS-shaped client in this folder only.
 */
export interface EventBus {
  createProducer(options?: EventProducerOptions): EventProducer;
  createConsumer(options: Omit<EventConsumerOptions, 'logger'>): EventConsumer;
  /**
   * Per partition of each topic: the first offset produced at or after `timestampMs` (the end
   * when there is none) and the end (the next offset to be written).
   */
  positionsAt(topics: readonly string[], timestampMs: number): Promise<PartitionPosition[]>;
  /** Commits where a consumer group with no members yet starts reading each partition. */
  startGroupAt(groupId: string, positions: readonly PartitionPosition[]): Promise<void>;
  /** True when the cluster answers a metadata request within timeoutMs (default 1500). */
  isReachable(timeoutMs?: number): Promise<boolean>;
  /** Ends the health probe's connection; producers and consumers are closed by their owners. */
  close(): Promise<void>;
}

/** Where one partition stands: a chosen offset, and its end when that was read. */
export interface PartitionPosition {
  topic: string;
  partition: number;
  offset: number;
  end: number;
}

/**
 * kafkajs warns on every idempotent producer with bounded retries; ours are bounded on purpose
 * (a waiting client gets a 503 instead of a hang, and the outbox retries on its own).
 */
function withoutExpectedWarnings(logger: Logger): logCreator {
  const inner = kafkajsLogCreator(logger);
  return (level) => {
    const log = inner(level);
    return (entry) => {
      if (entry.log.message.startsWith('Limiting retries for the idempotent producer')) return;
      log(entry);
    };
  };
}

export function createEventBus(options: EventBusOptions): EventBus {
  const logger = options.logger ?? createSilentLogger();
  const config: KafkaConfig = {
    clientId: options.clientId,
    brokers: [...options.brokers],
    connectionTimeout: options.connectionTimeoutMs ?? 1_000,
    requestTimeout: options.requestTimeoutMs ?? 5_000,
    logLevel: logLevel.WARN,
    logCreator: withoutExpectedWarnings(logger),
  };
  let probe: Admin | undefined;

  /** A short-lived admin client for one task (offsets), bounded like every broker request. */
  async function withAdmin<T>(task: (admin: Admin) => Promise<T>): Promise<T> {
    const admin = createKafkaClient({ ...config, retry: { retries: 2 } }).admin();
    try {
      await admin.connect();
      return await task(admin);
    } finally {
      await admin.disconnect().catch(() => {});
    }
  }

  return {
    createProducer: (producerOptions) =>
      createEventProducer(config, { logger, ...producerOptions }),
    createConsumer: (consumerOptions) =>
      createEventConsumer(config, { ...consumerOptions, logger }),
    positionsAt: (topics, timestampMs) =>
      withAdmin(async (admin) => {
        const positions: PartitionPosition[] = [];
        for (const topic of topics) {
          const [atTime, ends] = await Promise.all([
            admin.fetchTopicOffsetsByTimestamp(topic, timestampMs),
            admin.fetchTopicOffsets(topic),
          ]);
          for (const { partition, offset } of atTime) {
            const end = Number(ends.find((e) => e.partition === partition)?.high ?? offset);
            // kafkajs answers -1 for a partition with nothing produced since timestampMs.
            const first = Number(offset);
            positions.push({ topic, partition, offset: first < 0 ? end : first, end });
          }
        }
        return positions.sort(
          (a, b) => a.topic.localeCompare(b.topic) || a.partition - b.partition,
        );
      }),
    startGroupAt: (groupId, positions) =>
      withAdmin(async (admin) => {
        for (const topic of new Set(positions.map((p) => p.topic))) {
          const partitions = positions
            .filter((p) => p.topic === topic)
            .map((p) => ({ partition: p.partition, offset: String(p.offset) }));
          await admin.setOffsets({ groupId, topic, partitions });
        }
      }),
    async isReachable(timeoutMs = 1_500) {
      // No retries: the caller asks again, and a health check must answer quickly.
      probe ??= createKafkaClient({ ...config, retry: { retries: 0 } }).admin();
      const admin = probe;
      try {
        await unavailableAfter(timeoutMs, 'Kafka health probe', async () => {
          await admin.connect();
          await admin.describeCluster();
        });
        return true;
      } catch {
        // A fresh client next time rather than one stuck in a half-open state.
        if (probe === admin) probe = undefined;
        admin.disconnect().catch(() => {});
        return false;
      }
    },
    async close() {
      await probe?.disconnect().catch(() => {});
      probe = undefined;
    },
  };
}
