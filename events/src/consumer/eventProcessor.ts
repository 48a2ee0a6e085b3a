import { setTimeout as sleep } from 'node:timers/promises';
import { backoffDelay } from '@cinemaabyss/shared/backoff';
import { isTransientDatabaseError, withTransaction } from '@cinemaabyss/shared/db';
import type { Logger } from '@cinemaabyss/shared/logging';
import type { Pool, PoolClient } from '@cinemaabyss/shared/db';
import { parseDomainEvent } from '@cinemaabyss/shared/events';
import type { DomainEvent, EventType } from '@cinemaabyss/shared/events';
import type { ConsumedRecord, EventProducer, RecordHandler } from '@cinemaabyss/shared/kafka';
import type { EventsMetrics } from '../metrics';
import { deadLetterRecord } from './deadLetterRecord';
import { markProcessed } from './processedEvents';

/** Work done for one event inside the transaction that marks it processed. */
export type EventHandler = (client: PoolClient, event: DomainEvent) => Promise<void>;

export interface EventProcessorOptions {
  pool: Pool;
  /** Sends dead letters; a failed send makes the record come back rather than vanish. */
  producer: EventProducer;
  deadLetterTopic: string;
  /** Handling attempts before a record is dead-lettered. */
  maxAttempts: number;
  metrics: EventsMetrics;
  logger: Logger;
  /** Per-type work beyond recording the event. @default none */
  handlers?: Partial<Record<EventType, EventHandler>>;
  /** Pause after the first failed attempt; doubles per attempt up to retryMaxDelayMs. @default 100 */
  retryDelayMs?: number;
  /**
   * Longest pause between two attempts: the consumer sends no heartbeat while it waits, and a
   * wait past the session timeout would cost it its partitions. @default 5000
   */
  retryMaxDelayMs?: number;
}

/**
 * Handles each consumed record exactly once by event id: the id is inserted into
 * processed_events (ON CONFLICT DO NOTHING) in the same transaction as the handler's work,
 * so a redelivered record is a no-op. A record that is not an event, or whose handling
 * fails `maxAttempts` times, goes to the dead-letter topic, so it never stalls its partition.
 * An unreachable database is not the record's fault: that error is rethrown, and the
 * consumer retries the record later instead of dead-lettering everything it reads meanwhile.
 */
export function createEventProcessor(options: EventProcessorOptions): RecordHandler {
  const {
    pool,
    producer,
    metrics,
    logger,
    handlers = {},
    retryDelayMs = 100,
    retryMaxDelayMs = 5_000,
  } = options;

  async function deadLetter(
    record: ConsumedRecord,
    reason: 'invalid' | 'failed',
    detail: string,
    attempts: number,
  ): Promise<void> {
    await producer.send([
      deadLetterRecord(record, options.deadLetterTopic, { reason: detail, attempts }),
    ]);
    metrics.deadLettered.inc({ topic: record.topic, reason });
    metrics.consumed.inc({ topic: record.topic, outcome: 'dead_lettered' });
    logger.warn(
      {
        topic: record.topic,
        partition: record.partition,
        offset: record.offset,
        key: record.key,
        reason: detail,
        attempts,
        deadLetterTopic: options.deadLetterTopic,
      },
      'record sent to the dead-letter topic',
    );
  }

  async function processOnce(event: DomainEvent, record: ConsumedRecord): Promise<boolean> {
    return withTransaction(pool, async (client) => {
      const first = await markProcessed(client, event, record);
      if (first) await handlers[event.type]?.(client, event);
      return first;
    });
  }

  return async (record, { heartbeat }) => {
    const parsed = parseDomainEvent(record.value);
    if (!parsed.ok) return deadLetter(record, 'invalid', parsed.reason, 0);
    const { event } = parsed;
    let lastError = '';
    for (let attempt = 1; attempt <= options.maxAttempts; attempt += 1) {
      try {
        const first = await processOnce(event, record);
        metrics.consumed.inc({ topic: record.topic, outcome: first ? 'processed' : 'duplicate' });
        logger.info(
          {
            eventId: event.id,
            type: event.type,
            action: event.action,
            key: record.key,
            topic: record.topic,
            partition: record.partition,
            offset: record.offset,
            duplicate: !first,
          },
          first ? 'event processed' : 'duplicate event skipped',
        );
        return;
      } catch (err) {
        if (isTransientDatabaseError(err)) throw err;
        lastError = err instanceof Error ? err.message : String(err);
        logger.warn(
          { eventId: event.id, attempt, maxAttempts: options.maxAttempts, err: lastError },
          'event handling failed',
        );
        if (attempt < options.maxAttempts) {
          await sleep(backoffDelay(attempt, { initialMs: retryDelayMs, maxMs: retryMaxDelayMs }));
          await heartbeat();
        }
      }
    }
    await deadLetter(
      record,
      'failed',
      `handling failed ${options.maxAttempts} times: ${lastError}`,
      options.maxAttempts,
    );
  };
}
