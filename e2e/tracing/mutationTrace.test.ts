import { randomBytes } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { startLocalZipkin } from '@cinemaabyss/local-infra';
import type { LocalZipkin } from '@cinemaabyss/local-infra';
import { launchChromium } from '../../test/chromium';
import { startProcessStack } from '../support/processStack';
import type { ProcessStack } from '../support/processStack';
import {
  descendsFrom,
  isServer,
  isSql,
  newTraceContext,
  only,
  parentOf,
  servicesOf,
  statementOf,
  waitForTrace,
} from '../support/zipkinTraces';
import type { ZipkinSpan } from '../support/zipkinTraces';

// All five service processes, the real broker and the real Zipkin server.
jest.setTimeout(240_000);

const SERVICES = [
  'legacy-monolith',
  'movies-service',
  'events-service',
  'monolith-subgraph',
  'gateway',
];
/** `ratings` come from the movies subgraph: the gateway fetches them once the user exists. */
const CREATE_USER =
  'mutation ($input: CreateUserInput!) { createUser(input: $input) { id username ratings { score } } }';

let zipkin: LocalZipkin;
let stack: ProcessStack;

beforeAll(async () => {
  zipkin = await startLocalZipkin({ port: 0 });
  stack = await startProcessStack({
    services: SERVICES,
    env: {
      OTEL_EXPORTER_ZIPKIN_ENDPOINT: zipkin.spansEndpoint,
      OTEL_BSP_SCHEDULE_DELAY: '100',
    },
  });
});

afterAll(async () => {
  await stack?.stop();
  await zipkin?.stop();
});

