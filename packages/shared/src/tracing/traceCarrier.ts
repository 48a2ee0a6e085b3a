import { context, propagation } from '@opentelemetry/api';

/** W3C trace context as it is stored (outbox row) or carried (Kafka headers). */
export interface TraceCarrier {
  traceparent?: string;
  tracestate?: string;
}

/** The trace context of the work under way (none when tracing is off), to store with a write. */
export function currentTraceCarrier(): TraceCarrier {
  const carrier: TraceCarrier = {};
  propagation.inject(context.active(), carrier, {
    set: (target, key, value) => {
      if (key === 'traceparent' || key === 'tracestate') target[key] = value;
    },
  });
  return carrier;
}
