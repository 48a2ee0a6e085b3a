import { createKafkaClient } from './kafkaClient';
import type { Consumer, KafkaConfig } from 'kafkajs';
import type { Logger } from '../logger';
import { unavailableAfter } from './eventBusErrors';
import { processInSpan } from './messageTracing';

export interface ConsumedRecord {
  topic: string;
  partition: number;
  offset: number;
  key: string | null;
  value: Buffer | null;
  headers: Record<string, string>;
  /** When the record was produced (the broker's timestamp), in epoch milliseconds. */
  timestamp: number;
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
  /** How long start() waits for the group to be joined. @default 30000 */
  joinTimeoutMs?: number;
  /**
   * How long one fetch waits for records to arrive: also how long disconnect() may wait for
   * the fetch in flight. @default 5000 (kafkajs's)
   */
  maxWaitTimeMs?: number;
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
   * Joins the group and hands each record to the handler; resolves once the group is joined
   * (rejects with EventBusUnavailableError when that takes longer than joinTimeoutMs).
   * A handler that throws gets the same record again later (kafkajs backs off, and restarts
   * the consumer after repeated failures), so it must deal with poison records itself.
   */
  start(handler: RecordHandler): Promise<void>;
  /** True after a crash kafkajs did not restart from: nothing is consumed any more. */
  hasStopped(): boolean;
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
  const kafka = createKafkaClient(kafkaConfig);
  const consumer: Consumer = kafka.consumer({
    groupId: options.groupId,
    sessionTimeout: options.sessionTimeoutMs ?? 30_000,
    maxWaitTimeInMs: options.maxWaitTimeMs ?? 5_000,
    allowAutoTopicCreation: false,
    // Short, bounded backoff: after a broker outage the consumer is back within seconds.
    retry: { retries: 5, initialRetryTime: 300, maxRetryTime: 5_000 },
  });
  consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) => {
    options.onLag?.({
      topic: payload.topic,
      partition: payload.partition,
      lag: Math.max(0, Number(payload.offsetLag)),
    });
  });
  let stopped = false;
  consumer.on(consumer.events.CRASH, ({ payload }) => {
    stopped ||= !payload.restart;
    const fields = { err: payload.error, groupId: options.groupId, restart: payload.restart };
    // kafkajs restarts after retriable failures; only a crash it gives up on stops consumption.
    if (payload.restart) options.logger.warn(fields, 'Kafka consumer crashed; restarting');
    else options.logger.error(fields, 'Kafka consumer crashed and stopped');
  });

  return {
    async start(handler) {
      // kafkajs's run() also resolves when the first join fails and a restart is scheduled;
      // waiting for the join makes "started" mean "assigned partitions", and keeps a quick
      // disconnect() from landing mid-join, after which kafkajs would restart the consumer.
      let removeListener = () => {};
      const joined = new Promise<void>((resolve) => {
        removeListener = consumer.on(consumer.events.GROUP_JOIN, () => resolve());
      });
      await consumer.connect();
      await consumer.subscribe({
        topics: [...options.topics],
        fromBeginning: options.fromBeginning ?? true,
      });
      await consumer.run({
        partitionsConsumedConcurrently: options.partitionsConsumedConcurrently ?? 1,
        eachMessage: async ({ topic, partition, message, heartbeat }) => {
          const record: ConsumedRecord = {
            topic,
            partition,
            offset: Number(message.offset),
            key: message.key?.toString() ?? null,
            value: message.value,
            headers: headersOf(message.headers),
            timestamp: Number(message.timestamp),
          };
          await processInSpan(record, options.groupId, () => handler(record, { heartbeat }));
        },
      });
      try {
        await unavailableAfter(
          options.joinTimeoutMs ?? 30_000,
          'joining the consumer group',
          () => joined,
        );
      } finally {
        removeListener();
      }
    },
    hasStopped: () => stopped,
    async disconnect() {
      await consumer.disconnect();
    },
  };
}
