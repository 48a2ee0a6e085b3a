import { eventsErrors } from '../errors';
import { EVENT_TYPES } from '@cinemaabyss/shared/events';
import type { EventType } from '@cinemaabyss/shared/events';

export const DEFAULT_LIST_LIMIT = 50;
/** Bounds one operator request to a page that is cheap to read and send. */
export const MAX_LIST_LIMIT = 500;

/** `GET /api/events?type=&limit=`: a known type (or none) and a limit in 1..MAX_LIST_LIMIT. */
export function parseListQuery(query: unknown): { type?: EventType; limit: number } {
  const { type, limit } = (query ?? {}) as Record<string, unknown>;
  if (type !== undefined && !EVENT_TYPES.includes(type as EventType)) {
    throw eventsErrors.unknownEventType(EVENT_TYPES);
  }
  if (limit === undefined)
    return { type: type as EventType | undefined, limit: DEFAULT_LIST_LIMIT };
  const n = typeof limit === 'string' && /^\d{1,4}$/.test(limit) ? Number(limit) : NaN;
  if (!(n >= 1 && n <= MAX_LIST_LIMIT)) {
    throw eventsErrors.listLimitOutOfRange(MAX_LIST_LIMIT);
  }
  return { type: type as EventType | undefined, limit: n };
}
