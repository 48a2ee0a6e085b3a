import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { GatewayMetrics } from '../metrics';
import { USER_ID_HEADER, dialUserId } from '../dial/userIdentity';
import { callerHeaders, stripCallerHeaders } from '@cinemaabyss/shared/identity';
import { BackendError } from '../errors';
import { backendAddress, forwardedRequestHeaders } from './backendClient';
import type { BackendClient, BackendResponse } from './backendClient';
import type { MigrationRouter, MoviesBackend } from './migrationRouter';
import type { MigrationFigures } from '../figures/useMigrationFigures';
import { MOVIES_MIGRATION } from '../dial/seedMigrations';
import { userBucket } from '../dial/userBucket';
import { SHADOW_HEADER } from '../shadow/restShadow';
import type { RestShadow } from '../shadow/restShadow';

export interface RestShimOptions {
  backends: { monolith: string; movies: string; events: string };
  client: BackendClient;
  route: MigrationRouter;
  metrics: GatewayMetrics;
  /** The fleet figures each /api/movies call counts in, per side. */
  figures: Pick<MigrationFigures, 'served'>;
  /** Compares a sampled share of /api/movies reads with the side that did not serve them. */
  shadow: Pick<RestShadow, 'sampled' | 'compare'>;
}

type BackendName = MoviesBackend | 'events';

/**
 * The user of a request, for sticky routing: a verified token's subject (REST_AUTH verify or
 * required), else the X-User-Id header, else ?user_id=.
 */
function userIdOf(request: FastifyRequest): string | undefined {
  return (
    dialUserId(request.caller, request.headers[USER_ID_HEADER]) ??
    dialUserId(undefined, (request.query as Record<string, unknown>).user_id)
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
  const { backends, client, route, metrics, figures, shadow } = options;
  const addresses = {
    monolith: backendAddress(backends.monolith),
    movies: backendAddress(backends.movies),
    events: backendAddress(backends.events),
  };

  function forward(request: FastifyRequest, backend: BackendName, { asShadow = false } = {}) {
    // Only the gateway says who the caller is: a client's own x-auth-* never reach a backend.
    const headers = Object.assign(
      stripCallerHeaders(forwardedRequestHeaders(request.headers)),
      callerHeaders(request.caller),
    );
    headers['x-request-id'] = request.id;
    if (asShadow) headers[SHADOW_HEADER] = '1';
    return client.forward(backend, addresses[backend], request.url, {
      method: request.method,
      headers,
      body: request.body as Buffer | undefined,
    });
  }

  /**
   * Forwards an /api/movies call, counting it in the figures of the side it reached; when the
   * request is `shadowed` and the side answered (not 5xx), the other side's answer is compared
   * with it in the background.
   */
  async function forwardMovies(
    request: FastifyRequest,
    backend: MoviesBackend,
    { shadowed = false, userId }: { shadowed?: boolean; userId?: string } = {},
  ) {
    const started = performance.now();
    const count = (failed: boolean) =>
      figures.served({
        migration: MOVIES_MIGRATION,
        side: backend === 'movies' ? 'new' : 'old',
        surface: 'rest',
        failed,
        durationMs: performance.now() - started,
      });
    try {
      const response = await forward(request, backend);
      count(response.status >= 500);
      if (shadowed && response.status < 500) {
        const other: MoviesBackend = backend === 'movies' ? 'monolith' : 'movies';
        shadow.compare({
          method: request.method,
          path: request.url,
          userBucket: userId === undefined ? null : userBucket(userId),
          servedSide: backend === 'movies' ? 'new' : 'old',
          served: response,
          servedMs: performance.now() - started,
          callOtherSide: () => forward(request, other, { asShadow: true }),
          callServedSide: () => forward(request, backend, { asShadow: true }),
        });
      }
      return response;
    } catch (err) {
      if (err instanceof BackendError) count(true);
      throw err;
    }
  }

  /** Answers with `backend`'s response to `call`, or with the error it failed with. */
  async function answer(reply: FastifyReply, backend: BackendName, call: Promise<BackendResponse>) {
    try {
      return send(reply, backend, await call);
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
      const userId = userIdOf(request);
      const decision = route(userId);
      const served = { shadowed: shadow.sampled(request.method, request.headers), userId };
      metrics.migrationDecisions.inc({
        migration: 'movies',
        surface: 'rest',
        backend: decision.backend,
      });
      if (decision.backend === 'monolith' || request.method !== 'GET') {
        return answer(reply, decision.backend, forwardMovies(request, decision.backend, served));
      }
      // Safety net: a GET the movies service cannot answer is answered by the monolith.
      let reason: string;
      try {
        const response = await forwardMovies(request, 'movies', served);
        if (response.status < 500) return send(reply, 'movies', response);
        reason = `status_${response.status}`;
      } catch (err) {
        if (!(err instanceof BackendError)) throw err;
        reason = err.kind;
      }
      metrics.fallbacks.inc({ reason });
      reply.header('x-fallback-from', 'movies');
      return answer(reply, 'monolith', forwardMovies(request, 'monolith'));
    });

    for (const prefix of ['/api/users', '/api/payments', '/api/subscriptions']) {
      shim.all(prefix, (request, reply) => answer(reply, 'monolith', forward(request, 'monolith')));
    }
    shim.all('/api/events/*', (request, reply) =>
      answer(reply, 'events', forward(request, 'events')),
    );
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
