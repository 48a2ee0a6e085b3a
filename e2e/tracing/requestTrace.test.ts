import net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { findFreePort, startLocalZipkin } from '@cinemaabyss/local-infra';
import type { LocalZipkin } from '@cinemaabyss/local-infra';
import { startProcessStack } from '../support/processStack';
import type { ProcessStack } from '../support/processStack';
import {
  descendsFrom,
  isError,
  isServer,
  isSql,
  newTraceContext,
  only,
  parentOf,
  recordedException,
  servicesOf,
  statementOf,
  waitForTrace,
} from '../support/zipkinTraces';
import type { ZipkinSpan } from '../support/zipkinTraces';

// Four service processes through their real entry points and the real Zipkin server.
jest.setTimeout(240_000);

const NESTED_QUERY =
  '{ users(limit: 3) { username payments { amount } ratings { score movie { title } } } }';
const REQUEST_SERVICES = ['legacy-monolith', 'movies-service', 'monolith-subgraph', 'gateway'];

let zipkin: LocalZipkin;
let stack: ProcessStack;
/** Accepts connections and never answers: a backend that hangs. */
let hangingBackend: net.Server;
const hangingSockets = new Set<net.Socket>();

beforeAll(async () => {
  zipkin = await startLocalZipkin({ port: 0 });
  const hangingPort = await findFreePort();
  hangingBackend = net.createServer((socket) => {
    hangingSockets.add(socket);
    socket.on('close', () => hangingSockets.delete(socket));
  });
  await new Promise<void>((resolve) => hangingBackend.listen(hangingPort, '127.0.0.1', resolve));
  stack = await startProcessStack({
    services: REQUEST_SERVICES,
    env: {
      OTEL_EXPORTER_ZIPKIN_ENDPOINT: zipkin.spansEndpoint,
      // Spans leave within a tenth of a second, so the test waits for Zipkin, not for batches.
      OTEL_BSP_SCHEDULE_DELAY: '100',
      OTEL_BSP_EXPORT_TIMEOUT: '2000',
    },
    serviceEnv: {
      gateway: {
        EVENTS_SERVICE_URL: `http://127.0.0.1:${hangingPort}`,
        BACKEND_TIMEOUT_MS: '1000',
      },
    },
  });
});

afterAll(async () => {
  await stack?.stop();
  await zipkin?.stop();
  for (const socket of hangingSockets) socket.destroy();
  await new Promise((resolve) => hangingBackend?.close(resolve));
});

/** How many traces Zipkin holds that each service wrote into. */
async function tracesPerService(): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const service of REQUEST_SERVICES) {
    const response = await fetch(
      `${zipkin.url}/api/v2/traces?serviceName=${service}&limit=100000&lookback=86400000`,
      { signal: AbortSignal.timeout(5_000) },
    );
    counts[service] = ((await response.json()) as unknown[]).length;
  }
  return counts;
}

async function graphql(
  query: string,
  traceparent: string,
): Promise<{ data?: unknown; errors?: unknown[] }> {
  const response = await fetch(`${stack.url('gateway')}/graphql`, {
    method: 'POST',
    // Signed in: the nested query asks for payments, which anonymous callers do not get.
    headers: {
      'content-type': 'application/json',
      traceparent,
      ...(await stack.bearer({ scopes: ['payments:read'] })),
    },
    body: JSON.stringify({ query }),
  });
  return (await response.json()) as { data?: unknown; errors?: unknown[] };
}

