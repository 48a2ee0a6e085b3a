import type { FastifyInstance, FastifyReply } from 'fastify';
import type { GatewayMetrics } from '../metrics';
import type { Caller } from '@cinemaabyss/shared/identity';
import type { RestAuthMode } from './restAuthMode';
import type { TokenVerifier } from './tokenVerifier';

declare module 'fastify' {
  interface FastifyRequest {
    /** The verified caller; undefined for anonymous callers and where tokens are not read. */
    caller: Caller | undefined;
  }
}

type Surface = 'graphql' | 'rest';

export interface AuthenticationOptions {
  verifier: TokenVerifier;
  restMode: RestAuthMode;
  metrics: Pick<GatewayMetrics, 'authRequests'>;
}

/** What a refused request gets, in each surface's own error shape. */
function refuse(
  reply: FastifyReply,
  surface: Surface,
  status: 401 | 503,
  { code, message, challenge }: { code: string; message: string; challenge?: string },
) {
  if (challenge) reply.header('www-authenticate', challenge);
  if (status === 503) reply.header('retry-after', '5');
  return reply
    .code(status)
    .header('cache-control', 'no-store')
    .send(
      surface === 'graphql'
        ? { errors: [{ message, extensions: { code } }] }
        : { error: message, code },
    );
}

/** The surface a route belongs to, if its requests carry caller tokens. */
function surfaceOf(routeUrl: string | undefined): Surface | undefined {
  // /graphql/stream: GraphQL over SSE (subscriptions).
  if (routeUrl === '/graphql' || routeUrl === '/graphql/stream') return 'graphql';
  if (routeUrl?.startsWith('/api/')) return 'rest';
  return undefined;
}

/**
 * Establishes who calls /graphql (always) and /api/* (per `restMode`) before any other work:
 * a valid token sets `request.caller`, a bad one is a 401 with an RFC 6750 challenge, a token
 * that cannot be judged for want of keys a 503. The admin API keeps its own token.
 * Registered before the routes it guards.
 */
export function registerAuthentication(app: FastifyInstance, options: AuthenticationOptions) {
  const { verifier, restMode, metrics } = options;
  app.decorateRequest('caller', undefined);
  app.addHook('onRequest', async (request, reply) => {
    const surface = surfaceOf(request.routeOptions.url);
    if (!surface || (surface === 'rest' && restMode === 'off')) return;
    const outcome = await verifier.authenticate(request.headers.authorization);
    metrics.authRequests.inc({ surface, result: outcome.result });
    switch (outcome.result) {
      case 'valid':
        request.caller = outcome.caller;
        return;
      case 'anonymous':
        if (surface === 'rest' && restMode === 'required') {
          return refuse(reply, surface, 401, {
            code: 'UNAUTHENTICATED',
            message: 'this API needs a bearer token (Authorization: Bearer <JWT>)',
            challenge: 'Bearer',
          });
        }
        return;
      case 'invalid':
        // Why, for the operator; the client learns only that the token was refused.
        request.log.info({ reason: outcome.reason, surface }, 'bearer token refused');
        return refuse(reply, surface, 401, {
          code: 'UNAUTHENTICATED',
          message: 'the bearer token is invalid or expired',
          challenge: 'Bearer error="invalid_token"',
        });
      case 'unavailable':
        request.log.warn({ surface }, 'a bearer token arrived, but no keys are held to verify it');
        return refuse(reply, surface, 503, {
          code: 'SERVICE_UNAVAILABLE',
          message: 'bearer tokens cannot be verified right now; retry shortly',
        });
    }
  });
}
