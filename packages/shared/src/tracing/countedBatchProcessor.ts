import { TraceFlags } from '@opentelemetry/api';
import type { Context } from '@opentelemetry/api';
import { ExportResultCode } from '@opentelemetry/core';
import type { ExportResult } from '@opentelemetry/core';
import { BatchSpanProcessor } from '@opentelemetry/sdk-trace-node';
import type {
  BufferConfig,
  ReadableSpan,
  Span,
  SpanExporter,
  SpanProcessor,
} from '@opentelemetry/sdk-trace-node';

/** What became of the sampled spans this process ended. */
export interface SpanExportCounts {
  /** Accepted by the tracing backend. */
  exported: number;
  /** Dropped at once: the export queue was full (the backend is slow or down). */
  droppedQueueFull: number;
  /** Handed to the backend, which refused them or could not be reached. */
  droppedExportFailed: number;
}

/**
 * The SDK's BatchSpanProcessor (bounded queue, export off the request path), with every span
 * accounted for: the SDK only logs drops, and an operator needs them as numbers (metrics, logs)
 * to tell "no traces because nothing happened" from "no traces because Zipkin is down".
 */
export class CountedBatchProcessor implements SpanProcessor {
  private readonly batch: BatchSpanProcessor;
  private readonly maxQueueSize: number;
  private readonly counts: SpanExportCounts = {
    exported: 0,
    droppedQueueFull: 0,
    droppedExportFailed: 0,
  };
  /** Spans given to the batch processor and not yet handed to the exporter: its queue. */
  private queued = 0;

  constructor(exporter: SpanExporter, config: Required<BufferConfig>) {
    this.maxQueueSize = config.maxQueueSize;
    this.batch = new BatchSpanProcessor(this.counting(exporter), config);
  }

  snapshot(): SpanExportCounts {
    return { ...this.counts };
  }

  onStart(span: Span, parentContext: Context): void {
    this.batch.onStart(span, parentContext);
  }

  onEnd(span: ReadableSpan): void {
    if ((span.spanContext().traceFlags & TraceFlags.SAMPLED) === 0) return;
    // The batch processor would drop it silently; we drop it the same way, counted.
    if (this.queued >= this.maxQueueSize) {
      this.counts.droppedQueueFull += 1;
      return;
    }
    this.queued += 1;
    this.batch.onEnd(span);
  }

  forceFlush(): Promise<void> {
    return this.batch.forceFlush();
  }

  shutdown(): Promise<void> {
    return this.batch.shutdown();
  }

  private counting(exporter: SpanExporter): SpanExporter {
    return {
      export: (spans: ReadableSpan[], done: (result: ExportResult) => void) => {
        this.queued = Math.max(0, this.queued - spans.length);
        exporter.export(spans, (result) => {
          if (result.code === ExportResultCode.SUCCESS) this.counts.exported += spans.length;
          else this.counts.droppedExportFailed += spans.length;
          done(result);
        });
      },
      shutdown: () => exporter.shutdown(),
      forceFlush: () => exporter.forceFlush?.() ?? Promise.resolve(),
    };
  }
}
