import type { PoolClient } from '../db';
import { topicForEventType } from '../events/domainEvent';
import type { KeyedEvent } from '../events/domainEvent';
import { currentTraceCarrier } from '../tracing/traceCarrier';

/** Channel the outbox trigger notifies on each insert; the relay LISTENs to wake up early. */
export const OUTBOX_CHANNEL = 'outbox_events';

/**
 * Records an event in the outbox on the client of an open transaction, so the event exists
 * if and only if the write it describes commits. The relay publishes it later, continuing the
 * trace of the work that wrote it (stored with the row).
 */
export async function insertOutboxEvent(
  client: PoolClient,
  { key, event }: KeyedEvent,
): Promise<void> {
  const { traceparent = null, tracestate = null } = currentTraceCarrier();
  await client.query(
    `INSERT INTO outbox (event_id, topic, key, payload, traceparent, tracestate)
     VALUES ($1, $2, $3, $4, $5, $6)`,
    [event.id, topicForEventType(event.type), key, JSON.stringify(event), traceparent, tracestate],
  );
}
