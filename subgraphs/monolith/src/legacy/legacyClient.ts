import { request } from 'undici';
import { createKeepAliveAgent } from '@cinemaabyss/shared/http-client';
import type { Dispatcher } from '@cinemaabyss/shared/http-client';
import type { Logger } from '@cinemaabyss/shared/logging';
import { withDeadline } from '@cinemaabyss/shared/deadline';
import { errorFromLegacyStatus, invalidLegacyResponse, unavailable } from '../errors';
import type {
  LegacyMovie,
  LegacyPayment,
  LegacySubscription,
  LegacyUser,
  NewLegacyPayment,
  NewLegacySubscription,
  NewLegacyUser,
} from './legacyTypes';

export interface LegacyClientOptions {
  /** Base URL of the legacy REST API, e.g. `http://127.0.0.1:8080` (no trailing slash needed). */
  baseUrl: string;
  /** Budget of one call, from connecting to the last body byte. @default 5000 */
  timeoutMs?: number;
  logger: Logger;
  /** Most keep-alive connections held open to the monolith. @default 32 */
  connections?: number;
  /** Sends through this instead of an agent of its own (tests: a MockAgent); never closed here. */
  dispatcher?: Dispatcher;
}

/** The legacy REST endpoints, bound to one incoming request (its id travels as x-request-id). */
export interface LegacyApi {
  listUsers(): Promise<LegacyUser[]>;
  /** `GET /api/users?ids=`: unknown ids are absent. */
  usersByIds(ids: readonly number[]): Promise<LegacyUser[]>;
  /** `GET /api/movies`: the whole catalogue, in id order. */
  listMovies(): Promise<LegacyMovie[]>;
  /** `GET /api/movies?ids=`: unknown ids are absent. */
  moviesByIds(ids: readonly number[]): Promise<LegacyMovie[]>;
  /** `GET /api/payments?ids=`. */
  paymentsByIds(ids: readonly number[]): Promise<LegacyPayment[]>;
  /** `GET /api/payments?user_ids=`. */
  paymentsByUserIds(userIds: readonly number[]): Promise<LegacyPayment[]>;
  /** `GET /api/subscriptions?ids=`. */
  subscriptionsByIds(ids: readonly number[]): Promise<LegacySubscription[]>;
  /** `GET /api/subscriptions?user_ids=`. */
  subscriptionsByUserIds(userIds: readonly number[]): Promise<LegacySubscription[]>;
  createUser(input: NewLegacyUser): Promise<LegacyUser>;
  createPayment(input: NewLegacyPayment): Promise<LegacyPayment>;
  createSubscription(input: NewLegacySubscription): Promise<LegacySubscription>;
  /** True when `GET /health` answers 200 `{"status": true}` in time; never throws. */
  isHealthy(): Promise<boolean>;
}

export interface LegacyClient {
  /** The API for one incoming request; `requestId` is sent as `x-request-id`. */
  forRequest(requestId?: string): LegacyApi;
  /** Closes the pooled connections once in-flight calls finish. */
  close(): Promise<void>;
}

interface Call {
  method: 'GET' | 'POST';
  path: string;
  body?: unknown;
  requestId?: string;
}

/**
 * The one HTTP client for the legacy monolith: pooled keep-alive connections, a hard per-call
 * timeout and errors mapped to AppError.
 */
export function createLegacyClient({
  baseUrl,
  timeoutMs = 5_000,
  logger,
  connections = 32,
  dispatcher,
}: LegacyClientOptions): LegacyClient {
  const origin = baseUrl.replace(/\/+$/, '');
  const agent = dispatcher ?? createKeepAliveAgent({ timeoutMs, connections });

  async function call<T>({ method, path, body, requestId }: Call): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (requestId) headers['x-request-id'] = requestId;
    if (body !== undefined) headers['content-type'] = 'application/json';
    let status: number;
    let text: string;
    try {
      // The deadline covers connect, headers and body: a stalled monolith cannot hold a
      // resolver forever.
      ({ status, text } = await withDeadline(timeoutMs, async (signal) => {
        const response = await request(`${origin}${path}`, {
          method,
          headers,
          body: body === undefined ? undefined : JSON.stringify(body),
          signal,
          dispatcher: agent,
        });
        return { status: response.statusCode, text: await response.body.text() };
      }));
    } catch (err) {
      logger.warn({ err, method, path, requestId }, 'legacy monolith call failed');
      throw unavailable(err, timeoutMs);
    }
    let parsed: unknown;
    try {
      parsed = text === '' ? undefined : JSON.parse(text);
    } catch {
      logger.warn({ method, path, status, requestId }, 'legacy monolith sent invalid JSON');
      throw invalidLegacyResponse();
    }
    if (status < 200 || status >= 300) {
      const message = (parsed as { error?: unknown } | undefined)?.error;
      const error = errorFromLegacyStatus(
        status,
        typeof message === 'string' ? message : undefined,
      );
      if (error.code === 'SERVICE_UNAVAILABLE' || error.code === 'INTERNAL_SERVER_ERROR') {
        logger.warn({ method, path, status, requestId, body: parsed }, 'legacy monolith error');
      }
      throw error;
    }
    // The monolith owns these shapes; its integration tests pin them to REST-CONTRACT.md.
    return parsed as T;
  }

  const forRequest = (requestId?: string): LegacyApi => {
    const get = <T>(path: string) => call<T>({ method: 'GET', path, requestId });
    const post = <T>(path: string, body: unknown) =>
      call<T>({ method: 'POST', path, body, requestId });
    // An empty list is a 400 on the monolith, and there is nothing to ask for anyway.
    const batch = async <T>(path: string, param: string, ids: readonly number[]) =>
      ids.length === 0 ? [] : get<T[]>(`${path}?${param}=${ids.join(',')}`);
    return {
      listUsers: () => get('/api/users'),
      usersByIds: (ids) => batch('/api/users', 'ids', ids),
      listMovies: () => get('/api/movies'),
      moviesByIds: (ids) => batch('/api/movies', 'ids', ids),
      paymentsByIds: (ids) => batch('/api/payments', 'ids', ids),
      paymentsByUserIds: (ids) => batch('/api/payments', 'user_ids', ids),
      subscriptionsByIds: (ids) => batch('/api/subscriptions', 'ids', ids),
      subscriptionsByUserIds: (ids) => batch('/api/subscriptions', 'user_ids', ids),
      createUser: (input) => post('/api/users', input),
      createPayment: (input) => post('/api/payments', input),
      createSubscription: (input) => post('/api/subscriptions', input),
      async isHealthy() {
        try {
          const body = await get<{ status?: unknown } | undefined>('/health');
          return body?.status === true;
        } catch {
          return false;
        }
      },
    };
  };

  return {
    forRequest,
    async close() {
      if (!dispatcher) await agent.close();
    },
  };
}
