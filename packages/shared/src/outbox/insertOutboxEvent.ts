import type { PoolClient } from '../db';
import { topicForEventType } from '../events/domainEvent';
import type { KeyedEvent } from '../events/domainEvent';

/** Channel the outbox trigger notifies on each insert; the relay LISTENs to wake up early. */
export const OUTBOX_CHANNEL = 'outbox_events';

/**
 * Records an event in the outbox on the client of an open transaction, so the event exists
 * if and only if the write it describes commits. The relay publishes it later.
 */
export async function insertOutboxEvent(
  client: PoolClient,
  { key, event }: KeyedEvent,
): Promise<void> {
  await client.query('INSERT INTO outbox (event_id, topic, key, payload) VALUES ($1, $2, $3, $4)', [
    event.id,
    topicForEventType(event.type),
    key,
    JSON.stringify(event),
  ]);
}
