import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { ROOT_CONTEXT, SpanKind, propagation } from '@opentelemetry/api';
import type { Attributes, Context, Link } from '@opentelemetry/api';
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  ParentBasedSampler,
  SamplingDecision,
  TraceIdRatioBasedSampler,
} from '@opentelemetry/sdk-trace-node';
import type { Sampler, SamplingResult } from '@opentelemetry/sdk-trace-node';
import { carryUnsampledContext } from './requestLifecycle';
import type { SamplerName } from './tracingConfig';

/** W3C trace context, version 00: version-traceid-parentid-flags. */
const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;
const INVALID_TRACE_ID = '0'.repeat(32);
const INVALID_SPAN_ID = '0'.repeat(16);

/** Whether a traceparent header asks for sampling; undefined when it is absent or malformed. */
export function sampledFlagOf(header: string | string[] | undefined): boolean | undefined {
  if (typeof header !== 'string') return undefined;
  const match = TRACEPARENT.exec(header.trim());
  if (!match || match[1] === INVALID_TRACE_ID || match[2] === INVALID_SPAN_ID) return undefined;
  return (Number.parseInt(match[3] as string, 16) & 1) === 1;
}

/** A fresh trace that is not sampled: what an unsampled request carries on to its callees. */
export function unsampledTraceparent(): string {
  const ids = randomBytes(24).toString('hex');
  return `00-${ids.slice(0, 32)}-${ids.slice(32)}-00`;
}

/** An unsampled request gets no server span; its callees still hear "not sampled". */
function carryUnsampled(request: IncomingMessage): false {
  carryUnsampledContext(request, propagation.extract(ROOT_CONTEXT, request.headers));
  return false;
}

/**
 * Server spans without a parent are started only for requests the edge has already admitted,
 * so they are always sampled; any other root (background work) is drawn as configured.
 */
class EdgeRootSampler implements Sampler {
  constructor(private readonly otherRoots: Sampler) {}

  shouldSample(
    context: Context,
    traceId: string,
    spanName: string,
    spanKind: SpanKind,
    attributes: Attributes,
    links: Link[],
  ): SamplingResult {
    if (spanKind === SpanKind.SERVER) return { decision: SamplingDecision.RECORD_AND_SAMPLED };
    return this.otherRoots.shouldSample(context, traceId, spanName, spanKind, attributes, links);
  }

  toString(): string {
    return `EdgeRootSampler{otherRoots=${this.otherRoots.toString()}}`;
  }
}

export interface EdgeSampling {
  /**
   * Decides once, as an HTTP request arrives, whether it is traced: as its traceparent says,
   * or drawn when it has none. An unsampled request gets no server span at all; it carries a
   * traceparent saying "not sampled" on to its callees, so they make no spans either.
   */
  admits(request: IncomingMessage): boolean;
  /** The SDK's sampler to go with it: parent-based, server roots already decided. */
  sampler: Sampler;
}

/** The share of requests without a parent that a parent-based sampler traces. */
function rootRatioOf(name: SamplerName, ratio: number): number | undefined {
  switch (name) {
    case 'parentbased_always_on':
      return 1;
    case 'parentbased_always_off':
      return 0;
    case 'parentbased_traceidratio':
      return ratio;
    default:
      return undefined;
  }
}

/**
 * Sampling decided at the edge, for the parent-based samplers: the decision for a request is
 * made before any instrumentation runs, so an unsampled request costs no span work beyond its
 * propagated header. Undefined for the others (always_on, always_off, traceidratio), which
 * decide per span as the SDK does.
 */
export function createEdgeSampling(
  { name, ratio }: { name: SamplerName; ratio: number },
  random: () => number = Math.random,
): EdgeSampling | undefined {
  const rootRatio = rootRatioOf(name, ratio);
  if (rootRatio === undefined) return undefined;
  const otherRoots =
    rootRatio >= 1
      ? new AlwaysOnSampler()
      : rootRatio <= 0
        ? new AlwaysOffSampler()
        : new TraceIdRatioBasedSampler(rootRatio);
  return {
    sampler: new ParentBasedSampler({ root: new EdgeRootSampler(otherRoots) }),
    admits(request) {
      const { headers } = request;
      const sampled = sampledFlagOf(headers.traceparent);
      if (sampled === true) return true;
      if (sampled === false) return carryUnsampled(request);
      // No usable parent: this service is the edge, and draws.
      delete headers.tracestate;
      if (rootRatio > 0 && random() < rootRatio) {
        delete headers.traceparent;
        return true;
      }
      headers.traceparent = unsampledTraceparent();
      return carryUnsampled(request);
    },
  };
}
