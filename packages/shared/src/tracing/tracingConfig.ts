import { ConfigError, boolean, httpUrl, integer, oneOf, parseEnv, ratio, text } from '../config';
import type { Env } from '../config';

/** The OpenTelemetry sampler names (OTEL_TRACES_SAMPLER) this platform runs. */
export const SAMPLER_NAMES = [
  'always_on',
  'always_off',
  'traceidratio',
  'parentbased_always_on',
  'parentbased_always_off',
  'parentbased_traceidratio',
] as const;
export type SamplerName = (typeof SAMPLER_NAMES)[number];

/** Where spans go: Zipkin's JSON v2 API or an OTLP/HTTP (JSON) collector. */
export type TraceExporterSettings = { kind: 'zipkin'; url: string } | { kind: 'otlp'; url: string };

export type TracingConfig =
  | { enabled: false; reason: string }
  | {
      enabled: true;
      /** OTEL_SERVICE_NAME wins over the service's own name, as the spec says. */
      serviceName: string;
      exporter: TraceExporterSettings;
      sampler: { name: SamplerName; ratio: number };
      batch: {
        /** Spans held for export; further ones are dropped (and counted). */
        maxQueueSize: number;
        maxExportBatchSize: number;
        scheduledDelayMillis: number;
        exportTimeoutMillis: number;
      };
    };

/** The spec's default for OTEL_EXPORTER_ZIPKIN_ENDPOINT. */
export const DEFAULT_ZIPKIN_ENDPOINT = 'http://localhost:9411/api/v2/spans';

const SWITCH_ENV = { TRACING: oneOf(['on', 'off', 'true', 'false'], { expected: 'on or off' }) };
const SDK_ENV = { OTEL_SDK_DISABLED: boolean(false) };
const EXPORTER_ENV = {
  OTEL_TRACES_EXPORTER: oneOf(['zipkin', 'otlp', 'none'], { expected: 'zipkin, otlp or none' }),
  // Checked as URLs only when they are used, below.
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: text(),
  OTEL_EXPORTER_OTLP_ENDPOINT: text(),
  OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: text(),
  OTEL_EXPORTER_OTLP_PROTOCOL: text(),
};
const ZIPKIN_ENV = { OTEL_EXPORTER_ZIPKIN_ENDPOINT: httpUrl(DEFAULT_ZIPKIN_ENDPOINT) };
// The spec's defaults: a signal-specific endpoint is used as is, the base one gains /v1/traces.
const OTLP_TRACES_ENV = {
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: httpUrl('http://localhost:4318/v1/traces'),
};
const OTLP_BASE_ENV = { OTEL_EXPORTER_OTLP_ENDPOINT: httpUrl('http://localhost:4318') };
const SAMPLER_ENV = {
  OTEL_TRACES_SAMPLER: oneOf(SAMPLER_NAMES, {
    expected: `one of ${SAMPLER_NAMES.join(', ')}`,
    fallback: 'parentbased_always_on',
  }),
};
const SAMPLER_ARG_ENV = { OTEL_TRACES_SAMPLER_ARG: ratio(1) };
const SETTINGS_ENV = {
  OTEL_SERVICE_NAME: text(),
  OTEL_BSP_MAX_QUEUE_SIZE: integer(2048, { min: 1, max: 1_000_000 }),
  OTEL_BSP_MAX_EXPORT_BATCH_SIZE: integer(512, { min: 1, max: 1_000_000 }),
  OTEL_BSP_SCHEDULE_DELAY: integer(5000, { min: 1, max: 3_600_000 }),
  OTEL_BSP_EXPORT_TIMEOUT: integer(30_000, { min: 1, max: 3_600_000 }),
};

/**
 * Reads the standard OTEL_* variables (and our TRACING=off) once, refusing malformed values by
 * name, as every other setting of the platform: the SDK itself would log and carry on with a
 * default, which hides a typo in a sampler ratio until someone wonders where the traces went.
 * A variable is read only when it matters: with tracing off, the OTEL_* ones are left alone.
 */
export function readTracingConfig(env: Env, serviceName: string): TracingConfig {
  const { TRACING } = parseEnv(SWITCH_ENV, env);
  if (TRACING === 'off' || TRACING === 'false') return { enabled: false, reason: 'TRACING=off' };
  if (parseEnv(SDK_ENV, env).OTEL_SDK_DISABLED) {
    return { enabled: false, reason: 'OTEL_SDK_DISABLED=true' };
  }
  const exporter = readExporter(env);
  if (exporter === 'none') return { enabled: false, reason: 'OTEL_TRACES_EXPORTER=none' };

  const sampler = readSampler(env);
  const settings = parseEnv(SETTINGS_ENV, env);
  return {
    enabled: true,
    serviceName: settings.OTEL_SERVICE_NAME ?? serviceName,
    exporter,
    sampler,
    batch: {
      maxQueueSize: settings.OTEL_BSP_MAX_QUEUE_SIZE,
      maxExportBatchSize: settings.OTEL_BSP_MAX_EXPORT_BATCH_SIZE,
      scheduledDelayMillis: settings.OTEL_BSP_SCHEDULE_DELAY,
      exportTimeoutMillis: settings.OTEL_BSP_EXPORT_TIMEOUT,
    },
  };
}

function readExporter(env: Env): TraceExporterSettings | 'none' {
  const exporter = parseEnv(EXPORTER_ENV, env);
  const otlpTraces = exporter.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT;
  // Unset: OTLP when an OTLP endpoint is given, else Zipkin (the local backend).
  const kind =
    exporter.OTEL_TRACES_EXPORTER ??
    (otlpTraces || exporter.OTEL_EXPORTER_OTLP_ENDPOINT ? 'otlp' : 'zipkin');
  switch (kind) {
    case 'none':
      return 'none';
    case 'zipkin':
      return { kind: 'zipkin', url: parseEnv(ZIPKIN_ENV, env).OTEL_EXPORTER_ZIPKIN_ENDPOINT };
    case 'otlp': {
      const protocol =
        exporter.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL ?? exporter.OTEL_EXPORTER_OTLP_PROTOCOL;
      if (protocol && protocol !== 'http/json') {
        throw new ConfigError(
          `OTEL_EXPORTER_OTLP_PROTOCOL must be http/json (the OTLP exporter the services carry), got "${protocol}"`,
        );
      }
      const url = otlpTraces
        ? parseEnv(OTLP_TRACES_ENV, env).OTEL_EXPORTER_OTLP_TRACES_ENDPOINT
        : `${parseEnv(OTLP_BASE_ENV, env).OTEL_EXPORTER_OTLP_ENDPOINT}/v1/traces`;
      return { kind: 'otlp', url };
    }
  }
}

function readSampler(env: Env): { name: SamplerName; ratio: number } {
  const name = parseEnv(SAMPLER_ENV, env).OTEL_TRACES_SAMPLER;
  // Only the ratio samplers read OTEL_TRACES_SAMPLER_ARG.
  if (!name.endsWith('traceidratio')) return { name, ratio: 1 };
  return { name, ratio: parseEnv(SAMPLER_ARG_ENV, env).OTEL_TRACES_SAMPLER_ARG };
}
