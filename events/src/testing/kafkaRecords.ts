import { randomBytes } from 'node:crypto';
import { createEventBus } from '@cinemaabyss/shared/kafka';
import type { ConsumedRecord, OutgoingRecord } from '@cinemaabyss/shared/kafka';

/**
 * Reads `topic` from the beginning with a throw-away consumer group until `done` says the
 * records so far are enough, then resolves them; rejects after timeoutMs.
 */
export async function readRecords(
  brokers: string[],
  topic: string,
  done: (records: ConsumedRecord[]) => boolean,
  timeoutMs = 20_000,
): Promise<ConsumedRecord[]> {
  const consumer = createEventBus({ brokers, clientId: 'events-tests' }).createConsumer({
    groupId: `events-tests-reader-${randomBytes(4).toString('hex')}`,
    topics: [topic],
    fromBeginning: true,
  });
  const records: ConsumedRecord[] = [];
  let finish: () => void = () => {};
  const finished = new Promise<void>((resolve) => (finish = resolve));
  let timer: NodeJS.Timeout | undefined;
  try {
    await consumer.start(async (record) => {
      records.push(record);
      if (done(records)) finish();
    });
    await Promise.race([
      finished,
      new Promise((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`read ${records.length} records of ${topic}, not enough`)),
          timeoutMs,
        );
      }),
    ]);
    return records;
  } finally {
    clearTimeout(timer);
    await consumer.disconnect();
  }
}

/** The record at topic/partition/offset, read back from the broker. */
export async function readRecordAt(
  brokers: string[],
  position: { topic: string; partition: number; offset: number },
): Promise<ConsumedRecord> {
  const at = (r: ConsumedRecord) =>
    r.partition === position.partition && r.offset === position.offset;
  const records = await readRecords(brokers, position.topic, (rs) => rs.some(at));
  return records.find(at) as ConsumedRecord;
}

/** Produces raw records (e.g. poison ones) straight to the broker. */
export async function produceRaw(brokers: string[], records: OutgoingRecord[]): Promise<void> {
  const producer = createEventBus({ brokers, clientId: 'events-tests' }).createProducer();
  try {
    await producer.send(records);
  } finally {
    await producer.disconnect();
  }
}
