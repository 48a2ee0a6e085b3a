import type { ServerResponse } from 'node:http';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ExecutionResult } from 'graphql';
import { prepareSubscription, resumeFromOf } from './prepareSubscription';
import type { SubscribeParams, SubscriptionEngine } from './prepareSubscription';
import { USER_ID_HEADER } from '../dial/userIdentity';

/** Where GraphQL over Server-Sent Events is served. */
export const SSE_PATH = '/graphql/stream';

/** A comment line this often keeps proxies and load balancers from closing an idle stream. */
export const SSE_KEEP_ALIVE_MS = 12_000;

/** How long a subscriber closed for falling behind has to take its error event. */
const TOO_SLOW_GRACE_MS = 30_000;

const errorBody = (message: string, code: string) => ({
  errors: [{ message, extensions: { code } }],
});

/** One SSE frame; `data` is a single line, as JSON.stringify never writes a newline. */
function frame(event: string, data: unknown, id?: string): string {
  return `${id ? `id: ${id}\n` : ''}event: ${event}\ndata: ${data === undefined ? '' : JSON.stringify(data)}\n\n`;
}

/** Resolves when the socket can take more, or is gone. */
function writable(raw: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      raw.off('drain', done);
      raw.off('close', done);
      resolve();
    };
    raw.once('drain', done);
    raw.once('close', done);
  });
}

/**
 * GraphQL over SSE in the graphql-sse protocol's distinct-connections mode: a POST with
 * `Accept: text/event-stream` and the subscription as JSON (or a GET with it in the query
 * string, which is what a browser's EventSource sends) streams `next` events and a
 * `complete`. Each `next` carries its event's cursor as the SSE `id:`, so a reconnecting
 * EventSource (or any client) sends it back as `Last-Event-ID` and resumes where it left off.
 * (graphql-sse's own handler writes no ids and reads no Last-Event-ID, hence this writer.)
 * The bearer token is judged before (registerAuthentication); the subscription is checked as
 * every transport checks it (prepareSubscription), and a refusal is a 4xx JSON body.
 * A subscriber whose backlog reaches the bound gets an `error` event and the stream ends.
 */
export function registerSse(app: FastifyInstance, engine: () => SubscriptionEngine | undefined) {
  /** The GraphQL-over-HTTP parameters of a GET: `query`, and `variables` / `extensions` as JSON. */
  function paramsOfQueryString(request: FastifyRequest): SubscribeParams | string {
    const { query, variables, operationName, extensions } = request.query as Record<
      string,
      unknown
    >;
    const json = (name: string, value: unknown): unknown => {
      if (value === undefined) return undefined;
      if (typeof value !== 'string') throw new Error(`"${name}" must be given once`);
      try {
        return JSON.parse(value) as unknown;
      } catch {
        throw new Error(`"${name}" must be JSON`);
      }
    };
    try {
      return {
        query,
        variables: json('variables', variables),
        operationName,
        ...(extensions !== undefined && { extensions: json('extensions', extensions) }),
      } as SubscribeParams;
    } catch (err) {
      return (err as Error).message;
    }
  }

  app.get(SSE_PATH, (request, reply) => {
    const params = paramsOfQueryString(request);
    if (typeof params === 'string') return reply.code(400).send(errorBody(params, 'BAD_REQUEST'));
    return serve(request, reply, params);
  });
  app.post(SSE_PATH, (request, reply) => {
    const body = request.body;
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      return reply
        .code(400)
        .send(errorBody('the body must be a JSON object with a "query"', 'BAD_REQUEST'));
    }
    return serve(request, reply, body as SubscribeParams);
  });

  async function serve(request: FastifyRequest, reply: FastifyReply, params: SubscribeParams) {
    // Subscriptions only: without an event stream to write to there is nothing to serve.
    if (!request.headers.accept?.includes('text/event-stream')) {
      return reply
        .code(406)
        .send(
          errorBody(
            'GraphQL over SSE needs the header "Accept: text/event-stream"',
            'NOT_ACCEPTABLE',
          ),
        );
    }
    const current = engine();
    if (!current) {
      return reply
        .code(503)
        .send(
          errorBody(
            'subscriptions need the event feed (KAFKA_BROKERS), which is not configured',
            'SERVICE_UNAVAILABLE',
          ),
        );
    }
    // A reconnecting EventSource sends Last-Event-ID; a client that kept the id itself (a
    // page loaded again) may name it as extensions.resumeFrom instead.
    const header = request.headers['last-event-id'];
    const inExtensions = resumeFromOf(params.extensions);
    if (inExtensions === null) {
      return reply
        .code(400)
        .send(
          errorBody('extensions.resumeFrom must be the id of an event, a string', 'BAD_USER_INPUT'),
        );
    }
    const resumeFrom =
      typeof header === 'string' && header !== ''
        ? { cursor: header, source: 'Last-Event-ID' }
        : inExtensions
          ? { cursor: inExtensions, source: 'extensions.resumeFrom' }
          : undefined;
    let tooSlow = false;
    const raw = reply.raw;
    const prepared = prepareSubscription(
      current,
      params,
      {
        caller: request.caller,
        userIdHeader: request.headers[USER_ID_HEADER] as string | undefined,
        requestId: request.id,
        ...(resumeFrom && { resumeFrom }),
        onTooSlow: () => {
          tooSlow = true;
          if (!reply.sent || raw.writableEnded) return;
          raw.end(
            frame(
              'error',
              errorBody(
                'the subscriber did not keep up with its events; resume with the last event id',
                'SUBSCRIBER_TOO_SLOW',
              ),
            ),
          );
          setTimeout(() => raw.destroy(), TOO_SLOW_GRACE_MS).unref();
        },
      },
      'sse',
    );
    if (!prepared.ok) return reply.code(prepared.status).send({ errors: prepared.errors });

    const { stream } = prepared;
    reply.hijack();
    raw.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
      // nginx and others would buffer the stream otherwise.
      'x-accel-buffering': 'no',
    });
    raw.write(':\n\n');
    const keepAlive = setInterval(() => raw.write(':\n\n'), SSE_KEEP_ALIVE_MS);
    keepAlive.unref();
    raw.once('close', () => void stream.return?.());
    try {
      for await (const result of stream as AsyncIterable<ExecutionResult>) {
        if (raw.writableEnded || raw.destroyed) break;
        const cursor = result.extensions?.cursor;
        const flushed = raw.write(
          frame('next', result, typeof cursor === 'string' ? cursor : undefined),
        );
        if (!flushed) await writable(raw);
      }
      if (!tooSlow && !raw.writableEnded) raw.end(frame('complete', undefined));
    } catch (err) {
      request.log.error({ err }, 'SSE subscription failed');
      if (!raw.writableEnded)
        raw.end(frame('error', errorBody('internal error', 'INTERNAL_SERVER_ERROR')));
    } finally {
      clearInterval(keepAlive);
    }
  }
}
