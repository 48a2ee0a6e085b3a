import { countTopicRecords } from '@cinemaabyss/shared/kafka';
import type { Stack } from './startStack';

/** Tables every write of the platform touches; each write also adds an outbox row. */
const WRITTEN_TABLES = [
  'users',
  'movies',
  'movie_genres',
  'payments',
  'subscriptions',
  'views',
  'user_ratings',
  'outbox',
  'processed_events',
] as const;

export type RowCounts = Record<(typeof WRITTEN_TABLES)[number], number>;

/** The number of rows of every written table, read in one statement (one snapshot). */
export async function countRows(stack: Stack): Promise<RowCounts> {
  const columns = WRITTEN_TABLES.map((t) => `(SELECT count(*)::int FROM ${t}) AS ${t}`).join(', ');
  const { rows } = await stack.monolith.db.pool.query<RowCounts>(`SELECT ${columns}`);
  return rows[0] as RowCounts;
}

/** Records on the events service's topics: the REST producers' and the relay's output. */
export async function countEventRecords(stack: Stack): Promise<number> {
  const events = stack.events;
  if (!events) throw new Error('start the stack withEventsService to count event records');
  return countTopicRecords(events.brokers, events.topics.all);
}

export interface RawResponse {
  status: number;
  contentType: string;
  text: string;
}

export interface RawRequest {
  method: string;
  /** Path and query string, sent as given (not normalised). */
  path: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
}

/** One HTTP call whose body may be anything at all; the response is read as text. */
export async function sendRaw(baseUrl: string, request: RawRequest): Promise<RawResponse> {
  const response = await fetch(`${baseUrl}${request.path}`, {
    method: request.method,
    headers: request.headers,
    body: request.body,
    signal: AbortSignal.timeout(10_000),
  });
  return {
    status: response.status,
    contentType: response.headers.get('content-type') ?? '',
    text: await response.text(),
  };
}

/**
 * What must never reach a client: stack frames, source paths, and the database's own words.
 * Client input is echoed in some messages, so these are phrases no client sends by accident.
 */
const INTERNALS: readonly RegExp[] = [
  /\bat [\w.<>]+ \(/, // a stack frame
  /node_modules|\.[cm]?[jt]s:\d+/, // a source location
  /\/(?:work|home|root|usr|tmp)\//, // a file path on the server
  /syntax error at or near|violates [\w ]*constraint|invalid byte sequence|invalid input syntax for type|duplicate key value|out of range for type|unsupported Unicode escape/i,
  /ECONNREFUSED|ECONNRESET|127\.0\.0\.1:\d+/,
];

/** The first internal detail the text shows, or undefined. */
export function leakedInternal(text: string): string | undefined {
  for (const pattern of INTERNALS) {
    const match = pattern.exec(text);
    if (match) return match[0];
  }
  return undefined;
}

/** Codes that say the platform failed, not the client: none may answer a client mistake. */
const FAILURE_CODES = new Set(['INTERNAL_SERVER_ERROR', 'SERVICE_UNAVAILABLE']);

export interface GraphQLBody {
  data?: Record<string, unknown> | null;
  errors?: { message: string; extensions?: { code?: string } }[];
}

/** The errors of a GraphQL answer whose code says the platform failed. */
export function platformFailures(body: GraphQLBody): NonNullable<GraphQLBody['errors']> {
  return (body.errors ?? []).filter((e) => FAILURE_CODES.has(String(e.extensions?.code)));
}

export type RestService = 'gateway' | 'monolith' | 'movies' | 'events';

/** Where each POST route of the REST contract is served: its own service, and the gateway's shim. */
export const POST_ROUTE_SERVICES: Readonly<Record<string, readonly RestService[]>> = {
  '/api/users': ['monolith', 'gateway'],
  '/api/payments': ['monolith', 'gateway'],
  '/api/subscriptions': ['monolith', 'gateway'],
  '/api/movies': ['monolith', 'movies', 'gateway'],
  '/api/events/movie': ['events', 'gateway'],
  '/api/events/user': ['events', 'gateway'],
  '/api/events/payment': ['events', 'gateway'],
};
