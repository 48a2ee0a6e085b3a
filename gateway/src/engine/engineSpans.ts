import { SpanStatusCode, trace } from '@opentelemetry/api';
import type { Span } from '@opentelemetry/api';

/** What the engine's spans carry: the request, its plan, execution, each fetch, post-processing. */
export interface EngineTelemetry {
  /** Put the operation's text on spans (it can carry inline arguments). @default false */
  includeDocument?: boolean;
  /** Record errors as span exceptions. @default false */
  recordExceptions?: boolean;
}

const tracer = trace.getTracer('cinemaabyss-gateway');

export function recordErrors(
  span: Span | undefined,
  errors: readonly Error[],
  telemetry: EngineTelemetry,
): void {
  if (!span) return;
  if (telemetry.recordExceptions) for (const error of errors) span.recordException(error);
  span.setStatus({ code: SpanStatusCode.ERROR });
}

/**
 * Runs `work` in a span of its own only inside a recorded one: an unsampled request (decided at
 * the edge by `@cinemaabyss/shared/tracing`) costs no span work here. The span ends when the
 * work settles; an error thrown is recorded on it.
 */
export function inRecordedSpan<T>(
  name: string,
  telemetry: EngineTelemetry,
  work: (span: Span | undefined) => T,
  attributes?: Record<string, string>,
): T {
  if (!trace.getActiveSpan()?.isRecording()) return work(undefined);
  return tracer.startActiveSpan(name, attributes ? { attributes } : {}, (span) => {
    const failed = (err: unknown) => {
      recordErrors(span, [err as Error], telemetry);
      span.end();
      throw err;
    };
    let result: T;
    try {
      result = work(span);
    } catch (err) {
      return failed(err);
    }
    if (result instanceof Promise) {
      return result.then((value: unknown) => {
        span.end();
        return value;
      }, failed) as T;
    }
    span.end();
    return result;
  });
}
