import { Partitioners } from 'kafkajs';
import { createKafkaClient } from './kafkaClient';
import type { KafkaConfig, Message, Producer } from 'kafkajs';
import { backoffDelay } from '../backoff';
import type { BackoffPolicy } from '../backoff';
import type { Logger } from '../logger';
import { createSilentLogger } from '../logger';
import { EventBusUnavailableError, unavailableAfter } from './eventBusErrors';
import { startPublishSpans } from './messageTracing';
import type { TraceCarrier } from '../tracing/traceCarrier';

export interface OutgoingRecord {
  topic: string;
  /** Records with one key land on one partition, in the order they were sent. */
  key: string | null;
  value: string | Buffer;
  headers?: Record<string, string>;
  /**
   * The trace the publish belongs to, when it is not the work under way: the outbox relay
   * passes the context stored with the row. @default the active context
   */
  traceContext?: TraceCarrier;
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
  /**
   * Longest one send may take, connecting included; then it fails with EventBusUnavailableError.
   * Only for `delivery: 'bounded'`. @default 30000
   */
  sendTimeoutMs?: number;
  /**
   * What a send does when the broker neither acknowledges nor refuses it (a timeout, a lost
   * connection, a frozen broker):
   * - `'bounded'`: it fails after `sendTimeoutMs`, for callers a client waits on. The request
   *   may still be written later, so a retry by the caller can leave a copy on the topic.
   * - `'until-settled'`: it retries the same records on the same producer session until the
   *   broker acknowledges or refuses them. The broker drops the copies of a retried batch by
   *   its sequence numbers, so each record is on the topic once. For the outbox relay, whose
   *   rows wait in the database anyway.
   * @default 'bounded'
   */
  delivery?: 'bounded' | 'until-settled';
  /** Told about retries of until-settled sends. @default silent */
  logger?: Logger;
}

export interface SendOptions {
  /**
   * Gives up an until-settled send (on shutdown). The records may still be written, and a
   * later send of them by another session leaves a copy, which consumers drop by event id.
   */
  signal?: AbortSignal;
}

export interface EventProducer {
  /** Connects now rather than on the first send, so that send is not slowed by it. */
  connect(): Promise<void>;
  /**
   * Writes the records, acknowledged by all in-sync replicas (`acks: -1`), in order per
   * topic-partition. Sends are serialized, so one producer never reorders its callers' records.
   */
  send(records: readonly OutgoingRecord[], options?: SendOptions): Promise<RecordPosition[]>;
  disconnect(): Promise<void>;
}

/** The broker answered and did not write the batch: a new session may send it again. */
function isRefusal(error: unknown): boolean {
  const e = error as { name?: string; retriable?: boolean };
  return e.name === 'KafkaJSProtocolError' && e.retriable === false;
}

/** Pause between until-settled attempts; each attempt already holds kafkajs's own retries. */
const SETTLE_RETRY: BackoffPolicy = { initialMs: 250, maxMs: 5_000 };

/**
 * An idempotent producer (acks -1, one request in flight, the default partitioner) that
 * connects lazily and survives broker outages. A bounded send that fails starts a new producer
 * session: retrying with the old session's sequence numbers but different records could be
 * acknowledged as a duplicate of the failed attempt, and those records would be lost. An
 * until-settled send keeps its session and its records, which is what makes the broker's
 * duplicate check apply (kafkajs hands a failed batch's sequence numbers back).
 */
export function createEventProducer(
  kafkaConfig: KafkaConfig,
  {
    retries = 5,
    sendTimeoutMs = 30_000,
    delivery = 'bounded',
    logger = createSilentLogger(),
  }: EventProducerOptions = {},
): EventProducer {
  const retry = { retries: Math.max(1, retries), initialRetryTime: 100, maxRetryTime: 1_000 };
  // The client-level retry bounds kafkajs's connection and metadata retries too (by default
  // up to 30 s each), which would otherwise keep a send we gave up on alive until the broker
  // returns, and write a record whose client was told it failed.
  const kafka = createKafkaClient({ ...kafkaConfig, retry });
  let session: { producer: Producer; connected: Promise<void> } | undefined;
  let queue: Promise<unknown> = Promise.resolve();
  let closed = false;
  const closing = new AbortController();

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

  const sendBounded = (records: readonly OutgoingRecord[]): Promise<RecordPosition[]> => {
    // The deadline counts from the call: time spent queued behind another send is included.
    const deadlineAt = Date.now() + sendTimeoutMs;
    return queue.then(async () => {
      const remaining = deadlineAt - Date.now();
      if (remaining <= 0) throw new EventBusUnavailableError('Kafka send timed out in the queue');
      const current = open();
      try {
        return await unavailableAfter(remaining, 'Kafka send', () => sendNow(current, records));
      } catch (error) {
        // Also ends a send cut off by the deadline that kafkajs would otherwise keep retrying.
        reset(current);
        throw error instanceof EventBusUnavailableError
          ? error
          : new EventBusUnavailableError(`Kafka send failed: ${String(error)}`, { cause: error });
      }
    });
  };

  const sendUntilSettled = async (
    records: readonly OutgoingRecord[],
    callerSignal: AbortSignal | undefined,
  ): Promise<RecordPosition[]> => {
    const signal = callerSignal ? AbortSignal.any([callerSignal, closing.signal]) : closing.signal;
    for (let attempt = 1; ; attempt += 1) {
      if (signal.aborted) {
        throw new EventBusUnavailableError('Kafka send abandoned before the broker settled it');
      }
      const current = open();
      let connected = false;
      try {
        await abortable(current.connected, signal);
        connected = true;
        return await abortable(sendNow(current, records), signal);
      } catch (error) {
        if (signal.aborted) {
          // The next session must not reuse sequence numbers this batch may still claim.
          reset(current);
          throw new EventBusUnavailableError('Kafka send abandoned before the broker settled it', {
            cause: error,
          });
        }
        if (isRefusal(error)) {
          reset(current);
          throw new EventBusUnavailableError(`Kafka refused the records: ${String(error)}`, {
            cause: error,
          });
        }
        // A session that never connected sent nothing: a fresh one is safe. One that did
        // keeps going, so the broker recognises the retried batch if the first one landed.
        if (!connected) reset(current);
        const retryInMs = backoffDelay(attempt, SETTLE_RETRY);
        logger.warn(
          { err: (error as Error).message, attempt, retryInMs, records: records.length },
          'Kafka has not acknowledged the send; retrying the same records',
        );
        await pause(retryInMs, signal);
      }
    }
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
    send(records, sendOptions = {}) {
      if (closed) return Promise.reject(new EventBusUnavailableError('producer is closed'));
      if (records.length === 0) return Promise.resolve([]);
      // Each record's span covers its wait in the queue too: that is the publish's latency.
      const publish = startPublishSpans(records);
      const run =
        delivery === 'until-settled'
          ? queue.then(() => sendUntilSettled(publish.records, sendOptions.signal))
          : sendBounded(publish.records);
      queue = run.catch(() => {});
      run.then(
        (positions) => publish.end({ positions }),
        (error: unknown) => publish.end({ error }),
      );
      return run;
    },
    async disconnect() {
      closed = true;
      closing.abort();
      await queue;
      if (session) await session.producer.disconnect().catch(() => {});
      session = undefined;
    },
  };
}

/**
 * Resolves after `ms`, or as soon as `signal` aborts. On the global setTimeout rather than
 * node:timers/promises, which Jest's fake timers cannot reach, so tests set the retries' pace.
 */
function pause(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}

/** Settles with `work`, or rejects as soon as `signal` aborts (work itself goes on). */
function abortable<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
