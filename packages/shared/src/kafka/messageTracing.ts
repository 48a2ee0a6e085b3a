import {
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  context,
  propagation,
  trace,
} from '@opentelemetry/api';
import type { Context, Span } from '@opentelemetry/api';
import type { ConsumedRecord } from './eventConsumer';
import type { OutgoingRecord, RecordPosition } from './eventProducer';

export type { TraceCarrier } from '../tracing/traceCarrier';

const tracer = trace.getTracer('@cinemaabyss/shared/kafka');

// Messaging semantic conventions (still incubating upstream, hence the plain names).
const attributesOf = (topic: string, key: string | null, operation: 'send' | 'process') => ({
  'messaging.system': 'kafka',
  'messaging.operation.type': operation,
  'messaging.operation.name': operation,
  'messaging.destination.name': topic,
  ...(key === null ? {} : { 'messaging.kafka.message.key': key }),
});

export interface PublishSpans {
  /** The records with each one's own `traceparent` header, for the consumer to continue. */
  records: OutgoingRecord[];
  /** Ends the spans: where the broker put the records, or why it did not. */
  end(outcome: { positions: RecordPosition[] } | { error: unknown }): void;
}

/**
 * A PRODUCER span per record whose publish continues a trace: the one stored with it (the
 * outbox row's writer), else the work under way. A record caused by no traced work starts no
 * trace here. The span's context goes into the record's headers.
 */
export function startPublishSpans(records: readonly OutgoingRecord[]): PublishSpans {
  const spans: (Span | undefined)[] = [];
  const traced = records.map((record) => {
    const parent: Context = record.traceContext
      ? propagation.extract(ROOT_CONTEXT, record.traceContext)
      : context.active();
    if (!trace.getSpanContext(parent)) {
      spans.push(undefined);
      return record;
    }
    const span = tracer.startSpan(
      `send ${record.topic}`,
      { kind: SpanKind.PRODUCER, attributes: attributesOf(record.topic, record.key, 'send') },
      parent,
    );
    spans.push(span);
    const headers: Record<string, string> = { ...record.headers };
    propagation.inject(trace.setSpan(parent, span), headers);
    return { ...record, headers };
  });
  return {
    records: traced,
    end(outcome) {
      if ('error' in outcome) {
        for (const span of spans) {
          if (!span) continue;
          failed(span, outcome.error);
          span.end();
        }
        return;
      }
      placeRecords(records, outcome.positions, spans);
      for (const span of spans) span?.end();
    },
  };
}

/**
 * The broker reports one base offset per topic-partition written. When a send wrote a topic's
 * records to one partition (a single record, or one key), each record's partition and offset
 * follow; otherwise the span names the topic only.
 */
function placeRecords(
  records: readonly OutgoingRecord[],
  positions: RecordPosition[],
  spans: (Span | undefined)[],
): void {
  const indexInTopic = new Map<string, number>();
  records.forEach((record, i) => {
    const index = indexInTopic.get(record.topic) ?? 0;
    indexInTopic.set(record.topic, index + 1);
    const written = positions.filter((position) => position.topic === record.topic);
    const [only] = written;
    if (written.length !== 1 || !only) return;
    spans[i]?.setAttributes({
      'messaging.destination.partition.id': String(only.partition),
      'messaging.kafka.offset': only.offset + index,
    });
  });
}

/**
 * Runs the handling of a consumed record inside a CONSUMER span whose parent is the context
 * its producer wrote into its headers (a root span for a record that carries none), so the
 * handler's own work (SQL, a dead-letter publish) lands in the producer's trace.
 */
export async function processInSpan<T>(
  record: ConsumedRecord,
  groupId: string,
  handle: () => Promise<T>,
): Promise<T> {
  const parent = propagation.extract(ROOT_CONTEXT, record.headers);
  const span = tracer.startSpan(
    `process ${record.topic}`,
    {
      kind: SpanKind.CONSUMER,
      attributes: {
        ...attributesOf(record.topic, record.key, 'process'),
        'messaging.destination.partition.id': String(record.partition),
        'messaging.kafka.offset': record.offset,
        'messaging.consumer.group.name': groupId,
      },
    },
    parent,
  );
  try {
    return await context.with(trace.setSpan(parent, span), handle);
  } catch (error) {
    failed(span, error);
    throw error;
  } finally {
    span.end();
  }
}

function failed(span: Span, error: unknown): void {
  span.recordException(error instanceof Error ? error : String(error));
  span.setStatus({
    code: SpanStatusCode.ERROR,
    message: error instanceof Error ? error.message : String(error),
  });
}
