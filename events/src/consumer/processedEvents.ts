import { toRfc3339 } from '@cinemaabyss/shared/validation';
import type { Pool, PoolClient } from '@cinemaabyss/shared/db';
import type { DomainEvent, EventType } from '@cinemaabyss/shared/events';
import type { ConsumedRecord } from '@cinemaabyss/shared/kafka';

/** An event as the operator endpoint lists it: the envelope plus where it was read from. */
export interface ProcessedEvent {
  id: string;
  type: string;
  action: string;
  timestamp: string;
  payload: Record<string, unknown>;
  topic: string;
  partition: number;
  offset: number;
  key: string | null;
  processed_at: string;
}

interface ProcessedEventRow extends Omit<ProcessedEvent, 'timestamp' | 'processed_at'> {
  timestamp: Date;
  processed_at: Date;
}

/**
 * Marks the event processed inside the caller's transaction; false when it already was, in
 * which case the caller must not process it again (the transaction makes both or neither stick).
 */
export async function markProcessed(
  client: PoolClient,
  event: DomainEvent,
  record: ConsumedRecord,
): Promise<boolean> {
  const { rowCount } = await client.query(
    `INSERT INTO processed_events
       (event_id, type, action, event_timestamp, payload, topic, kafka_partition, kafka_offset, kafka_key)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
     ON CONFLICT (event_id) DO NOTHING`,
    [
      event.id,
      event.type,
      event.action,
      event.timestamp,
      JSON.stringify(event.payload),
      record.topic,
      record.partition,
      record.offset,
      record.key,
    ],
  );
  return rowCount === 1;
}

/** The most recently processed events, newest first. */
export async function listProcessedEvents(
  pool: Pool,
  { type, limit }: { type?: EventType; limit: number },
): Promise<ProcessedEvent[]> {
  const { rows } = await pool.query<ProcessedEventRow>(
    `SELECT event_id AS id, type, action, event_timestamp AS timestamp, payload, topic,
            kafka_partition AS partition, kafka_offset AS "offset", kafka_key AS key, processed_at
       FROM processed_events
      WHERE $1::text IS NULL OR type = $1
      ORDER BY processed_at DESC, event_id
      LIMIT $2`,
    [type ?? null, limit],
  );
  return rows.map((row) => ({
    ...row,
    timestamp: toRfc3339(row.timestamp),
    processed_at: toRfc3339(row.processed_at),
  }));
}
