import { ensureTracingBackend } from './tracingBackend';

// Each case is decided before anything would be downloaded or started: none starts a JVM.
describe('ensureTracingBackend', () => {
  it.each([
    [{ TRACING: 'off' }, 'tracing is off (TRACING=off)'],
    [{ OTEL_SDK_DISABLED: 'true' }, 'tracing is off (OTEL_SDK_DISABLED=true)'],
    [{ OTEL_TRACES_EXPORTER: 'none' }, 'tracing is off (OTEL_TRACES_EXPORTER=none)'],
  ])('starts no Zipkin when tracing is off: %p', async (env, description) => {
    const backend = await ensureTracingBackend({ env });
    expect(backend).toEqual({ serviceEnv: {}, description });
  });

  it.each([
    [
      { OTEL_EXPORTER_ZIPKIN_ENDPOINT: 'http://zipkin.internal:9411/api/v2/spans' },
      'zipkin.internal',
    ],
    [{ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' }, 'collector:4318/v1/traces'],
    [{ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://collector:4318/v1/traces' }, 'collector'],
  ])('starts no Zipkin when spans already have a backend: %p', async (env, named) => {
    const backend = await ensureTracingBackend({ env });
    expect(backend.zipkin).toBeUndefined();
    expect(backend.serviceEnv).toEqual({});
    expect(backend.description).toContain(named);
  });

  it('refuses a malformed variable as the services would, naming it', async () => {
    await expect(
      ensureTracingBackend({ env: { OTEL_TRACES_SAMPLER: 'sometimes' } }),
    ).rejects.toThrow(/OTEL_TRACES_SAMPLER must be one of/);
  });

  it('runs the services untraced, with a warning, when the local Zipkin cannot start', async () => {
    const warnings: string[] = [];
    const logger = { warn: (_fields: unknown, message: string) => warnings.push(message) };
    // No java or mvn on this PATH.
    const backend = await ensureTracingBackend({
      env: { PATH: '/nonexistent' },
      logger: logger as never,
    });
    expect(backend).toEqual({
      serviceEnv: { TRACING: 'off' },
      description: 'tracing is off (no local Zipkin)',
    });
    expect(warnings).toEqual(['could not start a local Zipkin; the services run without tracing']);
  });
});
