import { ROOT_CONTEXT, TraceFlags, propagation, trace } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { propagateUnsampled } from './unsampledCalls';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const SPAN_ID = '00f067aa0ba902b7';
const inTrace = (traceFlags: TraceFlags) =>
  trace.setSpanContext(ROOT_CONTEXT, { traceId: TRACE_ID, spanId: SPAN_ID, traceFlags });

describe('outbound calls of unsampled requests', () => {
  beforeAll(() => propagation.setGlobalPropagator(new W3CTraceContextPropagator()));
  afterAll(() => propagation.disable());

  it('carry "not sampled" on in traceparent and are kept from the instrumentation', () => {
    const added: [string, string][] = [];
    const request = { addHeader: (name: string, value: string) => added.push([name, value]) };

    expect(propagateUnsampled(request, inTrace(TraceFlags.NONE))).toBe(true);
    expect(added).toEqual([['traceparent', `00-${TRACE_ID}-${SPAN_ID}-00`]]);
  });

  it('write the header into the raw header forms older undici requests have', () => {
    const asString = { headers: 'host: a\r\n' };
    const asList = { headers: ['host', 'a'] };

    propagateUnsampled(asString, inTrace(TraceFlags.NONE));
    propagateUnsampled(asList, inTrace(TraceFlags.NONE));

    expect(asString.headers).toBe(`host: a\r\ntraceparent: 00-${TRACE_ID}-${SPAN_ID}-00\r\n`);
    expect(asList.headers).toEqual(['host', 'a', 'traceparent', `00-${TRACE_ID}-${SPAN_ID}-00`]);
  });

  it('leave sampled calls and calls outside any trace to the instrumentation, untouched', () => {
    for (const active of [inTrace(TraceFlags.SAMPLED), ROOT_CONTEXT]) {
      const request = { headers: [] as string[] };
      expect(propagateUnsampled(request, active)).toBe(false);
      expect(request.headers).toEqual([]);
    }
  });
});
