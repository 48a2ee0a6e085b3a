import type { FastifyInstance } from 'fastify';
import { createHandler } from 'graphql-sse/lib/use/fastify';
import { prepareSubscription } from './prepareSubscription';
import type { SubscriptionEngine } from './prepareSubscription';
import { USER_ID_HEADER } from '../dial/userIdentity';

/** Where GraphQL over Server-Sent Events is served. */
export const SSE_PATH = '/graphql/stream';

const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8' };

/**
 * GraphQL over SSE (the graphql-sse protocol, distinct-connections mode) at SSE_PATH: a POST
 * with `Accept: text/event-stream` and the subscription as JSON streams `next` events and a
 * `complete`. The bearer token is judged before (registerAuthentication); the subscription is
 * checked as every transport checks it (prepareSubscription), a refusal is a 4xx JSON body.
 */
export function registerSse(app: FastifyInstance, engine: () => SubscriptionEngine | undefined) {
  const handler = createHandler({
    // Distinct connections only: no reservation tokens to hand out or keep.
    authenticate: () => null,
    onSubscribe: (request, params) => {
      const current = engine();
      if (!current) {
        const body = {
          errors: [
            {
              message: 'subscriptions need the event feed (KAFKA_BROKERS), which is not configured',
              extensions: { code: 'SERVICE_UNAVAILABLE' },
            },
          ],
        };
        return [
          JSON.stringify(body),
          { status: 503, statusText: 'Service Unavailable', headers: JSON_HEADERS },
        ];
      }
      const prepared = prepareSubscription(
        current,
        params,
        {
          caller: request.raw.caller,
          userIdHeader: request.headers.get(USER_ID_HEADER) ?? undefined,
          requestId: request.raw.id,
        },
        'sse',
      );
      if (prepared.ok) return prepared.stream;
      return [
        JSON.stringify({ errors: prepared.errors }),
        { status: prepared.status, statusText: 'Refused', headers: JSON_HEADERS },
      ];
    },
  });
  app.post(SSE_PATH, async (request, reply) => {
    // Subscriptions only: without an event stream to write to there is nothing to serve
    // (graphql-sse would answer an empty 404).
    if (!request.headers.accept?.includes('text/event-stream')) {
      return reply.code(406).send({
        errors: [
          {
            message: 'GraphQL over SSE needs the header "Accept: text/event-stream"',
            extensions: { code: 'NOT_ACCEPTABLE' },
          },
        ],
      });
    }
    try {
      await handler(request, reply);
    } catch (err) {
      request.log.error({ err }, 'SSE subscription failed');
      if (!reply.sent) {
        await reply.code(500).send({
          errors: [{ message: 'internal error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }],
        });
      }
    }
  });
}
