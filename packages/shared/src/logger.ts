import { isSpanContextValid, trace } from '@opentelemetry/api';
import pino from 'pino';
import type { DestinationStream, Logger as PinoLogger } from 'pino';

/** The structured logger every service and helper takes by injection. */
export type Logger = PinoLogger;

export interface CreateLoggerOptions {
  /** Service name stamped on every line. */
  name: string;
  /** @default process.env.LOG_LEVEL ?? 'info' */
  level?: string;
  /** Where lines go; tests pass a memory stream. @default stdout */
  destination?: DestinationStream;
}

/**
 * A line written inside a span names it, so a log line leads to its trace and back. Only the
 * API is read: with tracing off there is no active span and the line is unchanged.
 */
function traceFields(): Record<string, string> {
  const span = trace.getActiveSpan();
  if (!span) return {};
  const context = span.spanContext();
  if (!isSpanContextValid(context)) return {};
  return { trace_id: context.traceId, span_id: context.spanId };
}

/**
 * JSON lines on stdout: one object per event, with the service name, the level label and, inside
 * a span, `trace_id` and `span_id`.
 */
export function createLogger({ name, level, destination }: CreateLoggerOptions): Logger {
  return pino(
    {
      name,
      level: level ?? process.env.LOG_LEVEL ?? 'info',
      formatters: { level: (label) => ({ level: label }) },
      timestamp: pino.stdTimeFunctions.isoTime,
      mixin: traceFields,
    },
    destination,
  );
}

/** A logger that drops everything, for tests that do not look at logs. */
export function createSilentLogger(): Logger {
  return pino({ level: 'silent' });
}
