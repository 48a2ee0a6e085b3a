import { SUBSCRIPTION_FIELDS } from './eventRouting';
import type { SubscriptionField } from './eventRouting';

/** Per partition of a field's topic, the last offset handled (−1: none yet). */
export type Positions = ReadonlyMap<number, number>;

export interface EventCursor {
  field: SubscriptionField;
  positions: Positions;
}

/** Longer than any cursor the gateway issues for a topic of up to 256 partitions. */
const MAX_CURSOR_LENGTH = 8_192;
const MAX_PARTITIONS = 1_024;

/**
 * The opaque id of a delivered event: where the feed stood on every partition of the field's
 * topic once the event was handled, so a subscription resumes after it wherever its events
 * came from. Kafka offsets are the same on every replica, so any replica can resume it.
 */
export function encodeCursor(field: SubscriptionField, positions: Positions): string {
  const entries = [...positions].sort(([a], [b]) => a - b);
  const text = `${field}|${entries.map(([partition, offset]) => `${partition}:${offset}`).join(',')}`;
  return Buffer.from(text).toString('base64url');
}

/** The cursor in `text`, or undefined when it is not one encodeCursor made. */
export function decodeCursor(text: string): EventCursor | undefined {
  if (text.length === 0 || text.length > MAX_CURSOR_LENGTH || !/^[\w-]+$/.test(text)) {
    return undefined;
  }
  const [field, list, ...rest] = Buffer.from(text, 'base64url').toString('utf8').split('|');
  if (rest.length > 0 || list === undefined) return undefined;
  if (!(SUBSCRIPTION_FIELDS as readonly string[]).includes(field!)) return undefined;
  const positions = new Map<number, number>();
  for (const entry of list === '' ? [] : list.split(',')) {
    const match = /^(\d{1,4}):(-1|\d{1,15})$/.exec(entry);
    if (!match || positions.size >= MAX_PARTITIONS) return undefined;
    const partition = Number(match[1]);
    if (positions.has(partition)) return undefined;
    positions.set(partition, Number(match[2]));
  }
  return { field: field as SubscriptionField, positions };
}
