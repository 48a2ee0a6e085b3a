import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { GatewayMetrics } from '../metrics';
import { USER_ID_HEADER, normalizeUserId } from '../dial/userIdentity';
import { BackendError } from '../errors';
import { backendAddress, forwardedRequestHeaders } from './backendClient';
import type { BackendClient, BackendResponse } from './backendClient';
import type { MigrationRouter, MoviesBackend } from './migrationRouter';

export interface RestShimOptions {
  backends: { monolith: string; movies: string; events: string };
  client: BackendClient;
  route: MigrationRouter;
  metrics: GatewayMetrics;
}

type BackendName = MoviesBackend | 'events';

/** The user a request names, for sticky routing: X-User-Id header, else ?user_id=. */
function userIdOf(request: FastifyRequest): string | undefined {
  return (
    normalizeUserId(request.headers[USER_ID_HEADER]) ??
    normalizeUserId((request.query as Record<string, unknown>).user_id)
  );
}

function send(reply: FastifyReply, backend: BackendName, response: BackendResponse) {
  return reply
    .code(response.status)
    .headers(response.headers)
    .header('x-served-by', backend)
    .send(response.body);
}

function sendBackendError(reply: FastifyReply, backend: BackendName, err: BackendError) {
  reply.log.warn({ backend, kind: err.kind, cause: String(err.cause) }, 'backend failed');
  return reply.code(err.status).header('x-served-by', backend).send({ error: err.message });
}

/**
 * The strangler: /api/movies goes to the movies service or the monolith as the migration
 * router decides (a failed GET falls back to the monolith; a POST is never retried), the rest
 * of /api/* passes through unchanged. Registered as its own plugin so bodies stay raw bytes.
 */
export async function registerRestShim(app: FastifyInstance, options: RestShimOptions) {
  const { backends, client, route, metrics } = options;
  const addresses = {
    monolith: backendAddress(backends.monolith),
    movies: backendAddress(backends.movies),
    events: backendAddress(backends.events),
  };

  function forward(request: FastifyRequest, backend: BackendName) {
    const headers = forwardedRequestHeaders(request.headers);
    headers['x-request-id'] = request.id;
    return client.forward(backend, addresses[backend], request.url, {
      method: request.method,
      headers,
      body: request.body as Buffer | undefined,
    });
  }

  async function passThrough(request: FastifyRequest, reply: FastifyReply, backend: BackendName) {
    try {
      return send(reply, backend, await forward(request, backend));
    } catch (err) {
      if (err instanceof BackendError) return sendBackendError(reply, backend, err);
      throw err;
    }
  }

  // Named: tracing calls the handler's span after its plugin.
  await app.register(async function restShim(shim) {
    // Proxied bodies are forwarded byte for byte; the backend judges them, as it would directly.
    shim.removeAllContentTypeParsers();
    shim.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) =>
      done(null, body),
    );

    shim.all('/api/movies', async (request, reply) => {
      const decision = route(userIdOf(request));
      metrics.migrationDecisions.inc({
        migration: 'movies',
        surface: 'rest',
        backend: decision.backend,
      });
      if (decision.backend === 'monolith' || request.method !== 'GET') {
        return passThrough(request, reply, decision.backend);
      }
      // Safety net: a GET the movies service cannot answer is answered by the monolith.
      let reason: string;
      try {
        const response = await forward(request, 'movies');
        if (response.status < 500) return send(reply, 'movies', response);
        reason = `status_${response.status}`;
      } catch (err) {
        if (!(err instanceof BackendError)) throw err;
        reason = err.kind;
      }
      metrics.fallbacks.inc({ reason });
      reply.header('x-fallback-from', 'movies');
      return passThrough(request, reply, 'monolith');
    });

    for (const prefix of ['/api/users', '/api/payments', '/api/subscriptions']) {
      shim.all(prefix, (request, reply) => passThrough(request, reply, 'monolith'));
    }
    shim.all('/api/events/*', (request, reply) => passThrough(request, reply, 'events'));
  });

  // A callback hook, not an async one: it runs on every request.
  app.addHook('onResponse', (request, reply, done) => {
    const routeUrl = request.routeOptions.url;
    if (routeUrl?.startsWith('/api/')) {
      const backend = String(reply.getHeader('x-served-by') ?? 'gateway');
      metrics.restRequests.inc({ route: routeUrl, backend, status: String(reply.statusCode) });
      metrics.restLatency.observe({ route: routeUrl, backend }, reply.elapsedTime / 1000);
    }
    done();
  });
}
