import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { toRfc3339 } from '../contract/validation';
import { TOPICS } from '../kafka/topics';

/** What an event is about. Ratings are movie events (action `rated`), as in the legacy API. */
export const EVENT_TYPES = ['movie', 'user', 'payment', 'subscription'] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** The envelope of every record on the event topics, produced by REST or by the outbox relay. */
export interface DomainEvent<P extends object = Record<string, unknown>> {
  /** A UUID; consumers process each id once, so a redelivered record changes nothing. */
  id: string;
  type: EventType;
  /** What happened, e.g. `created`, `rated`, `viewed`. */
  action: string;
  /** When the event was created, RFC 3339 UTC. */
  timestamp: string;
  payload: P;
}

/** An event with the Kafka key that orders it: the id of the entity it is about. */
export interface KeyedEvent<P extends object = Record<string, unknown>> {
  key: string;
  event: DomainEvent<P>;
}

/** Subscriptions share a topic with payments: both are billing and are consumed together. */
const TOPIC_OF_TYPE: Record<EventType, string> = {
  movie: TOPICS.movie,
  user: TOPICS.user,
  payment: TOPICS.payment,
  subscription: TOPICS.payment,
};

/** The topic (without any deployment prefix) that events of this type go to. */
export function topicForEventType(type: EventType): string {
  return TOPIC_OF_TYPE[type];
}

export function createDomainEvent<P extends object>(
  type: EventType,
  action: string,
  payload: P,
  now: Date = new Date(),
): DomainEvent<P> {
  return { id: randomUUID(), type, action, timestamp: toRfc3339(now), payload };
}

/** What a consumer accepts; anything else is a poison message for the dead-letter topic. */
export const domainEventSchema = z.object({
  id: z.uuid(),
  type: z.enum(EVENT_TYPES),
  action: z.string().min(1).max(64),
  timestamp: z.iso.datetime({ offset: true }),
  payload: z.record(z.string(), z.unknown()),
});

/**
 * Parses a record value into an event, or explains why it is not one. Never throws: the
 * caller routes failures to the dead-letter topic instead of retrying them.
 */
export function parseDomainEvent(
  value: Buffer | string | null,
): { ok: true; event: DomainEvent } | { ok: false; reason: string } {
  if (value === null) return { ok: false, reason: 'record has no value' };
  let json: unknown;
  try {
    json = JSON.parse(value.toString());
  } catch {
    return { ok: false, reason: 'record value is not JSON' };
  }
  const result = domainEventSchema.safeParse(json);
  if (result.success) return { ok: true, event: result.data };
  const issue = result.error.issues[0];
  const where = issue?.path.length ? issue.path.join('.') : 'event';
  return { ok: false, reason: `invalid event: ${where}: ${issue?.message ?? 'invalid'}` };
}
