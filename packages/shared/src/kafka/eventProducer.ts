import { Kafka, Partitioners } from 'kafkajs';
import type { KafkaConfig, Message, Producer } from 'kafkajs';
import { EventBusUnavailableError, withDeadline } from './eventBusErrors';

export interface OutgoingRecord {
  topic: string;
  /** Records with one key land on one partition, in the order they were sent. */
  key: string | null;
  value: string | Buffer;
  headers?: Record<string, string>;
}

/** Where a send put records: one entry per topic-partition written. */
export interface RecordPosition {
  topic: string;
  partition: number;
  /** Offset of the first record this send wrote to the partition. */
  offset: number;
}

export interface EventProducerOptions {
  /**
   * kafkajs retries of one send (at least 1, which idempotence requires). Keep it low where a
   * client waits, since `sendTimeoutMs` cuts the send off anyway. @default 5
   */
  retries?: number;
  /** Longest one send may take, connecting included; then it fails with EventBusUnavailableError. @default 30000 */
  sendTimeoutMs?: number;
}

export interface EventProducer {
  /** Connects now rather than on the first send, so that send is not slowed by it. */
  connect(): Promise<void>;
  /**
   * Writes the records, acknowledged by all in-sync replicas (`acks: -1`), in order per
   * topic-partition. Sends are serialized, so one producer never reorders its callers' records.
   */
  send(records: readonly OutgoingRecord[]): Promise<RecordPosition[]>;
  disconnect(): Promise<void>;
}

/**
 * An idempotent producer (acks -1, one request in flight, the default partitioner) that
 * connects lazily and survives broker outages. After any failed send it starts a new producer
 * session: retrying with the old session's sequence numbers but different records could be
 * acknowledged as a duplicate of the failed attempt, and those records would be lost.
 */
export function createEventProducer(
  kafkaConfig: KafkaConfig,
  { retries = 5, sendTimeoutMs = 30_000 }: EventProducerOptions = {},
): EventProducer {
  const retry = { retries: Math.max(1, retries), initialRetryTime: 100, maxRetryTime: 1_000 };
  // The client-level retry bounds kafkajs's connection and metadata retries too (by default
  // up to 30 s each), which would otherwise keep a send we gave up on alive until the broker
  // returns, and write a record whose client was told it failed.
  const kafka = new Kafka({ ...kafkaConfig, retry });
  let session: { producer: Producer; connected: Promise<void> } | undefined;
  let queue: Promise<unknown> = Promise.resolve();
  let closed = false;

  const open = (): NonNullable<typeof session> => {
    if (!session) {
      const producer = kafka.producer({
        idempotent: true,
        maxInFlightRequests: 1,
        createPartitioner: Partitioners.DefaultPartitioner,
        allowAutoTopicCreation: false,
        retry,
      });
      session = { producer, connected: producer.connect() };
      session.connected.catch(() => {});
    }
    return session;
  };

  const reset = (failed: NonNullable<typeof session>) => {
    if (session === failed) session = undefined;
    failed.producer.disconnect().catch(() => {});
  };

  const sendNow = async (
    current: NonNullable<typeof session>,
    records: readonly OutgoingRecord[],
  ): Promise<RecordPosition[]> => {
    await current.connected;
    const byTopic = new Map<string, Message[]>();
    for (const { topic, key, value, headers } of records) {
      const messages = byTopic.get(topic) ?? [];
      messages.push({ key, value, headers });
      byTopic.set(topic, messages);
    }
    const written = await current.producer.sendBatch({
      acks: -1,
      topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })),
    });
    return written.map((m) => ({
      topic: m.topicName,
      partition: m.partition,
      offset: Number(m.baseOffset),
    }));
  };

  return {
    async connect() {
      const current = open();
      try {
        await current.connected;
      } catch (error) {
        reset(current);
        throw new EventBusUnavailableError(`Kafka connect failed: ${String(error)}`, {
          cause: error,
        });
      }
    },
    send(records) {
      if (closed) return Promise.reject(new EventBusUnavailableError('producer is closed'));
      if (records.length === 0) return Promise.resolve([]);
      // The deadline counts from the call: time spent queued behind another send is included.
      const deadlineAt = Date.now() + sendTimeoutMs;
      const run = queue.then(async () => {
        const remaining = deadlineAt - Date.now();
        if (remaining <= 0) throw new EventBusUnavailableError('Kafka send timed out in the queue');
        const current = open();
        try {
          return await withDeadline(sendNow(current, records), remaining, 'Kafka send');
        } catch (error) {
          // Also ends a send cut off by the deadline that kafkajs would otherwise keep retrying.
          reset(current);
          throw error instanceof EventBusUnavailableError
            ? error
            : new EventBusUnavailableError(`Kafka send failed: ${String(error)}`, { cause: error });
        }
      });
      queue = run.catch(() => {});
      return run;
    },
    async disconnect() {
      closed = true;
      await queue;
      if (session) await session.producer.disconnect().catch(() => {});
      session = undefined;
    },
  };
}
