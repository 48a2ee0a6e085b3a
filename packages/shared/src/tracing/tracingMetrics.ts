import { Counter } from 'prom-client';
import type { Registry } from 'prom-client';
import { currentTracing } from './currentTracing';
import type { Tracing } from './currentTracing';

/**
 * What became of this process's spans, as Prometheus counters read from the tracing setup at
 * scrape time: a tracing backend that is down shows as dropped spans rising, not as silence.
 */
export function registerTracingMetrics(
  registry: Registry,
  tracing: () => Tracing = currentTracing,
): void {
  let reported = { exported: 0, droppedQueueFull: 0, droppedExportFailed: 0 };
  const advance = (): void => {
    const counts = tracing().counts();
    exported.inc(Math.max(0, counts.exported - reported.exported));
    dropped.inc(
      { reason: 'queue_full' },
      Math.max(0, counts.droppedQueueFull - reported.droppedQueueFull),
    );
    dropped.inc(
      { reason: 'export_failed' },
      Math.max(0, counts.droppedExportFailed - reported.droppedExportFailed),
    );
    reported = counts;
  };
  const exported = new Counter({
    name: 'tracing_spans_exported_total',
    help: 'Spans the tracing backend accepted',
    registers: [registry],
    collect: advance,
  });
  const dropped = new Counter({
    name: 'tracing_spans_dropped_total',
    help: 'Spans dropped: the export queue was full (queue_full) or the backend refused or could not be reached (export_failed)',
    labelNames: ['reason'] as const,
    registers: [registry],
  });
  // Both series show from the first scrape, at zero.
  dropped.inc({ reason: 'queue_full' }, 0);
  dropped.inc({ reason: 'export_failed' }, 0);
}
