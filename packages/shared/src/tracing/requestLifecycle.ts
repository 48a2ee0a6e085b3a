import type { IncomingMessage } from 'node:http';
import { context } from '@opentelemetry/api';
import type { Context } from '@opentelemetry/api';
import { RPCType, getRPCMetadata } from '@opentelemetry/core';
import type { onRequestHookHandler } from 'fastify';

const UNSAMPLED_CONTEXT = Symbol('cinemaabyss.unsampledTraceContext');

type MarkedRequest = IncomingMessage & { [UNSAMPLED_CONTEXT]?: Context };

/**
 * Marks a request that gets no server span with the trace context its callees must hear (its
 * trace id, "not sampled"). The http instrumentation runs an ignored request with tracing
 * suppressed; followRequestTrace swaps this context in for the rest of its lifecycle.
 */
export function carryUnsampledContext(request: IncomingMessage, unsampled: Context): void {
  (request as MarkedRequest)[UNSAMPLED_CONTEXT] = unsampled;
}

/**
 * The first onRequest hook of every service's HTTP app. A traced request's server span is
 * named after its route (`POST /graphql`), as the http instrumentation reads it at the end; an
 * unsampled one runs the rest of its lifecycle in the context that carries "not sampled" on.
 * With tracing off it costs one property read and one context lookup.
 */
export const followRequestTrace: onRequestHookHandler = (request, _reply, done) => {
  const unsampled = (request.raw as MarkedRequest)[UNSAMPLED_CONTEXT];
  if (unsampled) {
    context.with(unsampled, done);
    return;
  }
  const rpc = getRPCMetadata(context.active());
  if (rpc?.type === RPCType.HTTP && request.routeOptions.url) rpc.route = request.routeOptions.url;
  done();
};
