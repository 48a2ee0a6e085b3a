import { TraceFlags, context, isSpanContextValid, propagation, trace } from '@opentelemetry/api';
import type { Context } from '@opentelemetry/api';

/** An outbound undici request as the undici instrumentation hands it to its hooks. */
export interface OutboundRequest {
  addHeader?(name: string, value: string): unknown;
  headers?: string | (string | string[])[];
}

function addHeader(request: OutboundRequest, name: string, value: string): void {
  if (typeof request.addHeader === 'function') request.addHeader(name, value);
  else if (typeof request.headers === 'string') request.headers += `${name}: ${value}\r\n`;
  else if (Array.isArray(request.headers)) request.headers.push(name, value);
}

/**
 * The undici instrumentation's ignoreRequestHook. A call made inside a request the edge did not
 * sample gets no client span, which the instrumentation would build (its URL parsed, its
 * attributes and headers read) only to drop: the call carries the request's trace context
 * (`traceparent …-00`), written here, so the callee follows the edge's decision. Any other call
 * is left to the instrumentation (true: handled here).
 */
export function propagateUnsampled(
  request: OutboundRequest,
  active: Context = context.active(),
): boolean {
  const parent = trace.getSpanContext(active);
  if (!parent || !isSpanContextValid(parent) || parent.traceFlags & TraceFlags.SAMPLED) {
    return false;
  }
  const headers: Record<string, string> = {};
  propagation.inject(active, headers);
  for (const [name, value] of Object.entries(headers)) addHeader(request, name, value);
  return true;
}
