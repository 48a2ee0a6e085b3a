import { randomUUID } from 'node:crypto';
import Fastify, { LogController } from 'fastify';
import type { FastifyError, FastifyInstance } from 'fastify';
import type { Logger } from '../logger';
import { AppError } from './errors';
import { followRequestTrace } from '../tracing/requestLifecycle';

export const DEFAULT_BODY_LIMIT = 1024 * 1024;

export interface CreateHttpAppOptions {
  logger: Logger;
  /** Largest accepted request body in bytes; larger ones get 413. @default 1 MiB */
  bodyLimit?: number;
}

/** Fastify's own client errors, reworded so the `{"error"}` names the problem. */
function describeFrameworkError(err: FastifyError, bodyLimit: number): string {
  switch (err.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return 'malformed JSON in request body';
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return 'request body is empty; expected a JSON object';
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return `request body is larger than the limit of ${bodyLimit} bytes`;
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return 'Content-Type must be application/json';
    default:
      return err instanceof SyntaxError ? 'malformed JSON in request body' : err.message;
  }
}

/**
 * A Fastify instance with the platform's HTTP rules: request ids taken from or added as
 * `x-request-id`, JSON-only bodies under a size limit, and every error as `{"error": ...}`
 * with internals (stack traces, SQL) kept in the log.
 */
export function createHttpApp({
  logger,
  bodyLimit = DEFAULT_BODY_LIMIT,
}: CreateHttpAppOptions): FastifyInstance {
  const app = Fastify({
    loggerInstance: logger,
    bodyLimit,
    requestIdHeader: 'x-request-id',
    genReqId: () => randomUUID(),
    // One access line per request comes from the onResponse hook below instead.
    logController: new LogController({
      requestIdLogLabel: 'requestId',
      disableRequestLogging: true,
    }),
    return503OnClosing: true,
  }) as unknown as FastifyInstance;

  // Clients send JSON; anything else would reach handlers as a string and confuse validation.
  app.removeContentTypeParser('text/plain');

  // First: the rest of the request runs in its trace context (see followRequestTrace).
  app.addHook('onRequest', followRequestTrace);
  // Callback hooks, not async ones: every request runs them, and an async hook costs a
  // promise and a microtask each.
  app.addHook('onRequest', (request, reply, done) => {
    reply.header('x-request-id', request.id);
    done();
  });
  app.addHook('onResponse', (request, reply, done) => {
    // The app's logger decides: request loggers are its children, at its level.
    if (logger.isLevelEnabled('info')) {
      request.log.info(
        {
          method: request.method,
          url: request.url,
          status: reply.statusCode,
          ms: Math.round(reply.elapsedTime),
        },
        'request',
      );
    }
    done();
  });

  app.setErrorHandler((err: FastifyError, request, reply) => {
    if (err instanceof AppError) {
      return reply.code(err.status).send({ error: err.message });
    }
    const status = err.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      // A route may set a smaller limit than the app's (the gateway's admin API does).
      const limit = request.routeOptions.bodyLimit ?? bodyLimit;
      return reply.code(status).send({ error: describeFrameworkError(err, limit) });
    }
    request.log.error({ err }, 'request failed');
    return reply.code(500).send({ error: 'internal error' });
  });

  app.setNotFoundHandler((request, reply) => {
    reply.code(404).send({ error: `no route for ${request.method} ${request.url.split('?')[0]}` });
  });

  return app;
}
