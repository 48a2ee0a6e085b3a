import type { IncomingMessage } from 'node:http';
import { ROOT_CONTEXT, SpanKind, TraceFlags, trace } from '@opentelemetry/api';
import { SamplingDecision } from '@opentelemetry/sdk-trace-node';
import { createEdgeSampling, sampledFlagOf, unsampledTraceparent } from './edgeSampling';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const SPAN_ID = '00f067aa0ba902b7';
const requestWith = (headers: Record<string, string> = {}) =>
  ({ headers: { ...headers } }) as unknown as IncomingMessage;

describe('sampling decided at the edge', () => {
  it('follows a valid traceparent either way, leaving it as the client sent it', () => {
    const edge = createEdgeSampling({ name: 'parentbased_traceidratio', ratio: 0.01 }, () => 0)!;
    const sampled = requestWith({ traceparent: `00-${TRACE_ID}-${SPAN_ID}-01` });
    const unsampled = requestWith({
      traceparent: `00-${TRACE_ID}-${SPAN_ID}-00`,
      tracestate: 'a=1',
    });

    expect(edge.admits(sampled)).toBe(true);
    expect(edge.admits(unsampled)).toBe(false);
    expect(unsampled.headers).toEqual({
      traceparent: `00-${TRACE_ID}-${SPAN_ID}-00`,
      tracestate: 'a=1',
    });
  });

  it('draws for a request without a parent, and gives an unsampled one a trace marked not sampled to pass on', () => {
    const draws = [0.5, 0.001];
    const edge = createEdgeSampling({ name: 'parentbased_traceidratio', ratio: 0.01 }, () =>
      draws.shift()!,
    )!;
    const first = requestWith({ tracestate: 'vendor=x' });
    const second = requestWith();

    expect(edge.admits(first)).toBe(false);
    expect(sampledFlagOf(first.headers.traceparent)).toBe(false);
    expect(first.headers.tracestate).toBeUndefined();
    expect(edge.admits(second)).toBe(true);
    expect(second.headers.traceparent).toBeUndefined();
  });

  it('treats a malformed or all-zero traceparent as none: drawn, and replaced', () => {
    const edge = createEdgeSampling({ name: 'parentbased_always_off', ratio: 1 })!;
    for (const traceparent of ['garbage', `00-${'0'.repeat(32)}-${SPAN_ID}-01`]) {
      const request = requestWith({ traceparent });
      expect(edge.admits(request)).toBe(false);
      expect(request.headers.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-00$/);
    }
    const always = createEdgeSampling({ name: 'parentbased_always_on', ratio: 0.5 }, () => 0.99)!;
    const request = requestWith({ traceparent: 'garbage' });
    expect(always.admits(request)).toBe(true);
    expect(request.headers.traceparent).toBeUndefined();
  });

  it('samples the server span of an admitted request, never draws twice, and draws other roots as configured', () => {
    const edge = createEdgeSampling({ name: 'parentbased_always_off', ratio: 1 })!;
    const decide = (kind: SpanKind, parentFlags?: TraceFlags) => {
      const context =
        parentFlags === undefined
          ? ROOT_CONTEXT
          : trace.setSpanContext(ROOT_CONTEXT, {
              traceId: TRACE_ID,
              spanId: SPAN_ID,
              traceFlags: parentFlags,
              isRemote: true,
            });
      return edge.sampler.shouldSample(context, TRACE_ID, 'span', kind, {}, []).decision;
    };

    expect(decide(SpanKind.SERVER)).toBe(SamplingDecision.RECORD_AND_SAMPLED);
    expect(decide(SpanKind.INTERNAL)).toBe(SamplingDecision.NOT_RECORD);
    expect(decide(SpanKind.SERVER, TraceFlags.NONE)).toBe(SamplingDecision.NOT_RECORD);
    expect(decide(SpanKind.CLIENT, TraceFlags.SAMPLED)).toBe(SamplingDecision.RECORD_AND_SAMPLED);
  });

  it('is not used for the samplers that decide per span', () => {
    for (const name of ['always_on', 'always_off', 'traceidratio'] as const) {
      expect(createEdgeSampling({ name, ratio: 0.5 })).toBeUndefined();
    }
  });

  it('makes fresh unsampled trace ids', () => {
    const a = unsampledTraceparent();
    expect(sampledFlagOf(a)).toBe(false);
    expect(unsampledTraceparent()).not.toBe(a);
  });
});
