import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { parseDomainEvent } from '@cinemaabyss/shared/events';
import { createEventBus } from '@cinemaabyss/shared/kafka';
import type { EventConsumer, PartitionPosition } from '@cinemaabyss/shared/kafka';
import type { Logger } from '@cinemaabyss/shared/logging';
import type { FeedRecord } from './subscriptionHub';

export type FeedState = 'starting' | 'consuming' | 'reconnecting' | 'stopped';

export interface FeedStatus {
  state: FeedState;
  /** The replica's own consumer group: every replica reads every event. */
  groupId: string;
  /** Events read since start, and records that were no event (the events service dead-letters them). */
  events: number;
  skipped: number;
  /** Times the consumer was started again after the broker was lost. */
  restarts: number;
}

export interface KafkaEventFeedOptions {
  brokers: readonly string[];
  /** The topics, deployment prefix included. */
  topics: readonly string[];
  logger: Logger;
  /** How far back the feed starts reading, so resuming subscribers find what they missed. */
  replayMs: number;
  /** Where the feed starts on each partition, before its first record. */
  onStart(positions: readonly PartitionPosition[]): void;
  /** Hands each event on; the next record waits for it, so events reach subscribers in order. */
  onEvent(record: FeedRecord): Promise<void>;
  /** Between a lost consumer and the next attempt. @default 2000 */
  retryDelayMs?: number;
  /** How often a consumer kafkajs gave up on is looked for. @default 1000 */
  checkEveryMs?: number;
}

/**
 * The replica's one reader of the event topics, for its subscribers: a consumer group of its
 * own (so every replica sees every event), starting `replayMs` in the past so that resuming
 * subscribers find what they missed from the replica's first moment. It never fails the
 * gateway: while the broker is away it tries again, resuming from the offsets it committed,
 * and says where it stands in `status()`.
 */
export function createKafkaEventFeed(options: KafkaEventFeedOptions) {
  const { logger, retryDelayMs = 2_000, checkEveryMs = 1_000 } = options;
  const bus = createEventBus({ brokers: options.brokers, clientId: 'gateway', logger });
  const groupId = `cinemaabyss-gateway-${os.hostname()}-${randomBytes(4).toString('hex')}`;
  const status: FeedStatus = { state: 'starting', groupId, events: 0, skipped: 0, restarts: 0 };
  let consumer: EventConsumer | undefined;
  let watchdog: NodeJS.Timeout | undefined;
  let retry: NodeJS.Timeout | undefined;
  let stopped = false;
  let positioned = false;

  /** The group starts `replayMs` back; once committed there, a restart resumes where it was. */
  async function position(): Promise<void> {
    if (positioned) return;
    const positions = await bus.positionsAt(options.topics, Date.now() - options.replayMs);
    await bus.startGroupAt(groupId, positions);
    options.onStart(positions);
    positioned = true;
  }

  async function connect(): Promise<void> {
    if (stopped) return;
    const current = bus.createConsumer({
      groupId,
      topics: options.topics,
      fromBeginning: false,
      sessionTimeoutMs: 10_000,
      joinTimeoutMs: 15_000,
      // A short long-poll: stopping the replica waits for the fetch in flight.
      maxWaitTimeMs: 500,
    });
    consumer = current;
    try {
      await position();
      await current.start(async (record) => {
        const parsed = parseDomainEvent(record.value);
        if (!parsed.ok) {
          status.skipped += 1;
          return;
        }
        status.events += 1;
        await options.onEvent({
          event: parsed.event,
          topic: record.topic,
          partition: record.partition,
          offset: record.offset,
          producedAtMs: record.timestamp,
        });
      });
      if (stopped) return;
      status.state = 'consuming';
      logger.info({ groupId, topics: options.topics }, 'subscriptions: reading the event topics');
    } catch (err) {
      if (stopped) return;
      logger.warn(
        { err: err instanceof Error ? err.message : String(err), groupId },
        'subscriptions: the event topics cannot be read; trying again',
      );
      await reconnect(current);
    }
  }

  async function reconnect(lost: EventConsumer): Promise<void> {
    status.state = 'reconnecting';
    await lost.disconnect().catch(() => {});
    if (stopped) return;
    retry = setTimeout(() => {
      status.restarts += 1;
      void connect();
    }, retryDelayMs);
  }

  return {
    /** Starts reading in the background; never rejects. */
    start(): void {
      void connect();
      // kafkajs restarts a consumer after retriable failures; one it gave up on is replaced.
      watchdog = setInterval(() => {
        if (consumer?.hasStopped() && status.state === 'consuming') void reconnect(consumer);
      }, checkEveryMs);
      watchdog.unref();
    },
    status: (): FeedStatus => ({ ...status }),
    async stop(): Promise<void> {
      stopped = true;
      status.state = 'stopped';
      clearInterval(watchdog);
      clearTimeout(retry);
      await consumer?.disconnect().catch(() => {});
      await bus.close().catch(() => {});
    },
  };
}

export type KafkaEventFeed = ReturnType<typeof createKafkaEventFeed>;
