import { TOPICS } from '@cinemaabyss/shared/kafka';
import type { Logger } from '@cinemaabyss/shared/logging';
import type { SubscriptionsConfig } from '../config';
import type { GatewayMetrics } from '../metrics';
import { createKafkaEventFeed } from './kafkaEventFeed';
import { createSubscriptionHub } from './subscriptionHub';

/** The topics subscriptions are fed from, with the deployment's prefix. */
export function subscriptionTopics(prefix: string): string[] {
  return [TOPICS.movie, TOPICS.user, TOPICS.payment].map((topic) => `${prefix}${topic}`);
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
  const hub = createSubscriptionHub({
    onActive: (transport, field, change) => {
      if (change > 0) metrics.subscriptionsActive.inc({ transport, field });
      else metrics.subscriptionsActive.dec({ transport, field });
    },
    onEvent: (field, result, count) => metrics.subscriptionEvents.inc({ field, result }, count),
    onDeliveredAge: (field, seconds) => metrics.subscriptionEventAge.observe({ field }, seconds),
    onHydrationFailed: (err) =>
      logger.error({ err }, 'subscriptions: an event could not be resolved for its subscribers'),
  });
  const feed = createKafkaEventFeed({
    brokers: config.kafkaBrokers,
    topics: subscriptionTopics(config.topicPrefix),
    logger,
    onEvent: (event, producedAtMs) => hub.publish(event, producedAtMs),
  });
  return { hub, feed };
}

export type Subscriptions = NonNullable<ReturnType<typeof createSubscriptions>>;