describe('one trace per request across the services', () => {
  let nested: { traceId: string; spans: ZipkinSpan[] };

  it('a nested query sent with a traceparent is one tree: gateway plan and fetches, both subgraphs, the legacy REST calls and their SQL', async () => {
    const trace = newTraceContext();
    const { traceId, parentSpanId } = trace;

    const result = await graphql(NESTED_QUERY, trace.traceparent);

    expect(result.errors).toBeUndefined();
    const spans = await waitForTrace(
      zipkin.url,
      trace,
      (arrived) =>
        REQUEST_SERVICES.every((service) => servicesOf(arrived).has(service)) &&
        arrived.filter(
          (span) => isSql(span) && span.localEndpoint.serviceName === 'legacy-monolith',
        ).length >= 2 &&
        arrived.some((span) => isSql(span) && span.localEndpoint.serviceName === 'movies-service'),
    );
    nested = { traceId, spans };

    // The gateway continues the client's trace; every other span hangs off one in the trace.
    const root = only(spans, isServer('gateway'));
    expect(root.parentId).toBe(parentSpanId);
    // Named after the Fastify route (followRequestTrace), not the bare method.
    expect(root.name).toBe('post /graphql');
    for (const span of spans.filter((s) => s !== root)) expect(parentOf(spans, span)).toBeDefined();

    // Apollo's own spans: the plan, then a fetch per subgraph call, each over an HTTP client span.
    const plan = only(spans, (span) => span.name === 'gateway.plan');
    expect(descendsFrom(spans, plan, root)).toBe(true);
    const fetches = spans.filter((span) => span.name === 'gateway.fetch');
    expect(fetches.length).toBeGreaterThanOrEqual(2);
    for (const subgraph of ['monolith-subgraph', 'movies-service']) {
      const server = only(spans, isServer(subgraph));
      const client = parentOf(spans, server);
      expect(client).toMatchObject({ kind: 'CLIENT', localEndpoint: { serviceName: 'gateway' } });
      expect(fetches.some((fetchSpan) => descendsFrom(spans, server, fetchSpan))).toBe(true);
    }

    // The monolith subgraph's REST calls, each a server span of the legacy monolith under its
    // client span, each with its SQL below.
    const legacyServers = spans.filter(isServer('legacy-monolith'));
    expect(legacyServers.length).toBeGreaterThanOrEqual(2);
    for (const server of legacyServers) {
      expect(parentOf(spans, server)).toMatchObject({
        kind: 'CLIENT',
        localEndpoint: { serviceName: 'monolith-subgraph' },
      });
      expect(spans.some((span) => isSql(span) && descendsFrom(spans, span, server))).toBe(true);
    }
    const moviesServer = only(spans, isServer('movies-service'));
    expect(spans.some((span) => isSql(span) && descendsFrom(spans, span, moviesServer))).toBe(true);
  });

  it('records SQL statements without their parameter values, and never the operation text', () => {
    const sql = nested.spans.filter(isSql);
    expect(sql.length).toBeGreaterThanOrEqual(3);
    for (const span of sql) {
      expect(statementOf(span)).toMatch(/^SELECT /);
      expect(Object.keys(span.tags ?? {})).not.toContain('db.postgresql.values');
    }
    // The batch lookup is parameterised: its user ids are not in the span.
    const payments = sql.find((span) => statementOf(span).includes('FROM payments'));
    expect(statementOf(payments as ZipkinSpan)).toContain('$1');
    const everything = JSON.stringify(nested.spans);
    expect(everything).not.toContain('payments { amount }');
    expect(everything).not.toContain('graphql.document');
  });

  it('names each service and its version in its spans', () => {
    const root = only(nested.spans, isServer('gateway'));
    expect(root.tags?.['service.version']).toBe('0.1.0');
    expect(servicesOf(nested.spans)).toEqual(new Set(REQUEST_SERVICES));
  });

  it('writes trace_id and span_id on the log lines of the request in every service it crossed', () => {
    for (const service of REQUEST_SERVICES) {
      const accessLines = stack
        .logs(service)
        .filter((line) => line.msg === 'request' && line.trace_id === nested.traceId);
      expect(accessLines.length).toBeGreaterThanOrEqual(1);
      const spanIds = new Set(nested.spans.map((span) => span.id));
      for (const line of accessLines) expect(spanIds.has(line.span_id as string)).toBe(true);
    }
  });

  it('a request its client did not sample makes no span in any service: the decision goes along with it', async () => {
    const before = await tracesPerService();
    const unsampled = newTraceContext();

    const result = await graphql(NESTED_QUERY, unsampled.traceparent.replace(/-01$/, '-00'));

    expect(result.errors).toBeUndefined();
    // Sent after it and sampled: once its spans are all in Zipkin, the first one's would be too.
    const after = newTraceContext();
    await graphql(NESTED_QUERY, after.traceparent);
    await waitForTrace(zipkin.url, after, (arrived) =>
      REQUEST_SERVICES.every((service) => servicesOf(arrived).has(service)),
    );
    const stored = await fetch(`${zipkin.url}/api/v2/trace/${unsampled.traceId}`);
    expect(stored.status).toBe(404);
    // Had a callee not heard "not sampled", it would have started a trace of its own.
    const traces = await tracesPerService();
    for (const service of REQUEST_SERVICES) {
      expect({ service, newTraces: traces[service]! - before[service]! }).toEqual({
        service,
        newTraces: 1,
      });
    }
  });

  it("traces the REST shim's forwarding: the legacy monolith's span is a child of the gateway's call, not of the client's", async () => {
    const trace = newTraceContext();

    const response = await fetch(`${stack.url('gateway')}/api/movies?id=1`, {
      headers: { traceparent: trace.traceparent },
    });

    expect(response.status).toBe(200);
    const spans = await waitForTrace(zipkin.url, trace, (arrived) =>
      arrived.some((span) => isSql(span) && span.localEndpoint.serviceName === 'legacy-monolith'),
    );
    const root = only(spans, isServer('gateway'));
    expect(root.parentId).toBe(trace.parentSpanId);
    const legacy = only(spans, isServer('legacy-monolith'));
    const forward = parentOf(spans, legacy);
    expect(forward).toMatchObject({ kind: 'CLIENT', localEndpoint: { serviceName: 'gateway' } });
    expect(descendsFrom(spans, forward as ZipkinSpan, root)).toBe(true);
  });
});

