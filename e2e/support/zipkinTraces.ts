import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';

/** A span as Zipkin's API v2 returns it. */
export interface ZipkinSpan {
  traceId: string;
  id: string;
  parentId?: string;
  name: string;
  kind?: 'SERVER' | 'CLIENT' | 'PRODUCER' | 'CONSUMER';
  localEndpoint: { serviceName: string };
  tags?: Record<string, string>;
  annotations?: { timestamp: number; value: string }[];
}

/** A fresh W3C trace context, as a client that traces its own calls would send. */
export function newTraceContext(): { traceId: string; parentSpanId: string; traceparent: string } {
  const traceId = randomBytes(16).toString('hex');
  const parentSpanId = randomBytes(8).toString('hex');
  return { traceId, parentSpanId, traceparent: `00-${traceId}-${parentSpanId}-01` };
}

/** A trace as the test's client started it: the id, and the span id the gateway continues. */
export interface ClientTrace {
  traceId: string;
  parentSpanId: string;
}

/**
 * True when the spans form one tree hanging off the client's span: every span's parent has
 * arrived. A parent ends after its children, so its batch can reach Zipkin after theirs (the
 * gateway's request span after the consumer's, once Kafka is quick); until then the trace is
 * not whole, even when every service has already written into it.
 */
export function isWholeTrace(spans: ZipkinSpan[], clientSpanId: string): boolean {
  const ids = new Set(spans.map((span) => span.id));
  return (
    spans.some((span) => span.parentId === clientSpanId) &&
    spans.every((span) => span.parentId === clientSpanId || ids.has(span.parentId ?? ''))
  );
}

/**
 * Polls Zipkin's `/api/v2/trace/{traceId}` until the trace is whole and satisfies `complete`
 * (spans arrive in batches from five processes), failing with what did arrive after the timeout.
 */
export async function waitForTrace(
  zipkinUrl: string,
  trace: ClientTrace,
  complete: (spans: ZipkinSpan[]) => boolean,
  timeoutMs = 20_000,
): Promise<ZipkinSpan[]> {
  const deadline = Date.now() + timeoutMs;
  let spans: ZipkinSpan[] = [];
  for (;;) {
    const response = await fetch(`${zipkinUrl}/api/v2/trace/${trace.traceId}`, {
      signal: AbortSignal.timeout(2_000),
    });
    if (response.ok) spans = (await response.json()) as ZipkinSpan[];
    if (isWholeTrace(spans, trace.parentSpanId) && complete(spans)) return spans;
    if (Date.now() > deadline) {
      throw new Error(
        `trace ${trace.traceId} incomplete after ${timeoutMs} ms; it has:\n${spans
          .map(
            (span) =>
              `${span.localEndpoint.serviceName} ${span.kind ?? ''} ${span.name} ${span.id} ← ${span.parentId ?? '-'}`,
          )
          .join('\n')}`,
      );
    }
    await sleep(250);
  }
}

/** The services that wrote spans into a trace. */
export function servicesOf(spans: ZipkinSpan[]): Set<string> {
  return new Set(spans.map((span) => span.localEndpoint.serviceName));
}

/** The span whose id is the given span's parent, if it is in the trace. */
export function parentOf(spans: ZipkinSpan[], span: ZipkinSpan): ZipkinSpan | undefined {
  return spans.find((candidate) => candidate.id === span.parentId);
}

/** True when `ancestor` is on the path from `span` up to the root. */
export function descendsFrom(spans: ZipkinSpan[], span: ZipkinSpan, ancestor: ZipkinSpan): boolean {
  for (let at = parentOf(spans, span); at; at = parentOf(spans, at)) {
    if (at.id === ancestor.id) return true;
  }
  return false;
}

/** The server span a service opened for a request it received. */
export const isServer = (service: string) => (span: ZipkinSpan) =>
  span.kind === 'SERVER' && span.localEndpoint.serviceName === service;
/** A span of one SQL statement (the pg instrumentation's). */
export const isSql = (span: ZipkinSpan) => span.name.startsWith('pg.query');
export const statementOf = (span: ZipkinSpan) =>
  span.tags?.['db.statement'] ?? span.tags?.['db.query.text'] ?? '';
/** The exporter writes the span status as otel.status_code (and `error` only with a message). */
export const isError = (span: ZipkinSpan) => span.tags?.['otel.status_code'] === 'ERROR';
export const recordedException = (span: ZipkinSpan) =>
  (span.annotations ?? []).some((annotation) => annotation.value.includes('exception'));

/** The one span of the trace that matches; the test fails when there are none or several. */
export function only(spans: ZipkinSpan[], predicate: (span: ZipkinSpan) => boolean): ZipkinSpan {
  const found = spans.filter(predicate);
  expect(found).toHaveLength(1);
  return found[0] as ZipkinSpan;
}
