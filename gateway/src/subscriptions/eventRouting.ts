import type { DomainEvent } from '@cinemaabyss/shared/events';

/** The subscription root fields of the events subgraph (subgraphs/events/schema.graphql). */
export const SUBSCRIPTION_FIELDS = ['movieEvents', 'userEvents', 'paymentEvents'] as const;
export type SubscriptionField = (typeof SUBSCRIPTION_FIELDS)[number];

/** The argument each field filters its events on; omitted, the field delivers every event. */
export const FILTER_ARGUMENT: Record<SubscriptionField, string> = {
  movieEvents: 'movieId',
  userEvents: 'userId',
  paymentEvents: 'userId',
};

/**
 * One event as its subscription field delivers it: the argument subscribers filter on and its
 * value, and the field's value as the events subgraph would answer it (keys only; the gateway
 * resolves the rest through the supergraph).
 */
export interface RoutedEvent {
  field: SubscriptionField;
  /** The field's filter argument (`movieId`, `userId`) and the event's value of it. */
  filter: { argument: string; value: string };
  /** The root field's value: the event's id, action, time and the keys of its entities. */
  value: Record<string, unknown>;
}

/** An id as the payloads carry it (a number from the outbox, a string over REST). */
function idOf(value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
  if (typeof value === 'string' && value.trim() !== '') return value.trim();
  return undefined;
}

/**
 * Which subscription field an event feeds, or undefined for an event no field carries (a
 * user's plan on `payment-events`, or a payload without the key its field needs). Payloads are
 * the outbox's and the REST producers' alike: snake_case keys (`movie_id`, `user_id`).
 */
export function routeEvent(event: DomainEvent): RoutedEvent | undefined {
  const { payload } = event;
  const common = { id: event.id, action: event.action, occurredAt: event.timestamp };
  switch (event.type) {
    case 'movie': {
      const movieId = idOf(payload.movie_id);
      if (!movieId) return undefined;
      return {
        field: 'movieEvents',
        filter: { argument: FILTER_ARGUMENT.movieEvents, value: movieId },
        value: { ...common, movie: { id: movieId } },
      };
    }
    case 'user': {
      const userId = idOf(payload.user_id);
      if (!userId) return undefined;
      return {
        field: 'userEvents',
        filter: { argument: FILTER_ARGUMENT.userEvents, value: userId },
        value: { ...common, user: { id: userId } },
      };
    }
    case 'payment': {
      const userId = idOf(payload.user_id);
      if (!userId) return undefined;
      const paymentId = idOf(payload.payment_id);
      return {
        field: 'paymentEvents',
        filter: { argument: FILTER_ARGUMENT.paymentEvents, value: userId },
        value: { ...common, user: { id: userId }, payment: paymentId ? { id: paymentId } : null },
      };
    }
    default:
      return undefined;
  }
}
