import { TRACING_ROUNDS, tracingRounds, tracingEnv } from './tracingCost';

describe('part 1c (what tracing costs)', () => {
  it('takes more rounds than the other parts in a full run, and as many in a quick one', () => {
    expect(tracingRounds(5, false)).toBe(TRACING_ROUNDS);
    expect(TRACING_ROUNDS).toBeGreaterThan(5);
    expect(tracingRounds(15, false)).toBe(15);
    expect(tracingRounds(2, true)).toBe(2);
  });

  it('gives a traced gateway parent-based ratio sampling and the span sink as its exporter', () => {
    expect(tracingEnv(0.01, 'http://127.0.0.1:9/api/v2/spans')).toEqual({
      OTEL_SDK_DISABLED: 'false',
      TRACING: 'on',
      OTEL_EXPORTER_ZIPKIN_ENDPOINT: 'http://127.0.0.1:9/api/v2/spans',
      OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
      OTEL_TRACES_SAMPLER_ARG: '0.01',
    });
  });
});