describe('when the tracing backend is down', () => {
  it('requests still succeed, the services drop and count their spans, and traces arrive again once it is back', async () => {
    const port = Number(new URL(zipkin.url).port);
    await zipkin.stop();

    const statuses: number[] = [];
    for (let i = 0; i < 10; i += 1) {
      const { traceparent } = newTraceContext();
      const rest = await fetch(`${stack.url('gateway')}/api/movies?id=1`, {
        headers: { traceparent },
      });
      statuses.push(rest.status);
      const result = await graphql(NESTED_QUERY, traceparent);
      statuses.push(result.errors === undefined ? 200 : 500);
    }

    expect(statuses.every((status) => status === 200)).toBe(true);
    const dropped = async () => {
      const metrics = await (await fetch(`${stack.url('gateway')}/metrics`)).text();
      return Number(
        /tracing_spans_dropped_total\{reason="export_failed"\} (\d+)/.exec(metrics)?.[1] ?? 0,
      );
    };
    for (let i = 0; i < 50 && (await dropped()) === 0; i += 1) await sleep(200);
    expect(await dropped()).toBeGreaterThan(0);
    expect(stack.logs('gateway')).toContainEqual(
      expect.objectContaining({
        level: 'warn',
        endpoint: `${zipkin.url}/api/v2/spans`,
        msg: expect.stringContaining('could not export spans'),
      }),
    );

    // The same address again: nothing was restarted on the services' side.
    zipkin = await startLocalZipkin({ port });
    const trace = newTraceContext();
    expect(
      (
        await fetch(`${stack.url('gateway')}/api/movies?id=1`, {
          headers: { traceparent: trace.traceparent },
        })
      ).status,
    ).toBe(200);
    await waitForTrace(zipkin.url, trace, (arrived) => servicesOf(arrived).has('legacy-monolith'));
  });
});

describe('failures are marked on their spans', () => {
  it('a backend call that times out marks the client span and the 504 server span as errors, with the exception recorded', async () => {
    const trace = newTraceContext();

    const response = await fetch(`${stack.url('gateway')}/api/events/movie`, {
      headers: { traceparent: trace.traceparent },
    });

    expect(response.status).toBe(504);
    const spans = await waitForTrace(
      zipkin.url,
      trace,
      (arrived) =>
        arrived.some((span) => span.kind === 'CLIENT') && arrived.some(isServer('gateway')),
    );
    const call = only(spans, (span) => span.kind === 'CLIENT');
    expect(isError(call)).toBe(true);
    expect(recordedException(call)).toBe(true);
    expect(isError(only(spans, isServer('gateway')))).toBe(true);
  });

  it("a failed subgraph call (the legacy monolith is gone) marks the REST call, the gateway's request and the 502 of the shim as errors", async () => {
    await stack.stopService('legacy-monolith');
    const graph = newTraceContext();
    const rest = newTraceContext();

    const result = await graphql('{ users { username } }', graph.traceparent);
    const response = await fetch(`${stack.url('gateway')}/api/users?id=1`, {
      headers: { traceparent: rest.traceparent },
    });

    expect(result.errors).toBeDefined();
    expect(response.status).toBe(502);
    const graphSpans = await waitForTrace(zipkin.url, graph, (arrived) =>
      arrived.some(
        (span) => span.kind === 'CLIENT' && span.localEndpoint.serviceName === 'monolith-subgraph',
      ),
    );
    const restCall = only(
      graphSpans,
      (span) => span.kind === 'CLIENT' && span.localEndpoint.serviceName === 'monolith-subgraph',
    );
    expect(isError(restCall)).toBe(true);
    expect(recordedException(restCall)).toBe(true);
    // Apollo's request span in the gateway carries the subgraph's error, recorded.
    const gatewayRequest = only(graphSpans, (span) => span.name === 'gateway.request');
    expect(isError(gatewayRequest)).toBe(true);
    expect(recordedException(gatewayRequest)).toBe(true);
    const restSpans = await waitForTrace(zipkin.url, rest, (arrived) =>
      arrived.some(isServer('gateway')),
    );
    expect(isError(only(restSpans, isServer('gateway')))).toBe(true);
    expect(isError(only(restSpans, (span) => span.kind === 'CLIENT'))).toBe(true);
  });
});
