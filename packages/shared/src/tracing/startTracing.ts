import { DiagLogLevel, diag } from '@opentelemetry/api';
import { setGlobalErrorHandler } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { ZipkinExporter } from '@opentelemetry/exporter-zipkin';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import { detectResources, envDetector, resourceFromAttributes } from '@opentelemetry/resources';
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  NodeTracerProvider,
  ParentBasedSampler,
  TraceIdRatioBasedSampler,
} from '@opentelemetry/sdk-trace-node';
import type { Sampler, SpanExporter } from '@opentelemetry/sdk-trace-node';
import { ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from '@opentelemetry/semantic-conventions';
import type { Logger } from '../logger';
import { CountedBatchProcessor } from './countedBatchProcessor';
import { createEdgeSampling } from './edgeSampling';
import { TRACING_OFF, currentTracing, setCurrentTracing } from './currentTracing';
import type { Tracing } from './currentTracing';
import { readTracingConfig } from './tracingConfig';
import type { SamplerName, TraceExporterSettings, TracingConfig } from './tracingConfig';
import { propagateUnsampled } from './unsampledCalls';

export interface StartTracingOptions {
  /** `service.name`, unless OTEL_SERVICE_NAME says otherwise. */
  serviceName: string;
  serviceVersion: string;
  /** SDK warnings, export failures and drops are written here, rate-limited. */
  logger: Logger;
  /** @default process.env */
  env?: NodeJS.ProcessEnv;
}

/** Liveness probes and scrapes would be most of the spans and say nothing. */
const UNTRACED_PATH = /\/(?:health|ready|metrics)(?:\?|$)/;
/** A backend that stays down is reported this often, not once per failed batch. */
const REPORT_EVERY_MS = 30_000;
const SHUTDOWN_TIMEOUT_MS = 5_000;

/**
 * Registers the OpenTelemetry SDK for this process: W3C trace context in and out, server spans
 * for http named after their Fastify route (followRequestTrace), client spans for undici, a span per SQL statement (its text, never
 * its parameters), exported in the background by a bounded queue. Must run before pg and fastify
 * are loaded, which is why each service imports its tracing module first.
 */
export function startTracing(options: StartTracingOptions): Tracing {
  if (currentTracing().enabled) return currentTracing();
  const config = readTracingConfig(options.env ?? process.env, options.serviceName);
  if (!config.enabled) {
    options.logger.info({ reason: config.reason }, 'tracing is off');
    return TRACING_OFF;
  }
  const { logger } = options;
  diag.setLogger(diagToLogger(logger), DiagLogLevel.WARN);

  const processor = new CountedBatchProcessor(createExporter(config.exporter), config.batch);
  // Parent-based samplers decide per request as it arrives, before any instrumentation runs.
  const edge = createEdgeSampling(config.sampler);
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({
      [ATTR_SERVICE_NAME]: config.serviceName,
      [ATTR_SERVICE_VERSION]: options.serviceVersion,
    }).merge(detectResources({ detectors: [envDetector] })),
    sampler: edge?.sampler ?? createSampler(config.sampler),
    spanProcessors: [processor],
  });
  // The default propagators: W3C traceparent/tracestate and baggage.
  provider.register();
  const unregister = registerInstrumentations({
    tracerProvider: provider,
    instrumentations: [
      new HttpInstrumentation({
        // An unsampled request gets no server span; it passes "not sampled" on in traceparent.
        ignoreIncomingRequestHook: (request) =>
          UNTRACED_PATH.test(request.url ?? '') || (edge !== undefined && !edge.admits(request)),
        // Background calls (supergraph polling, health checks) would each be a lone trace.
        requireParentforOutgoingSpans: true,
      }),
      new UndiciInstrumentation({
        requireParentforSpans: true,
        // An unsampled request's calls carry its traceparent, and no client span is built.
        ignoreRequestHook: (request) => propagateUnsampled(request),
      }),
      // Statement text only (no parameter values); no lone spans for the migration dial's
      // re-reads, LISTEN or relay polls, which run outside any request.
      new PgInstrumentation({ enhancedDatabaseReporting: false, requireParentSpan: true }),
    ],
  });
  reportExportFailures(logger, processor, config);
  logger.info(
    {
      serviceName: config.serviceName,
      exporter: config.exporter.kind,
      endpoint: config.exporter.url,
      sampler: config.sampler.name,
      ratio: config.sampler.ratio,
    },
    'tracing on',
  );

  let stopping: Promise<void> | undefined;
  const tracing: Tracing = {
    enabled: true,
    counts: () => processor.snapshot(),
    shutdown() {
      stopping ??= withTimeout(provider.shutdown(), SHUTDOWN_TIMEOUT_MS).finally(unregister);
      return stopping;
    },
  };
  setCurrentTracing(tracing);
  return tracing;
}

function createExporter(settings: TraceExporterSettings): SpanExporter {
  switch (settings.kind) {
    case 'zipkin':
      return new ZipkinExporter({ url: settings.url });
    case 'otlp':
      return new OTLPTraceExporter({ url: settings.url });
  }
}

function createSampler({ name, ratio }: { name: SamplerName; ratio: number }): Sampler {
  switch (name) {
    case 'always_on':
      return new AlwaysOnSampler();
    case 'always_off':
      return new AlwaysOffSampler();
    case 'traceidratio':
      return new TraceIdRatioBasedSampler(ratio);
    case 'parentbased_always_on':
      return new ParentBasedSampler({ root: new AlwaysOnSampler() });
    case 'parentbased_always_off':
      return new ParentBasedSampler({ root: new AlwaysOffSampler() });
    case 'parentbased_traceidratio':
      return new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(ratio) });
  }
}

/**
 * The SDK reports each failed batch through its global error handler; a backend that is down
 * for an hour would write a line every few seconds. One warning per period, with the counts.
 */
function reportExportFailures(
  logger: Logger,
  processor: CountedBatchProcessor,
  config: Extract<TracingConfig, { enabled: true }>,
): void {
  let lastReportAt = 0;
  setGlobalErrorHandler((error) => {
    const now = Date.now();
    if (now - lastReportAt < REPORT_EVERY_MS) return;
    lastReportAt = now;
    const message = error instanceof Error ? error.message : String(error);
    logger.warn(
      { endpoint: config.exporter.url, err: message, ...processor.snapshot() },
      'could not export spans; requests are unaffected, spans are dropped until the tracing backend answers',
    );
  });
}

function diagToLogger(logger: Logger) {
  const write =
    (level: 'error' | 'warn' | 'info' | 'debug') =>
    (message: string, ...args: unknown[]) =>
      logger[level]({ component: 'opentelemetry', args }, message);
  return {
    error: write('error'),
    warn: write('warn'),
    info: write('info'),
    debug: write('debug'),
    verbose: write('debug'),
  };
}

async function withTimeout(work: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    work.catch(() => {}),
    new Promise<void>((resolve) => {
      timer = setTimeout(resolve, ms);
      timer.unref();
    }),
  ]);
  clearTimeout(timer);
}
