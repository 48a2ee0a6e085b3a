import { Registry } from 'prom-client';
import type { SpanExportCounts } from './countedBatchProcessor';
import type { Tracing } from './currentTracing';
import { registerTracingMetrics } from './tracingMetrics';

describe('registerTracingMetrics', () => {
  it('exposes the spans exported and dropped so far, by reason, as counters', async () => {
    let counts: SpanExportCounts = { exported: 0, droppedQueueFull: 0, droppedExportFailed: 0 };
    const tracing: Tracing = { enabled: true, counts: () => counts, shutdown: async () => {} };
    const registry = new Registry();
    registerTracingMetrics(registry, () => tracing);

    const first = await registry.metrics();
    counts = { exported: 7, droppedQueueFull: 2, droppedExportFailed: 5 };
    await registry.metrics();
    counts = { exported: 9, droppedQueueFull: 2, droppedExportFailed: 8 };
    const later = await registry.metrics();

    expect(first).toContain('tracing_spans_dropped_total{reason="export_failed"} 0');
    expect(later).toContain('tracing_spans_exported_total 9');
    expect(later).toContain('tracing_spans_dropped_total{reason="queue_full"} 2');
    expect(later).toContain('tracing_spans_dropped_total{reason="export_failed"} 8');
  });
});