async function createUser(traceparent: string): Promise<string> {
  const name = `traced_${randomBytes(4).toString('hex')}`;
  const response = await fetch(`${stack.url('gateway')}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', traceparent },
    body: JSON.stringify({
      query: CREATE_USER,
      variables: { input: { username: name, email: `${name}@example.com` } },
    }),
  });
  const result: unknown = await response.json();
  // On failure, the whole answer (a GraphQL error names the hop that failed) and what the
  // services logged as warnings or errors, which the test's console never shows.
  const problems = Object.fromEntries(
    SERVICES.map((service) => [
      service,
      stack.logs(service).filter((line) => ['warn', 'error', 'fatal', 'raw'].includes(line.level)),
    ]),
  );
  expect({ status: response.status, result, problems }).toMatchObject({
    status: 200,
    result: { data: { createUser: { id: expect.any(String) } } },
  });
  return name;
}

const isPublish = (span: ZipkinSpan) =>
  span.kind === 'PRODUCER' && span.name === 'send user-events';
/** A consumer's processing of the record, by service: the events service and the gateway. */
const isProcessingIn = (service: string) => (span: ZipkinSpan) =>
  span.kind === 'CONSUMER' &&
  span.name === 'process user-events' &&
  span.localEndpoint.serviceName === service;
const isProcessing = isProcessingIn('events-service');

/** The whole journey of one createUser: every hop is the child of the one before it. */
function expectOneConnectedWrite(spans: ZipkinSpan[], parentSpanId: string): void {
  expect(servicesOf(spans)).toEqual(new Set(SERVICES));
  const root = only(spans, isServer('gateway'));
  expect(root.parentId).toBe(parentSpanId);
  for (const span of spans.filter((s) => s !== root)) expect(parentOf(spans, span)).toBeDefined();

  // The new user's ratings, from the movies subgraph, in the same request.
  const movies = only(spans, isServer('movies-service'));
  expect(descendsFrom(spans, movies, root)).toBe(true);

  // gateway → monolith subgraph → legacy POST /api/users → INSERT (and the outbox row).
  const subgraph = only(spans, isServer('monolith-subgraph'));
  expect(descendsFrom(spans, subgraph, root)).toBe(true);
  const legacy = only(spans, isServer('legacy-monolith'));
  expect(legacy.tags?.['http.request.method'] ?? legacy.tags?.['http.method']).toBe('POST');
  expect(descendsFrom(spans, legacy, subgraph)).toBe(true);
  const insert = only(
    spans,
    (span) => isSql(span) && statementOf(span).startsWith('INSERT INTO users'),
  );
  const outboxInsert = only(
    spans,
    (span) => isSql(span) && statementOf(span).startsWith('INSERT INTO outbox'),
  );
  for (const sql of [insert, outboxInsert]) expect(descendsFrom(spans, sql, legacy)).toBe(true);

  // The relay's publish continues the request that wrote the row...
  const publish = only(spans, isPublish);
  expect(publish.localEndpoint.serviceName).toBe('events-service');
  expect(descendsFrom(spans, publish, legacy)).toBe(true);
  expect(publish.tags).toMatchObject({
    'messaging.system': 'kafka',
    'messaging.destination.name': 'user-events',
    'messaging.operation.type': 'send',
  });
  expect(publish.tags?.['messaging.destination.partition.id']).toMatch(/^\d+$/);
  expect(publish.tags?.['messaging.kafka.offset']).toMatch(/^\d+$/);

  // ...and the consumer's processing continues the publish, its processed_events row inside.
  const processing = only(spans, isProcessing);
  expect(processing.parentId).toBe(publish.id);
  // The gateway's subscription feed, once it has joined, reads the same record in the same
  // trace, in a consumer group of its own.
  for (const fed of spans.filter(isProcessingIn('gateway'))) {
    expect(fed.parentId).toBe(publish.id);
    expect(fed.tags?.['messaging.consumer.group.name']).toMatch(/^cinemaabyss-gateway-/);
  }
  expect(processing.tags).toMatchObject({
    'messaging.destination.partition.id': publish.tags?.['messaging.destination.partition.id'],
    'messaging.kafka.offset': publish.tags?.['messaging.kafka.offset'],
    'messaging.consumer.group.name': expect.any(String),
  });
  const processedWrite = only(
    spans,
    (span) => isSql(span) && statementOf(span).startsWith('INSERT INTO processed_events'),
  );
  expect(descendsFrom(spans, processedWrite, processing)).toBe(true);
}

const complete = (spans: ZipkinSpan[]) =>
  spans.some(isProcessing) &&
  spans.some(isServer('movies-service')) &&
  spans.some((span) => isSql(span) && statementOf(span).startsWith('INSERT INTO processed_events'));

/** Where tests leave what a person would look at; docs/images keeps one copy for docs/tracing.md. */
const ARTIFACTS = path.resolve(__dirname, '../../test-artifacts');

describe('one createUser mutation is one trace, through the outbox and Kafka', () => {
  let traced: { traceId: string; spans: ZipkinSpan[] };

  it('gateway → monolith subgraph → legacy POST → INSERT + outbox row → relay publish → consumer processed', async () => {
    const trace = newTraceContext();

    await createUser(trace.traceparent);

    const spans = await waitForTrace(zipkin.url, trace, complete);
    expectOneConnectedWrite(spans, trace.parentSpanId);
    traced = { traceId: trace.traceId, spans };
  });

  it("shows that trace in Zipkin's UI, in a real browser", async () => {
    const browser = await launchChromium('the Zipkin UI test');
    try {
      const page = await browser.newPage({ viewport: { width: 1400, height: 1350 } });
      await page.goto(`${zipkin.url}/zipkin/traces/${traced.traceId}`);
      // The span tree lists every service the write crossed, the consumer's span among them.
      for (const service of ['gateway', 'monolith-subgraph', 'legacy-monolith', 'events-service']) {
        await page.getByText(service, { exact: false }).first().waitFor({ timeout: 20_000 });
      }
      await page.getByText('process user-events', { exact: false }).first().waitFor();
      const body = await page.locator('body').innerText();
      expect(body).toMatch(new RegExp(`Total Spans\\s+${traced.spans.length}\\b`));
      expect(body).toContain(traced.traceId);
      await mkdir(ARTIFACTS, { recursive: true });
      await page.screenshot({ path: path.join(ARTIFACTS, 'zipkin-create-user-trace.png') });
    } finally {
      await browser.close();
    }
  });

  it('stores the writer’s trace context with the outbox row', async () => {
    const { traceId, traceparent } = newTraceContext();

    const name = await createUser(traceparent);

    const { rows } = await stack.db.pool.query<{ traceparent: string | null }>(
      "SELECT traceparent FROM outbox WHERE payload->'payload'->>'username' = $1",
      [name],
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]?.traceparent).toMatch(new RegExp(`^00-${traceId}-[0-9a-f]{16}-01$`));
  });

  it('stays one connected trace when the relay restarts between the write and the publish', async () => {
    await stack.stopService('events-service');
    const trace = newTraceContext();
    const name = await createUser(trace.traceparent);
    const { rows } = await stack.db.pool.query<{ published_at: Date | null }>(
      "SELECT published_at FROM outbox WHERE payload->'payload'->>'username' = $1",
      [name],
    );
    expect(rows).toEqual([{ published_at: null }]);

    await stack.startService('events-service');

    const spans = await waitForTrace(zipkin.url, trace, complete, 60_000);
    expectOneConnectedWrite(spans, trace.parentSpanId);
  });
});
