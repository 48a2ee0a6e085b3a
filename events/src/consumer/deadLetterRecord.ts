import type { ConsumedRecord, OutgoingRecord } from '@cinemaabyss/shared/kafka';

/**
 * The dead-letter copy of a record: its key, value and headers unchanged, plus headers saying
 * where it came from and why it could not be processed, so it can be inspected and replayed.
 */
export function deadLetterRecord(
  record: ConsumedRecord,
  topic: string,
  { reason, attempts }: { reason: string; attempts: number },
): OutgoingRecord {
  return {
    topic,
    key: record.key,
    value: record.value ?? '',
    headers: {
      ...record.headers,
      'dlq-reason': reason.slice(0, 1000),
      'dlq-attempts': String(attempts),
      'dlq-original-topic': record.topic,
      'dlq-original-partition': String(record.partition),
      'dlq-original-offset': String(record.offset),
      'dlq-failed-at': new Date().toISOString(),
    },
  };
}
