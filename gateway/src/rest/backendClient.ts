import { createKeepAliveAgent, isTimeoutError } from '@cinemaabyss/shared/http-client';
import { BackendError } from '../errors';
import type { IncomingHttpHeaders } from 'node:http';

/** Hop-by-hop headers (RFC 9110 §7.6.1) belong to one connection and are never forwarded. */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'host',
  'content-length',
]);

/** The header names a Connection header lists, which are hop-by-hop as well. */
function connectionNamed(connection: string | string[] | undefined): string[] {
  if (connection === undefined) return [];
  return String(connection)
    .split(',')
    .map((h) => h.trim().toLowerCase())
    .filter(Boolean);
}

/** Headers minus hop-by-hop ones, including any the Connection header names. */
export function endToEndHeaders(headers: IncomingHttpHeaders): Record<string, string | string[]> {
  const named = connectionNamed(headers.connection);
  const out: Record<string, string | string[]> = {};
  // for…in rather than Object.entries: it runs twice per proxied request, and builds no
  // array of entries.
  for (const name in headers) {
    const value = headers[name];
    if (value === undefined || HOP_BY_HOP.has(name) || named.includes(name)) continue;
    out[name] = value;
  }
  return out;
}

/**
 * W3C trace context describes the hop into the gateway; the hop out gets its own, written by
 * the tracing instrumentation of the call. Copied as well, the backend would see two
 * `traceparent` headers and start a trace of its own.
 */
const TRACE_CONTEXT = ['traceparent', 'tracestate'];

/** What the REST shim sends on to a backend: the client's end-to-end headers, minus trace context. */
export function forwardedRequestHeaders(
  headers: IncomingHttpHeaders,
): Record<string, string | string[]> {
  const out = endToEndHeaders(headers);
  for (const name of TRACE_CONTEXT) delete out[name];
  return out;
}

export interface BackendResponse {
  status: number;
  headers: Record<string, string | string[]>;
  body: Buffer;
}

/** A backend's base URL split once at start-up, so a call parses no URL of its own. */
export interface BackendAddress {
  origin: string;
  /** The base URL's path without its trailing slash ('' for a bare origin). */
  pathPrefix: string;
}

export function backendAddress(baseUrl: string): BackendAddress {
  const url = new URL(baseUrl);
  return { origin: url.origin, pathPrefix: url.pathname.replace(/\/+$/, '') };
}

/**
 * Forwards requests to REST backends over keep-alive connections (one undici Agent, pooled
 * per origin), each call bounded by timeoutMs; bodies are small JSON, so they are buffered.
 */
export function createBackendClient({ timeoutMs }: { timeoutMs: number }) {
  const agent = createKeepAliveAgent({ timeoutMs, connections: 128 });
  return {
    /** The pool itself, for the gateway's other calls to the same backends (readiness). */
    dispatcher: agent,
    /** Sends `pathAndQuery` (the client's request target, e.g. `/api/movies?id=1`) to `address`. */
    async forward(
      backend: string,
      address: BackendAddress,
      pathAndQuery: string,
      init: { method: string; headers: Record<string, string | string[]>; body?: Buffer },
    ): Promise<BackendResponse> {
      try {
        // The dispatcher's own request, not undici's top-level one: that one parses a URL per call.
        const response = await agent.request({
          origin: address.origin,
          path: address.pathPrefix + pathAndQuery,
          method: init.method as 'GET',
          headers: init.headers,
          body: init.body && init.body.length > 0 ? init.body : undefined,
        });
        const body = Buffer.from(await response.body.arrayBuffer());
        return {
          status: response.statusCode,
          headers: endToEndHeaders(response.headers as IncomingHttpHeaders),
          body,
        };
      } catch (err) {
        throw new BackendError(isTimeoutError(err) ? 'timeout' : 'unreachable', backend, err);
      }
    },
    close: () => agent.close(),
  };
}

export type BackendClient = ReturnType<typeof createBackendClient>;
