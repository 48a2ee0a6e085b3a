import { TOPICS } from '@cinemaabyss/shared/kafka';
import type { Logger } from '@cinemaabyss/shared/logging';
import type { SubscriptionsConfig } from '../config';
import type { GatewayMetrics } from '../metrics';
import type { SubscriptionField } from './eventRouting';
import { createKafkaEventFeed } from './kafkaEventFeed';
import { createSubscriptionHub } from './subscriptionHub';

/** The topic each subscription field is fed from, with the deployment's prefix. */
export function subscriptionTopics(prefix: string): Record<SubscriptionField, string> {
  return {
    movieEvents: `${prefix}${TOPICS.movie}`,
    userEvents: `${prefix}${TOPICS.user}`,
    paymentEvents: `${prefix}${TOPICS.payment}`,
  };
}

/**
 * The replica's subscribers and the one event feed that serves them all, counted in the
 * gateway's metrics; undefined when no brokers are configured (no subscriptions served).
 */
export function createSubscriptions(
  config: SubscriptionsConfig,
  { metrics, logger }: { metrics: GatewayMetrics; logger: Logger },
) {
  if (!config.kafkaBrokers) return undefined;
  const topics = subscriptionTopics(config.topicPrefix);
  const replayMs = config.replaySeconds * 1_000;
  const hub = createSubscriptionHub(
    {
      topics,
      retentionMs: replayMs,
      maxReplayEvents: config.replayMaxEvents,
      queueLimit: config.sendQueue,
      maxSubscriptions: config.perReplica,
    },
    {
      onActive: (transport, field, change) => {
        if (change > 0) metrics.subscriptionsActive.inc({ transport, field });
        else metrics.subscriptionsActive.dec({ transport, field });
      },
      onEvent: (field, result, count) => metrics.subscriptionEvents.inc({ field, result }, count),
      onDeliveredAge: (field, seconds) => metrics.subscriptionEventAge.observe({ field }, seconds),
      onHydrationFailed: (err) =>
        logger.error({ err }, 'subscriptions: an event could not be resolved for its subscribers'),
    },
  );
  const feed = createKafkaEventFeed({
    brokers: config.kafkaBrokers,
    topics: Object.values(topics),
    logger,
    replayMs,
    onStart: (positions) => hub.begin(positions),
    onEvent: (record) => hub.publish(record),
  });
  return { hub, feed };
}

export type Subscriptions = NonNullable<ReturnType<typeof createSubscriptions>>;
