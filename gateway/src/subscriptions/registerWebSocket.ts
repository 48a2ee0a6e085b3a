import type { FastifyInstance } from 'fastify';
import { GraphQLError } from 'graphql';
import type { ExecutionArgs } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import type { Caller } from '@cinemaabyss/shared/identity';
import type { TokenVerifier } from '../auth/tokenVerifier';
import { USER_ID_HEADER } from '../dial/userIdentity';
import type { GatewayMetrics } from '../metrics';
import { prepareSubscription, resumeFromOf } from './prepareSubscription';
import type { SubscriptionEngine } from './prepareSubscription';

/** Where GraphQL over WebSocket (the graphql-ws protocol) is served: beside POST /graphql. */
export const WEBSOCKET_PATH = '/graphql';

/** The largest protocol message taken; a bigger one closes the socket with 1009. */
export const MAX_MESSAGE_BYTES = 64 * 1024;

/**
 * Closes a connection whose subscriber fell behind. 1013 (Try Again Later): graphql-ws's
 * client retries it, where its 44xx codes are fatal; the client resumes from its last cursor.
 */
export const TOO_SLOW_CLOSE_CODE = 1013;

/** What each connection keeps: the caller its token named, and its X-User-Id. */
interface ConnectionState {
  caller?: Caller;
  userId?: string;
  connectionId: string;
}

/** A header from the connection's init payload (`connectionParams`) or the upgrade request. */
function headerOf(
  params: Readonly<Record<string, unknown>> | undefined,
  headers: Record<string, string | string[] | undefined>,
  name: string,
): string | undefined {
  const fromParams = Object.entries(params ?? {}).find(([key]) => key.toLowerCase() === name)?.[1];
  if (typeof fromParams === 'string') return fromParams;
  const fromRequest = headers[name];
  return typeof fromRequest === 'string' ? fromRequest : undefined;
}

/**
 * GraphQL over WebSocket (graphql-ws's `graphql-transport-ws` protocol) on the same path as
 * POST /graphql: the HTTP upgrade is taken before Fastify routes it. The bearer token comes in
 * the init payload (`{ authorization: "Bearer …" }`, as browsers cannot set headers on a
 * WebSocket) or on the upgrade request, is judged once per connection, and a bad one closes
 * it with 4403. Each subscription is checked as every transport checks it
 * (prepareSubscription); a refusal is an `error` message with the GraphQL errors.
 * Returns the shutdown step: every subscription completes, then every socket closes with 1001.
 */
export function registerWebSocket(
  app: FastifyInstance,
  options: {
    engine: () => SubscriptionEngine | undefined;
    verifier: TokenVerifier;
    metrics: GatewayMetrics;
    /** Subscriptions one connection may hold at once. */
    perConnection: number;
  },
): { close(): Promise<void> } {
  const server = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  let connections = 0;
  /** Each open connection's subscriptions, to wait for their completes at shutdown. */
  const open = new Set<{ subscriptions: Record<string, unknown> }>();
  const onUpgrade = (
    request: Parameters<WebSocketServer['handleUpgrade']>[0],
    socket: Parameters<WebSocketServer['handleUpgrade']>[1],
    head: Buffer,
  ) => {
    const path = (request.url ?? '').split('?')[0];
    if (path !== WEBSOCKET_PATH || !options.engine()) {
      socket.end('HTTP/1.1 404 Not Found\r\nconnection: close\r\ncontent-length: 0\r\n\r\n');
      return;
    }
    server.handleUpgrade(request, socket, head, (ws) => server.emit('connection', ws, request));
  };
  app.server.on('upgrade', onUpgrade);

  const disposable = useServer<Record<string, unknown>, { state: ConnectionState }>(
    {
      onConnect: async (ctx) => {
        const { headers } = ctx.extra.request;
        const outcome = await options.verifier.authenticate(
          headerOf(ctx.connectionParams, headers, 'authorization'),
        );
        if (outcome.result !== 'anonymous') {
          options.metrics.authRequests.inc({ surface: 'graphql', result: outcome.result });
        }
        if (outcome.result === 'invalid' || outcome.result === 'unavailable') return false;
        connections += 1;
        open.add(ctx);
        ctx.extra.state = {
          ...(outcome.result === 'valid' && { caller: outcome.caller }),
          userId: headerOf(ctx.connectionParams, headers, USER_ID_HEADER),
          connectionId: `ws-${connections}`,
        };
        return true;
      },
      onSubscribe: (ctx, id, payload) => {
        const engine = options.engine();
        const state = ctx.extra.state;
        if (!engine || !state) {
          return [
            new GraphQLError('subscriptions are not served', {
              extensions: { code: 'SERVICE_UNAVAILABLE' },
            }),
          ];
        }
        // graphql-ws holds a place for this one already: the count includes it.
        if (Object.keys(ctx.subscriptions).length > options.perConnection) {
          return [
            new GraphQLError(
              `a connection holds at most ${options.perConnection} subscriptions; complete one first or open another connection`,
              { extensions: { code: 'TOO_MANY_SUBSCRIPTIONS' } },
            ),
          ];
        }
        const resumeFrom = resumeFromOf(payload.extensions);
        if (resumeFrom === null) {
          return [
            new GraphQLError('extensions.resumeFrom must be the cursor of an event, a string', {
              extensions: { code: 'BAD_USER_INPUT' },
            }),
          ];
        }
        const prepared = prepareSubscription(
          engine,
          payload,
          {
            caller: state.caller,
            userIdHeader: state.userId,
            requestId: `${state.connectionId}:${id}`,
            ...(resumeFrom && {
              resumeFrom: { cursor: resumeFrom, source: 'extensions.resumeFrom' },
            }),
            onTooSlow: () =>
              ctx.extra.socket.close(
                TOO_SLOW_CLOSE_CODE,
                'subscriber too slow; resume from the last cursor',
              ),
          },
          'ws',
        );
        if (!prepared.ok) {
          return prepared.errors.map(
            (error) => new GraphQLError(error.message, { extensions: error.extensions }),
          );
        }
        const args: ExecutionArgs = {
          schema: prepared.schema,
          document: prepared.document,
          operationName: prepared.operationName,
          contextValue: { stream: prepared.stream },
        };
        return args;
      },
      // The stream prepareSubscription registered with the hub, handed over as the operation.
      subscribe: (args) => (args.contextValue as { stream: AsyncIterableIterator<never> }).stream,
      onClose: (ctx) => void open.delete(ctx),
    },
    server,
  );

  return {
    async close() {
      app.server.off('upgrade', onUpgrade);
      // The hub has ended every stream; graphql-ws forgets a subscription once its `complete`
      // is sent. Then the sockets go, 1001 (bounded: a stuck client holds nothing up).
      const pending = () => [...open].some((ctx) => Object.keys(ctx.subscriptions).length > 0);
      for (let waited = 0; pending() && waited < 1_000; waited += 10) {
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      await disposable.dispose();
    },
  };
}
