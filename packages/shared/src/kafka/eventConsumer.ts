import { Kafka } from 'kafkajs';
import type { Consumer, KafkaConfig } from 'kafkajs';
import type { Logger } from '../logger';

export interface ConsumedRecord {
  topic: string;
  partition: number;
  offset: number;
  key: string | null;
  value: Buffer | null;
  headers: Record<string, string>;
}

export interface ConsumedRecordContext {
  /** Tells the group coordinator this member is alive; call it during long handling. */
  heartbeat(): Promise<void>;
}

/** Records still to be read on one partition after a fetched batch was handled. */
export interface PartitionLag {
  topic: string;
  partition: number;
  lag: number;
}

export interface EventConsumerOptions {
  groupId: string;
  topics: readonly string[];
  /** Where a group without committed offsets starts: true reads what was produced before it first joined. @default true */
  fromBeginning?: boolean;
  /** Partitions handled in parallel; one partition's records are always handled in order. @default 1 */
  partitionsConsumedConcurrently?: number;
  /** How long the coordinator waits for a heartbeat before rebalancing. @default 30000 */
  sessionTimeoutMs?: number;
  /** Called after each fetched batch, for a consumer-lag metric. */
  onLag?: (lag: PartitionLag) => void;
  logger: Logger;
}

export type RecordHandler = (
  record: ConsumedRecord,
  context: ConsumedRecordContext,
) => Promise<void>;

export interface EventConsumer {
  /**
   * Joins the group and hands each record to the handler; resolves once the group is joined.
   * A handler that throws gets the same record again later (kafkajs backs off, and restarts
   * the consumer after repeated failures), so it must deal with poison records itself.
   */
  start(handler: RecordHandler): Promise<void>;
  disconnect(): Promise<void>;
}

function headersOf(raw: Record<string, unknown> | undefined): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw ?? {})) {
    if (value !== undefined) headers[name] = String(value);
  }
  return headers;
}

/** A consumer-group member; offsets are committed after each handled batch. */
export function createEventConsumer(
  kafkaConfig: KafkaConfig,
  options: EventConsumerOptions,
): EventConsumer {
  const kafka = new Kafka(kafkaConfig);
  const consumer: Consumer = kafka.consumer({
    groupId: options.groupId,
    sessionTimeout: options.sessionTimeoutMs ?? 30_000,
    allowAutoTopicCreation: false,
    // Restart after any retriable crash (broker gone, coordinator moved) instead of dying.
    retry: { retries: 5, initialRetryTime: 300, maxRetryTime: 5_000 },
  });
  consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) => {
    options.onLag?.({
      topic: payload.topic,
      partition: payload.partition,
      lag: Math.max(0, Number(payload.offsetLag)),
    });
  });
  consumer.on(consumer.events.CRASH, ({ payload }) => {
    const log = payload.restart ? options.logger.warn : options.logger.error;
    log.call(
      options.logger,
      { err: payload.error, groupId: options.groupId, restart: payload.restart },
      'Kafka consumer crashed',
    );
  });

  return {
    async start(handler) {
      await consumer.connect();
      await consumer.subscribe({
        topics: [...options.topics],
        fromBeginning: options.fromBeginning ?? true,
      });
      await consumer.run({
        partitionsConsumedConcurrently: options.partitionsConsumedConcurrently ?? 1,
        eachMessage: async ({ topic, partition, message, heartbeat }) => {
          await handler(
            {
              topic,
              partition,
              offset: Number(message.offset),
              key: message.key?.toString() ?? null,
              value: message.value,
              headers: headersOf(message.headers),
            },
            { heartbeat },
          );
        },
      });
    },
    async disconnect() {
      await consumer.disconnect();
    },
  };
}
