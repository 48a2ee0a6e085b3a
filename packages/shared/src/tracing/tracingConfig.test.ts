import { ConfigError } from '../config';
import { DEFAULT_ZIPKIN_ENDPOINT, readTracingConfig } from './tracingConfig';

const read = (env: Record<string, string>) => readTracingConfig(env, 'gateway');

describe('readTracingConfig', () => {
  it('by default traces everything a parent does not say otherwise, to the local Zipkin', () => {
    expect(read({})).toEqual({
      enabled: true,
      serviceName: 'gateway',
      exporter: { kind: 'zipkin', url: DEFAULT_ZIPKIN_ENDPOINT },
      sampler: { name: 'parentbased_always_on', ratio: 1 },
      batch: {
        maxQueueSize: 2048,
        maxExportBatchSize: 512,
        scheduledDelayMillis: 5000,
        exportTimeoutMillis: 30_000,
      },
    });
  });

  it.each([
    [{ TRACING: 'off' }, 'TRACING=off'],
    [{ TRACING: 'FALSE' }, 'TRACING=off'],
    [{ OTEL_SDK_DISABLED: 'true' }, 'OTEL_SDK_DISABLED=true'],
    [{ OTEL_TRACES_EXPORTER: 'none' }, 'OTEL_TRACES_EXPORTER=none'],
  ])('is off with %p', (env, reason) => {
    expect(read(env)).toEqual({ enabled: false, reason });
  });

  it('takes the standard sampler, ratio, service name and Zipkin endpoint', () => {
    const config = read({
      OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
      OTEL_TRACES_SAMPLER_ARG: '0.05',
      OTEL_SERVICE_NAME: 'gateway-eu',
      OTEL_EXPORTER_ZIPKIN_ENDPOINT: 'http://zipkin:9411/api/v2/spans',
      OTEL_BSP_MAX_QUEUE_SIZE: '100',
    });
    expect(config).toMatchObject({
      serviceName: 'gateway-eu',
      exporter: { kind: 'zipkin', url: 'http://zipkin:9411/api/v2/spans' },
      sampler: { name: 'parentbased_traceidratio', ratio: 0.05 },
      batch: { maxQueueSize: 100 },
    });
  });

  it('exports OTLP when an OTLP endpoint is given, adding /v1/traces to the base one only', () => {
    expect(read({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/' })).toMatchObject({
      exporter: { kind: 'otlp', url: 'http://collector:4318/v1/traces' },
    });
    expect(
      read({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://collector:4318/custom/traces' }),
    ).toMatchObject({ exporter: { kind: 'otlp', url: 'http://collector:4318/custom/traces' } });
    expect(read({ OTEL_TRACES_EXPORTER: 'otlp' })).toMatchObject({
      exporter: { kind: 'otlp', url: 'http://localhost:4318/v1/traces' },
    });
  });

  it.each([
    [{ TRACING: 'maybe' }, 'TRACING'],
    [{ OTEL_SDK_DISABLED: 'perhaps' }, 'OTEL_SDK_DISABLED'],
    [{ OTEL_TRACES_EXPORTER: 'jaeger' }, 'OTEL_TRACES_EXPORTER'],
    [{ OTEL_TRACES_SAMPLER: 'sometimes' }, 'OTEL_TRACES_SAMPLER'],
    [
      { OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: '1.5' },
      'OTEL_TRACES_SAMPLER_ARG',
    ],
    [
      { OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: 'half' },
      'OTEL_TRACES_SAMPLER_ARG',
    ],
    [{ OTEL_EXPORTER_ZIPKIN_ENDPOINT: 'zipkin:9411' }, 'OTEL_EXPORTER_ZIPKIN_ENDPOINT'],
    [{ OTEL_EXPORTER_OTLP_ENDPOINT: 'ftp://collector' }, 'OTEL_EXPORTER_OTLP_ENDPOINT'],
    [
      { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4317', OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' },
      'OTEL_EXPORTER_OTLP_PROTOCOL',
    ],
    [{ OTEL_BSP_MAX_QUEUE_SIZE: '0' }, 'OTEL_BSP_MAX_QUEUE_SIZE'],
  ])('refuses %p, naming %s', (env, variable) => {
    expect(() => read(env)).toThrow(ConfigError);
    expect(() => read(env)).toThrow(variable);
  });
});
