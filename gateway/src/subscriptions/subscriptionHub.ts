import { LRUCache } from 'lru-cache';
import type { ExecutionResult } from 'graphql';
import type { DomainEvent } from '@cinemaabyss/shared/events';
import { routeEvent } from './eventRouting';
import type { RoutedEvent, SubscriptionField } from './eventRouting';
import { encodeCursor } from './eventCursor';
import type { EventCursor, Positions } from './eventCursor';
import { createReplayBuffer } from './replayBuffer';
import type { ReplayableEvent } from './replayBuffer';
import { createSubscriberQueue, SUBSCRIBER_QUEUE_LIMIT } from './subscriberQueue';
import type { SubscriberQueue } from './subscriberQueue';

export type SubscriptionTransport = 'sse' | 'ws';
export type DeliveryResult = 'delivered' | 'replayed' | 'filtered' | 'too_slow';

/** A subscription the transports have checked and accepted (prepareSubscription.ts). */
export interface AcceptedSubscription {
  field: SubscriptionField;
  /** The value its filter argument (`movieId`, `userId`) asks for; undefined: every event. */
  filter: string | undefined;
  transport: SubscriptionTransport;
  /**
   * What its answer to an event depends on besides the event: subscriptions with the same key
   * share one hydration (the same operation and variables, caller and override labels).
   */
  shareKey(): string;
  /** Its answer to one event, resolved through the supergraph. */
  hydrate(event: RoutedEvent): Promise<ExecutionResult>;
  /** Where a reconnecting client left off: it is given what it missed, then live events. */
  resumeFrom?: EventCursor;
  /** The subscriber's backlog reached its bound: the hub has ended it; the transport says why. */
  onTooSlow?(): void;
}

/** One record the feed read, where it was read from. */
export interface FeedRecord {
  event: DomainEvent;
  topic: string;
  partition: number;
  offset: number;
  /** The record's Kafka timestamp. */
  producedAtMs: number;
}

/** Where the feed starts on a partition, and where that partition ended when it started. */
export interface FeedStart {
  topic: string;
  partition: number;
  offset: number;
  end: number;
}

export interface SubscriptionHubHooks {
  onActive?(transport: SubscriptionTransport, field: SubscriptionField, change: 1 | -1): void;
  onEvent?(field: SubscriptionField, result: DeliveryResult, count: number): void;
  /** Seconds from the event's Kafka timestamp to its hand-over to a subscriber. */
  onDeliveredAge?(field: SubscriptionField, seconds: number): void;
  /** A hydration that threw (a bug, not a subgraph error, which comes back as a result). */
  onHydrationFailed?(err: unknown): void;
}

export interface SubscriptionHubOptions {
  /** The topic each field's events come from (deployment prefix included). */
  topics: Record<SubscriptionField, string>;
  /** How long an event stays replayable. @default 1 hour */
  retentionMs?: number;
  /** Events held for replay per topic. @default 100000 */
  maxReplayEvents?: number;
  /** A subscriber's backlog bound. @default SUBSCRIBER_QUEUE_LIMIT */
  queueLimit?: number;
  /** Subscriptions held at most, over every transport. @default 10000 */
  maxSubscriptions?: number;
  now?: () => number;
}

interface Subscriber {
  subscription: AcceptedSubscription;
  queue: SubscriberQueue;
  /** A resumed subscriber skips what its cursor already covers (a replica behind the client). */
  after?: Positions;
  /** Said on its first message: whether the cursor it resumed from could be honoured. */
  resumed?: boolean;
}

/** Event ids remembered so an event Kafka delivers twice (at-least-once) reaches nobody twice. */
const REMEMBERED_EVENT_IDS = 10_000;
/** Hydrations kept briefly so subscribers resuming together resolve each event once. */
const REMEMBERED_HYDRATIONS = 5_000;
const HYDRATION_TTL_MS = 30_000;

