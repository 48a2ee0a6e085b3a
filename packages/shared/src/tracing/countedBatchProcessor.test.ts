import { ExportResultCode } from '@opentelemetry/core';
import type { ExportResult } from '@opentelemetry/core';
import { BasicTracerProvider, InMemorySpanExporter } from '@opentelemetry/sdk-trace-node';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-node';
import { CountedBatchProcessor } from './countedBatchProcessor';

const BATCH = {
  maxQueueSize: 3,
  maxExportBatchSize: 3,
  // Exports happen when the test flushes, not on a timer.
  scheduledDelayMillis: 60_000,
  exportTimeoutMillis: 1_000,
};

/** An exporter whose backend is down: every batch fails, as a refused connection does. */
class UnreachableExporter implements SpanExporter {
  batches = 0;
  export(_spans: ReadableSpan[], done: (result: ExportResult) => void): void {
    this.batches += 1;
    done({ code: ExportResultCode.FAILED, error: new Error('connect ECONNREFUSED') });
  }
  async shutdown(): Promise<void> {}
}

/** A backend that takes connections and never answers, until told to. */
class HangingExporter implements SpanExporter {
  pending: ((result: ExportResult) => void)[] = [];
  export(_spans: ReadableSpan[], done: (result: ExportResult) => void): void {
    this.pending.push(done);
  }
  answerAll(): void {
    for (const done of this.pending.splice(0)) done({ code: ExportResultCode.SUCCESS });
  }
  async shutdown(): Promise<void> {}
}

function tracerWith(processor: CountedBatchProcessor) {
  return new BasicTracerProvider({ spanProcessors: [processor] }).getTracer('test');
}

function endSpans(processor: CountedBatchProcessor, count: number) {
  const tracer = tracerWith(processor);
  for (let i = 0; i < count; i += 1) tracer.startSpan(`span ${i}`).end();
}

describe('CountedBatchProcessor', () => {
  it('counts the spans its exporter delivered', async () => {
    const exporter = new InMemorySpanExporter();
    const processor = new CountedBatchProcessor(exporter, BATCH);

    endSpans(processor, 2);
    await processor.forceFlush();

    expect(exporter.getFinishedSpans()).toHaveLength(2);
    expect(processor.snapshot()).toEqual({
      exported: 2,
      droppedQueueFull: 0,
      droppedExportFailed: 0,
    });
  });

  it('counts the spans of a batch the backend did not take', async () => {
    const exporter = new UnreachableExporter();
    const processor = new CountedBatchProcessor(exporter, BATCH);

    endSpans(processor, 2);
    await processor.forceFlush().catch(() => {});

    expect(exporter.batches).toBe(1);
    expect(processor.snapshot()).toEqual({
      exported: 0,
      droppedQueueFull: 0,
      droppedExportFailed: 2,
    });
  });

  it('drops, and counts, what does not fit in the queue while the backend does not answer', async () => {
    const exporter = new HangingExporter();
    const processor = new CountedBatchProcessor(exporter, BATCH);

    // A full batch goes to the exporter at once, which holds it; the next three fill the queue.
    endSpans(processor, 3 + 3 + 2);

    expect(exporter.pending).toHaveLength(1);
    expect(processor.snapshot()).toEqual({
      exported: 0,
      droppedQueueFull: 2,
      droppedExportFailed: 0,
    });
    exporter.answerAll();
  });
});
