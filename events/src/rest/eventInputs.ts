import {
  bodySchema,
  dateTimeField,
  decimalField,
  emailField,
  idField,
  parseInput,
  textField,
  toRfc3339,
} from '@cinemaabyss/shared/validation';
import { createDomainEvent } from '@cinemaabyss/shared/events';
import { movieFields } from '@cinemaabyss/shared/movies';
import type { KeyedEvent } from '@cinemaabyss/shared/events';

/** Request bodies of `POST /api/events/{movie,user,payment}` (REST-CONTRACT.md), as events. */

const actionField = (field: string) => textField(field, { max: 64 });

const movie = movieFields.shape;
const movieEventBody = bodySchema({
  movie_id: idField('movie_id'),
  title: movie.title,
  action: actionField('action'),
  user_id: idField('user_id').nullish(),
  rating: movie.rating.nullish(),
  genres: movie.genres.nullish(),
  description: movie.description.nullish(),
});

const userEventBody = bodySchema({
  user_id: idField('user_id'),
  action: actionField('action'),
  timestamp: dateTimeField('timestamp').transform(toRfc3339),
  username: textField('username', { max: 64 }).nullish(),
  email: emailField('email').nullish(),
});

const paymentEventBody = bodySchema({
  payment_id: idField('payment_id'),
  user_id: idField('user_id'),
  amount: decimalField('amount', { min: 0, max: 1e10, exclusiveMin: true, decimals: 2 }),
  status: textField('status', { max: 32 }),
  timestamp: dateTimeField('timestamp').transform(toRfc3339),
  method_type: textField('method_type', { max: 32 }).nullish(),
});

/** Optional fields sent as null are left out, as if they had not been sent. */
function withoutNulls<T extends object>(body: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(body).filter(([, value]) => value !== null && value !== undefined),
  ) as Partial<T>;
}

export type RestEventKind = 'movie' | 'user' | 'payment';

/** Validates a request body (400 naming the field) and wraps it in a new event keyed by its entity. */
export function eventFromRequest(kind: RestEventKind, body: unknown): KeyedEvent {
  switch (kind) {
    case 'movie': {
      const input = parseInput(movieEventBody, body);
      return {
        key: String(input.movie_id),
        event: createDomainEvent('movie', input.action, withoutNulls(input)),
      };
    }
    case 'user': {
      const input = parseInput(userEventBody, body);
      return {
        key: String(input.user_id),
        event: createDomainEvent('user', input.action, withoutNulls(input)),
      };
    }
    case 'payment': {
      // Payment events have a status rather than an action; the status is what happened.
      const input = parseInput(paymentEventBody, body);
      return {
        key: String(input.payment_id),
        event: createDomainEvent('payment', input.status, withoutNulls(input)),
      };
    }
  }
}
