import type { SpanExportCounts } from './countedBatchProcessor';

/** This process's tracing, as the rest of the service sees it. */
export interface Tracing {
  readonly enabled: boolean;
  /** Spans exported and dropped so far (all zero when tracing is off). */
  counts(): SpanExportCounts;
  /** Exports what is queued (bounded) and stops; safe to call twice. */
  shutdown(): Promise<void>;
}

/** What a process that started no tracing has. */
export const TRACING_OFF: Tracing = {
  enabled: false,
  counts: () => ({ exported: 0, droppedQueueFull: 0, droppedExportFailed: 0 }),
  shutdown: async () => {},
};

// Tracing is process-wide (OpenTelemetry's global provider), so is its handle. Kept apart from
// the SDK setup, so that reading it (runService, metrics) loads no SDK.
let current: Tracing = TRACING_OFF;

/** The tracing this process started (off when none was). */
export function currentTracing(): Tracing {
  return current;
}

export function setCurrentTracing(tracing: Tracing): void {
  current = tracing;
}
