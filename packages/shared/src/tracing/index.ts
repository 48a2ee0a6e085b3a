export { currentTracing, startTracing } from './startTracing';
export type { StartTracingOptions, Tracing } from './startTracing';
export { startServiceTracing } from './serviceTracing';
export { readTracingConfig, DEFAULT_ZIPKIN_ENDPOINT, SAMPLER_NAMES } from './tracingConfig';
export type { TracingConfig, TraceExporterSettings } from './tracingConfig';
export type { SpanExportCounts } from './countedBatchProcessor';
export { registerTracingMetrics } from './tracingMetrics';
export { currentTraceCarrier } from './traceCarrier';
export type { TraceCarrier } from './traceCarrier';