const INTERNAL_ERROR: ExecutionResult = {
  errors: [{ message: 'internal error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] as never,
};

const withExtensions = (result: ExecutionResult, extensions: Record<string, unknown>) => ({
  ...result,
  extensions: { ...result.extensions, ...extensions },
});

/**
 * The replica's subscribers and the fan-out of its event feed: an event goes to the
 * subscriptions of its field whose filter it matches; those that would get the same answer
 * share one hydration, so an event costs one planned fetch per distinct answer, never one per
 * subscriber. Every event delivered carries a cursor (`extensions.cursor`); a subscription
 * added with one is first given every held event after it, then the live ones, with no gap or
 * repeat at the seam (both are decided in the same synchronous step). A subscriber holds no
 * Kafka resource, only its bounded queue; one that falls `queueLimit` behind is ended.
 */
export function createSubscriptionHub(
  options: SubscriptionHubOptions,
  hooks: SubscriptionHubHooks = {},
) {
  const now = options.now ?? Date.now;
  const queueLimit = options.queueLimit ?? SUBSCRIBER_QUEUE_LIMIT;
  const byField = new Map<SubscriptionField, Set<Subscriber>>();
  const seen = new LRUCache<string, true>({ max: REMEMBERED_EVENT_IDS });
  const hydrations = new LRUCache<string, Promise<ExecutionResult>>({
    max: REMEMBERED_HYDRATIONS,
    ttl: HYDRATION_TTL_MS,
  });
  const replay = createReplayBuffer({
    retentionMs: options.retentionMs ?? 3_600_000,
    maxEvents: options.maxReplayEvents ?? 100_000,
    now,
  });
  /** Per topic and partition, the end when the feed started: earlier records are history. */
  const historyEnds = new Map<string, Map<number, number>>();
  let accepting = true;

  function hydrationOf(subscription: AcceptedSubscription, routed: RoutedEvent) {
    const key = `${subscription.shareKey()}\u0000${routed.value.id as string}`;
    let pending = hydrations.get(key);
    if (!pending) {
      pending = subscription.hydrate(routed).catch((err: unknown) => {
        hooks.onHydrationFailed?.(err);
        return INTERNAL_ERROR;
      });
      hydrations.set(key, pending);
    }
    return pending;
  }

  function takeNote(subscriber: Subscriber): boolean | undefined {
    const note = subscriber.resumed;
    subscriber.resumed = undefined;
    return note;
  }

  /** The result as this subscriber gets it: its cursor, and on the first one `resumed`. */
  function annotated(
    subscriber: Subscriber,
    result: Promise<ExecutionResult>,
    cursor: string,
    note = takeNote(subscriber),
  ) {
    return result.then((value) =>
      withExtensions(value, { cursor, ...(note !== undefined && { resumed: note }) }),
    );
  }

  /** Queues a result for a subscriber, ending it when it has fallen too far behind. */
  function deliver(subscriber: Subscriber, result: Promise<ExecutionResult>, cursor: string) {
    if (subscriber.queue.push(annotated(subscriber, result, cursor))) return true;
    void subscriber.queue.return?.();
    subscriber.subscription.onTooSlow?.();
    return false;
  }

  function add(subscription: AcceptedSubscription): SubscriberQueue {
    const subscribers = byField.get(subscription.field) ?? new Set<Subscriber>();
    byField.set(subscription.field, subscribers);
    const subscriber: Subscriber = {
      subscription,
      queue: createSubscriberQueue(() => {
        subscribers.delete(subscriber);
        hooks.onActive?.(subscription.transport, subscription.field, -1);
      }, queueLimit),
    };
    subscribers.add(subscriber);
    hooks.onActive?.(subscription.transport, subscription.field, 1);
    if (subscription.resumeFrom) resume(subscriber, subscription.resumeFrom);
    return subscriber.queue;
  }

  /** Queues every held event after the cursor; live events follow from the next publish on. */
  function resume(subscriber: Subscriber, cursor: EventCursor): void {
    const { subscription } = subscriber;
    const missed = replay.since(options.topics[subscription.field], cursor.positions);
    if (missed.expired) {
      subscriber.resumed = false;
      return;
    }
    subscriber.resumed = true;
    subscriber.after = cursor.positions;
    const backlog: (() => Promise<ExecutionResult>)[] = [];
    for (const event of missed.events) {
      if (!matches(subscription, event.routed)) continue;
      // The first missed event says the resume worked, whatever live events arrive meanwhile.
      const note = backlog.length === 0 ? takeNote(subscriber) : undefined;
      // Resolved when the transport takes it: a long catch-up holds one result at a time.
      backlog.push(() =>
        annotated(subscriber, hydrationOf(subscription, event.routed), event.cursor, note),
      );
    }
    if (backlog.length === 0) return;
    subscriber.queue.replay(backlog);
    hooks.onEvent?.(subscription.field, 'replayed', backlog.length);
  }

  const matches = (subscription: AcceptedSubscription, routed: RoutedEvent) =>
    subscription.filter === undefined || subscription.filter === routed.filter.value;

  /** Stops taking subscriptions and completes every one after what it has queued. */
  function closeAll(): void {
    accepting = false;
    for (const subscribers of byField.values()) {
      for (const { queue } of [...subscribers]) queue.close();
    }
  }

  function count(): number {
    let total = 0;
    for (const subscribers of byField.values()) total += subscribers.size;
    return total;
  }

  function begin(starts: readonly FeedStart[]): void {
    for (const { topic, partition, offset, end } of starts) {
      replay.begin(topic, partition, offset);
      const ends = historyEnds.get(topic) ?? new Map<number, number>();
      historyEnds.set(topic, ends);
      if (!ends.has(partition)) ends.set(partition, end);
    }
  }

  /** Whether a subscriber takes this record live. */
  function takesLive(subscriber: Subscriber, record: FeedRecord, history: boolean): boolean {
    const { after } = subscriber;
    // Records from before the replica started are for resumed subscribers only.
    if (!after) return !history;
    return record.offset > (after.get(record.partition) ?? -1);
  }

  async function publish(record: FeedRecord): Promise<void> {
    const { event, topic } = record;
    const positions = replay.advance(topic, record.partition, record.offset);
    if (seen.has(event.id)) return;
    seen.set(event.id, true);
    const routed = routeEvent(event);
    if (!routed || options.topics[routed.field] !== topic) return;
    const cursor = encodeCursor(routed.field, positions);
    const replayable: ReplayableEvent = {
      routed,
      partition: record.partition,
      offset: record.offset,
      producedAtMs: record.producedAtMs,
      cursor,
    };
    replay.append(topic, replayable);
    const history = record.offset < (historyEnds.get(topic)?.get(record.partition) ?? 0);

    // From here to the first await: subscribers added later find this event in the buffer.
    const groups = new Map<string, Subscriber[]>();
    let filtered = 0;
    for (const subscriber of byField.get(routed.field) ?? []) {
      if (!takesLive(subscriber, record, history)) continue;
      if (!matches(subscriber.subscription, routed)) {
        filtered += 1;
        continue;
      }
      const key = subscriber.subscription.shareKey();
      const group = groups.get(key);
      if (group) group.push(subscriber);
      else groups.set(key, [subscriber]);
    }
    if (filtered > 0) hooks.onEvent?.(routed.field, 'filtered', filtered);
    const pending: Promise<unknown>[] = [];
    for (const group of groups.values()) {
      const result = hydrationOf(group[0]!.subscription, routed);
      let delivered = 0;
      let tooSlow = 0;
      for (const subscriber of group) {
        if (deliver(subscriber, result, cursor)) delivered += 1;
        else tooSlow += 1;
      }
      if (delivered > 0) hooks.onEvent?.(routed.field, 'delivered', delivered);
      if (tooSlow > 0) hooks.onEvent?.(routed.field, 'too_slow', tooSlow);
      pending.push(
        result.then(() =>
          hooks.onDeliveredAge?.(routed.field, Math.max(0, now() - record.producedAtMs) / 1000),
        ),
      );
    }
    // The feed reads on once this event is resolved: its pace is the subscribers' hydrations.
    await Promise.all(pending);
  }

  return {
    /** Registers an accepted subscription; its queue is what the transport streams. */
    add,
    /** Where the feed starts reading: what is replayable, and what is history. */
    begin,
    /** Hands one consumed record to the matching subscribers (resolves once all are served). */
    publish,
    /** Whether new subscriptions are taken: a draining replica refuses them (503). */
    isAccepting: () => accepting,
    /** Whether one more subscription fits under the replica's bound (else 503). */
    hasRoom: () => count() < (options.maxSubscriptions ?? 10_000),
    /** Stops taking subscriptions and completes every one after what it has queued. */
    closeAll,
    /** closeAll, then waits (up to timeoutMs) until every transport has taken its complete. */
    async drain(timeoutMs: number): Promise<void> {
      closeAll();
      for (let waited = 0; count() > 0 && waited < timeoutMs; waited += 10) {
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    },
    count,
    /** Events held for resuming subscribers. */
    replayable: () => replay.size(),
  };
}

export type SubscriptionHub = ReturnType<typeof createSubscriptionHub>;
