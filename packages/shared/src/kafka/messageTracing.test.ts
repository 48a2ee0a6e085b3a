import { context, propagation, trace } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import {
  InMemorySpanExporter,
  NodeTracerProvider,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-node';
import { processInSpan, startPublishSpans } from './messageTracing';

const exporter = new InMemorySpanExporter();
const provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
const WRITER = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';

beforeAll(() => provider.register({ propagator: new W3CTraceContextPropagator() }));
afterEach(() => exporter.reset());
afterAll(async () => {
  await provider.shutdown();
  trace.disable();
  context.disable();
  propagation.disable();
});

const record = (key: string, traceparent?: string) => ({
  topic: 'user-events',
  key,
  value: '{}',
  headers: { 'event-id': key },
  ...(traceparent ? { traceContext: { traceparent } } : {}),
});

describe('startPublishSpans', () => {
  it("continues the stored writer's trace, one span per record, and hands its context on in the headers", () => {
    const publish = startPublishSpans([record('1', WRITER), record('2', WRITER)]);
    publish.end({ positions: [{ topic: 'user-events', partition: 2, offset: 40 }] });

    const spans = exporter.getFinishedSpans();
    expect(spans).toHaveLength(2);
    for (const [i, span] of spans.entries()) {
      expect(span.spanContext().traceId).toBe('0af7651916cd43dd8448eb211c80319c');
      expect(span.parentSpanContext?.spanId).toBe('b7ad6b7169203331');
      expect(span.attributes).toMatchObject({
        'messaging.system': 'kafka',
        'messaging.destination.name': 'user-events',
        'messaging.destination.partition.id': '2',
        'messaging.kafka.offset': 40 + i,
      });
      expect(publish.records[i]?.headers).toEqual({
        'event-id': String(i + 1),
        traceparent: `00-0af7651916cd43dd8448eb211c80319c-${span.spanContext().spanId}-01`,
      });
    }
  });

  it('names no partition or offset when a send wrote a topic to several partitions', () => {
    const publish = startPublishSpans([record('1', WRITER), record('2', WRITER)]);
    publish.end({
      positions: [
        { topic: 'user-events', partition: 0, offset: 7 },
        { topic: 'user-events', partition: 1, offset: 3 },
      ],
    });

    for (const span of exporter.getFinishedSpans()) {
      expect(span.attributes).not.toHaveProperty('messaging.destination.partition.id');
      expect(span.attributes).not.toHaveProperty('messaging.kafka.offset');
    }
  });

  it('starts no trace for a record no traced work caused, and leaves its headers alone', () => {
    const publish = startPublishSpans([record('1')]);
    publish.end({ positions: [] });

    expect(exporter.getFinishedSpans()).toEqual([]);
    expect(publish.records[0]?.headers).toEqual({ 'event-id': '1' });
  });

  it('marks the spans of a failed send as errors with the exception', () => {
    const publish = startPublishSpans([record('1', WRITER)]);
    publish.end({ error: new Error('Kafka refused the records') });

    const [span] = exporter.getFinishedSpans();
    expect(span?.status).toEqual({ code: 2, message: 'Kafka refused the records' });
    expect(span?.events.map((event) => event.name)).toEqual(['exception']);
  });
});

describe('processInSpan', () => {
  const consumed = (headers: Record<string, string>) => ({
    topic: 'user-events',
    partition: 1,
    offset: 12,
    key: '7',
    value: null,
    headers,
    timestamp: 0,
  });

  it("runs the handler inside a consumer span whose parent is the producer's, from the headers", async () => {
    const activeInside = await processInSpan(consumed({ traceparent: WRITER }), 'group', async () =>
      trace.getActiveSpan()?.spanContext(),
    );

    const [span] = exporter.getFinishedSpans();
    expect(span?.name).toBe('process user-events');
    expect(span?.parentSpanContext?.spanId).toBe('b7ad6b7169203331');
    expect(activeInside?.spanId).toBe(span?.spanContext().spanId);
    expect(span?.attributes).toMatchObject({
      'messaging.consumer.group.name': 'group',
      'messaging.kafka.offset': 12,
      'messaging.destination.partition.id': '1',
    });
  });

  it('starts a trace for a record that carries none, and marks a failed handling', async () => {
    await expect(
      processInSpan(consumed({}), 'group', async () => {
        throw new Error('handler failed');
      }),
    ).rejects.toThrow('handler failed');

    const [span] = exporter.getFinishedSpans();
    expect(span?.parentSpanContext).toBeUndefined();
    expect(span?.status.code).toBe(2);
  });
});
