import { TOPICS } from '@cinemaabyss/shared/kafka';

/** Where records that could not be processed go, with headers saying why; operators replay them. */
export const DEAD_LETTER_TOPIC = 'events-dlq';

export interface EventTopics {
  movie: string;
  user: string;
  payment: string;
  deadLetter: string;
  /** The three event topics, which the consumer group reads. */
  consumed: readonly string[];
  /** Every topic this service ensures at start. */
  all: readonly string[];
}

export function eventTopics(prefix: string): EventTopics {
  const movie = `${prefix}${TOPICS.movie}`;
  const user = `${prefix}${TOPICS.user}`;
  const payment = `${prefix}${TOPICS.payment}`;
  const deadLetter = `${prefix}${DEAD_LETTER_TOPIC}`;
  return {
    movie,
    user,
    payment,
    deadLetter,
    consumed: [movie, user, payment],
    all: [movie, user, payment, deadLetter],
  };
}
