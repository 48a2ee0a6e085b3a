import { LRUCache } from 'lru-cache';
import type { ExecutionResult } from 'graphql';
import type { DomainEvent } from '@cinemaabyss/shared/events';
import { routeEvent } from './eventRouting';
import type { RoutedEvent, SubscriptionField } from './eventRouting';
import { createSubscriberQueue } from './subscriberQueue';
import type { SubscriberQueue } from './subscriberQueue';

export type SubscriptionTransport = 'sse' | 'ws';
export type DeliveryResult = 'delivered' | 'filtered' | 'dropped';

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
}

export interface SubscriptionHubHooks {
  onActive?(transport: SubscriptionTransport, field: SubscriptionField, change: 1 | -1): void;
  onEvent?(field: SubscriptionField, result: DeliveryResult, count: number): void;
  /** Seconds from the event's Kafka timestamp to its hand-over to a subscriber. */
  onDeliveredAge?(field: SubscriptionField, seconds: number): void;
  /** A hydration that threw (a bug, not a subgraph error, which comes back as a result). */
  onHydrationFailed?(err: unknown): void;
}

interface Subscriber {
  subscription: AcceptedSubscription;
  queue: SubscriberQueue;
}

/** Event ids remembered so an event Kafka delivers twice (at-least-once) reaches nobody twice. */
const REMEMBERED_EVENT_IDS = 10_000;

const INTERNAL_ERROR: ExecutionResult = {
  errors: [{ message: 'internal error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] as never,
};

/**
 * The replica's subscribers and the fan-out of its event feed: an event goes to the
 * subscriptions of its field whose filter it matches; those that would get the same answer
 * share one hydration, so an event costs one planned fetch per distinct answer, never one per
 * subscriber. A subscriber holds no Kafka resource, only its bounded queue.
 */
export function createSubscriptionHub(
  hooks: SubscriptionHubHooks = {},
  now: () => number = Date.now,
) {
  const byField = new Map<SubscriptionField, Set<Subscriber>>();
  const seen = new LRUCache<string, true>({ max: REMEMBERED_EVENT_IDS });
  let accepting = true;

  function add(subscription: AcceptedSubscription): SubscriberQueue {
    const subscribers = byField.get(subscription.field) ?? new Set<Subscriber>();
    byField.set(subscription.field, subscribers);
    const subscriber: Subscriber = {
      subscription,
      queue: createSubscriberQueue(() => {
        subscribers.delete(subscriber);
        hooks.onActive?.(subscription.transport, subscription.field, -1);
      }),
    };
    subscribers.add(subscriber);
    hooks.onActive?.(subscription.transport, subscription.field, 1);
    return subscriber.queue;
  }

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

  async function publish(event: DomainEvent, producedAtMs: number): Promise<void> {
    if (seen.has(event.id)) return;
    seen.set(event.id, true);
    const routed = routeEvent(event);
    if (!routed) return;
    const groups = new Map<string, Subscriber[]>();
    let filtered = 0;
    for (const subscriber of byField.get(routed.field) ?? []) {
      const { filter } = subscriber.subscription;
      if (filter !== undefined && filter !== routed.filter.value) {
        filtered += 1;
        continue;
      }
      const key = subscriber.subscription.shareKey();
      const group = groups.get(key);
      if (group) group.push(subscriber);
      else groups.set(key, [subscriber]);
    }
    if (filtered > 0) hooks.onEvent?.(routed.field, 'filtered', filtered);
    await Promise.all(
      [...groups.values()].map(async (group) => {
        const [first] = group as [Subscriber, ...Subscriber[]];
        const result = await first.subscription.hydrate(routed).catch((err: unknown) => {
          hooks.onHydrationFailed?.(err);
          return INTERNAL_ERROR;
        });
        let delivered = 0;
        let dropped = 0;
        for (const { queue } of group) {
          if (queue.push(result)) delivered += 1;
          else dropped += 1;
        }
        if (delivered > 0) hooks.onEvent?.(routed.field, 'delivered', delivered);
        if (dropped > 0) hooks.onEvent?.(routed.field, 'dropped', dropped);
        hooks.onDeliveredAge?.(routed.field, Math.max(0, now() - producedAtMs) / 1000);
      }),
    );
  }

  return {
    /** Registers an accepted subscription; its queue is what the transport streams. */
    add,
    /** Hands one consumed event to the matching subscribers (resolves once all are served). */
    publish,
    /** Whether new subscriptions are taken: a draining replica refuses them (503). */
    isAccepting: () => accepting,
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
  };
}

export type SubscriptionHub = ReturnType<typeof createSubscriptionHub>;
