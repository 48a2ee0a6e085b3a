import { createDomainEvent } from './domainEvent';
import type { KeyedEvent } from './domainEvent';

/**
 * The events each write emits through the outbox. Payloads are snake_case like the REST
 * contract and carry the entity as written, so consumers need not call back for it.
 */

export function movieCreatedEvent(movie: {
  id: number;
  title: string;
  description: string;
  genres: string[];
  rating: number;
}): KeyedEvent {
  return {
    key: String(movie.id),
    event: createDomainEvent('movie', 'created', {
      movie_id: movie.id,
      action: 'created',
      title: movie.title,
      description: movie.description,
      genres: movie.genres,
      rating: movie.rating,
    }),
  };
}

/** Keyed by the movie, so a movie's `created` always precedes its ratings on the partition. */
export function movieRatedEvent(rating: {
  userId: number;
  movieId: number;
  score: number;
  review: string | null;
}): KeyedEvent {
  return {
    key: String(rating.movieId),
    event: createDomainEvent('movie', 'rated', {
      movie_id: rating.movieId,
      action: 'rated',
      user_id: rating.userId,
      rating: rating.score,
      review: rating.review,
    }),
  };
}

export function userCreatedEvent(user: {
  id: number;
  username: string;
  email: string;
}): KeyedEvent {
  return {
    key: String(user.id),
    event: createDomainEvent('user', 'created', {
      user_id: user.id,
      action: 'created',
      username: user.username,
      email: user.email,
    }),
  };
}

export function paymentCreatedEvent(payment: {
  id: number;
  user_id: number;
  amount: number;
  timestamp: string;
}): KeyedEvent {
  return {
    key: String(payment.id),
    event: createDomainEvent('payment', 'created', {
      payment_id: payment.id,
      user_id: payment.user_id,
      amount: payment.amount,
      status: 'completed',
      timestamp: payment.timestamp,
    }),
  };
}

export function subscriptionCreatedEvent(subscription: {
  id: number;
  user_id: number;
  plan_type: string;
  start_date: string;
  end_date: string;
}): KeyedEvent {
  return {
    key: String(subscription.id),
    event: createDomainEvent('subscription', 'created', {
      subscription_id: subscription.id,
      user_id: subscription.user_id,
      plan_type: subscription.plan_type,
      start_date: subscription.start_date,
      end_date: subscription.end_date,
    }),
  };
}
