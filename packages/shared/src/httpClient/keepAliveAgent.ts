import { Agent, errors } from 'undici';
import type { Dispatcher } from 'undici';

export type { Dispatcher };

export interface KeepAliveAgentOptions {
  /** Longest wait for a response's headers, and then between two body chunks. */
  timeoutMs: number;
  /** Longest TCP connect. @default min(timeoutMs, 2000) */
  connectTimeoutMs?: number;
  /** Most connections held open per origin; further calls queue. @default 32 */
  connections?: number;
}

/**
 * The one way a service holds outbound HTTP connections: an undici Agent with keep-alive
 * pools per origin and every phase of a call bounded. Callers send with undici's `request`
 * and this as `dispatcher`; tests hand in a MockAgent (`useMockBackends` in ./testing) instead.
 */
export function createKeepAliveAgent({
  timeoutMs,
  connectTimeoutMs = Math.min(timeoutMs, 2_000),
  connections = 32,
}: KeepAliveAgentOptions): Dispatcher {
  return new Agent({
    connections,
    keepAliveTimeout: 30_000,
    connect: { timeout: connectTimeoutMs },
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
  });
}

/**
 * True for a call that ran out of time: undici's connect, headers and body timeouts, and the
 * TimeoutError an AbortSignal deadline rejects with (however a caller wrapped it).
 */
export function isTimeoutError(err: unknown): boolean {
  if (
    err instanceof errors.HeadersTimeoutError ||
    err instanceof errors.BodyTimeoutError ||
    err instanceof errors.ConnectTimeoutError
  ) {
    return true;
  }
  const name = (err as { name?: unknown } | undefined)?.name;
  const causeName = (err as { cause?: { name?: unknown } } | undefined)?.cause?.name;
  return name === 'TimeoutError' || causeName === 'TimeoutError';
}
