import { ConfigError, readBoolean, readHttpUrl, readInteger } from '../config';

type Env = Readonly<Record<string, string | undefined>>;

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

/**
 * Reads the standard OTEL_* variables (and our TRACING=off) once, refusing malformed values by
 * name, as every other setting of the platform: the SDK itself would log and carry on with a
 * default, which hides a typo in a sampler ratio until someone wonders where the traces went.
 */
export function readTracingConfig(env: Env, serviceName: string): TracingConfig {
  const tracing = env.TRACING?.trim().toLowerCase();
  if (
    tracing !== undefined &&
    tracing !== '' &&
    !['on', 'off', 'true', 'false'].includes(tracing)
  ) {
    throw new ConfigError(`TRACING must be on or off, got "${env.TRACING}"`);
  }
  if (tracing === 'off' || tracing === 'false') return { enabled: false, reason: 'TRACING=off' };
  if (readBoolean(env, 'OTEL_SDK_DISABLED', false)) {
    return { enabled: false, reason: 'OTEL_SDK_DISABLED=true' };
  }
  const exporter = readExporter(env);
  if (exporter === 'none') return { enabled: false, reason: 'OTEL_TRACES_EXPORTER=none' };

  return {
    enabled: true,
    serviceName: env.OTEL_SERVICE_NAME?.trim() || serviceName,
    exporter,
    sampler: readSampler(env),
    batch: {
      maxQueueSize: readInteger(env, 'OTEL_BSP_MAX_QUEUE_SIZE', 2048, { min: 1, max: 1_000_000 }),
      maxExportBatchSize: readInteger(env, 'OTEL_BSP_MAX_EXPORT_BATCH_SIZE', 512, {
        min: 1,
        max: 1_000_000,
      }),
      scheduledDelayMillis: readInteger(env, 'OTEL_BSP_SCHEDULE_DELAY', 5000, {
        min: 1,
        max: 3_600_000,
      }),
      exportTimeoutMillis: readInteger(env, 'OTEL_BSP_EXPORT_TIMEOUT', 30_000, {
        min: 1,
        max: 3_600_000,
      }),
    },
  };
}

function readExporter(env: Env): TraceExporterSettings | 'none' {
  const otlpTraces = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?.trim();
  const otlpBase = env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim();
  const named = env.OTEL_TRACES_EXPORTER?.trim().toLowerCase();
  // Unset: OTLP when an OTLP endpoint is given, else Zipkin (the local backend).
  const kind = named || (otlpTraces || otlpBase ? 'otlp' : 'zipkin');
  switch (kind) {
    case 'none':
      return 'none';
    case 'zipkin':
      return {
        kind: 'zipkin',
        url: readHttpUrl(env, 'OTEL_EXPORTER_ZIPKIN_ENDPOINT', DEFAULT_ZIPKIN_ENDPOINT),
      };
    case 'otlp': {
      const protocol =
        env.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL?.trim() || env.OTEL_EXPORTER_OTLP_PROTOCOL?.trim();
      if (protocol && protocol !== 'http/json') {
        throw new ConfigError(
          `OTEL_EXPORTER_OTLP_PROTOCOL must be http/json (the OTLP exporter the services carry), got "${protocol}"`,
        );
      }
      // The spec: a signal-specific endpoint is used as is, the base one gains /v1/traces.
      const url = otlpTraces
        ? readHttpUrl(env, 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT', otlpTraces)
        : `${readHttpUrl(env, 'OTEL_EXPORTER_OTLP_ENDPOINT', 'http://localhost:4318')}/v1/traces`;
      return { kind: 'otlp', url };
    }
    default:
      throw new ConfigError(
        `OTEL_TRACES_EXPORTER must be zipkin, otlp or none, got "${env.OTEL_TRACES_EXPORTER}"`,
      );
  }
}

function readSampler(env: Env): { name: SamplerName; ratio: number } {
  const raw = env.OTEL_TRACES_SAMPLER?.trim().toLowerCase() || 'parentbased_always_on';
  if (!(SAMPLER_NAMES as readonly string[]).includes(raw)) {
    throw new ConfigError(
      `OTEL_TRACES_SAMPLER must be one of ${SAMPLER_NAMES.join(', ')}, got "${env.OTEL_TRACES_SAMPLER}"`,
    );
  }
  const name = raw as SamplerName;
  const arg = env.OTEL_TRACES_SAMPLER_ARG?.trim();
  if (!name.endsWith('traceidratio') || arg === undefined || arg === '') return { name, ratio: 1 };
  const ratio = Number(arg);
  if (!/^\d*\.?\d+(?:e-?\d+)?$/i.test(arg) || !(ratio >= 0 && ratio <= 1)) {
    throw new ConfigError(`OTEL_TRACES_SAMPLER_ARG must be a ratio from 0 to 1, got "${arg}"`);
  }
  return { name, ratio };
}
