import { createServer } from 'node:http';
import type { IncomingHttpHeaders, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { createGatewayMetrics } from '../metrics';
import { createKeepAliveAgent } from '@cinemaabyss/shared/http-client';
import { isSettled, untilIo, useFakeClock } from '@cinemaabyss/shared/testing';
import { SubgraphDataSource } from './subgraphDataSource';
import type { GatewayContext } from './subgraphDataSource';
import type { Caller } from '@cinemaabyss/shared/identity';

interface Received {
  headers: IncomingHttpHeaders;
  body: { query: string; variables?: unknown };
}

/** A subgraph over real HTTP that answers after `delayMs` and remembers what it was sent. */
async function startSubgraph(
  answer: { status?: number; body?: string; cacheControl?: string; delayMs?: number } = {},
) {
  const received: Received[] = [];
  const server: Server = createServer((request, response) => {
    let raw = '';
    request.on('data', (chunk: Buffer) => (raw += chunk.toString()));
    request.on('end', () => {
      received.push({ headers: request.headers, body: JSON.parse(raw) as Received['body'] });
      setTimeout(() => {
        response.writeHead(answer.status ?? 200, {
          'content-type': 'application/json',
          ...(answer.cacheControl && { 'cache-control': answer.cacheControl }),
        });
        response.end(answer.body ?? JSON.stringify({ data: { movies: [{ title: 'Heat' }] } }));
      }, answer.delayMs ?? 50);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/graphql`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function fetchOf(query: string, requestId = 'req-1', policy?: object, caller?: Caller) {
  return {
    kind: 'incoming operation',
    request: { query, variables: {} },
    context: { requestId, ...(caller && { caller }) },
    incomingRequestContext: { overallCachePolicy: policy },
  } as unknown as GraphQLDataSourceProcessOptions<GatewayContext>;
}

describe('SubgraphDataSource', () => {
  afterEach(() => jest.useRealTimers());
  const agent = createKeepAliveAgent({ timeoutMs: 1_000, connections: 128 });
  const stops: (() => Promise<void>)[] = [];
  afterEach(async () => {
    await Promise.all(stops.splice(0).map((stop) => stop()));
  });
  afterAll(() => agent.close());

  async function setUp(answer?: Parameters<typeof startSubgraph>[0], deduplicateInFlight = true) {
    const subgraph = await startSubgraph(answer);
    stops.push(subgraph.close);
    const metrics = createGatewayMetrics({ migrationPercentages: () => ({}) });
    const source = new SubgraphDataSource({
      name: 'movies',
      url: subgraph.url,
      timeoutMs: 1_000,
      agent,
      metrics,
      deduplicateInFlight,
    });
    return { subgraph, source, metrics };
  }

  it('sends identical query fetches in flight together as one HTTP call', async () => {
    const { subgraph, source, metrics } = await setUp();
    const query = 'query Q__movies__0 { movies { title } }';
    const responses = await Promise.all(
      ['a', 'b', 'c'].map((id) => source.process(fetchOf(query, id))),
    );
    expect(subgraph.received).toHaveLength(1);
    expect(subgraph.received[0]?.headers['x-request-id']).toBe('a');
    expect(responses.map((r) => r.data)).toEqual(
      Array(3).fill({ movies: [{ title: 'Heat' }] }) as unknown[],
    );
    // Query plans merge into fetched objects: every caller must own its copy.
    expect(responses[0]?.data).not.toBe(responses[1]?.data);
    const shared = await metrics.inFlightShared.get();
    expect(shared.values).toEqual([{ labels: { level: 'subgraph_fetch' }, value: 2 }]);
  });

  it('tells the subgraph who the verified caller is, and never shares a fetch across callers', async () => {
    const { subgraph, source } = await setUp();
    const query = 'query Q__monolith__0 { users { email } }';
    const alice: Caller = { subject: 'alice', scopes: ['payments:read', 'users:read'] };
    const bob: Caller = { subject: 'bob', scopes: [] };
    await Promise.all([
      source.process(fetchOf(query, 'a', undefined, alice)),
      source.process(fetchOf(query, 'b', undefined, bob)),
      source.process(fetchOf(query, 'c')),
    ]);
    expect(subgraph.received).toHaveLength(3);
    const identities = subgraph.received.map(({ headers }) => [
      headers['x-auth-subject'] ?? null,
      headers['x-auth-scopes'] ?? null,
    ]);
    expect(identities).toEqual(
      expect.arrayContaining([
        ['alice', 'payments:read users:read'],
        ['bob', ''],
        [null, null],
      ]),
    );
  });

  it('sends every mutation fetch, however alike', async () => {
    const { subgraph, source } = await setUp();
    const mutation =
      'mutation M__movies__0 { rateMovie(userId: "1", movieId: "1", score: 5) { score } }';
    await Promise.all([source.process(fetchOf(mutation)), source.process(fetchOf(mutation))]);
    expect(subgraph.received).toHaveLength(2);
  });

  it('sends every fetch when deduplication is off', async () => {
    const { subgraph, source } = await setUp({}, false);
    const query = '{ movies { title } }';
    await Promise.all([source.process(fetchOf(query)), source.process(fetchOf(query))]);
    expect(subgraph.received).toHaveLength(2);
  });

  it('passes the subgraph Cache-Control on to the request cache policy', async () => {
    const { source } = await setUp({ cacheControl: 'max-age=30, public' });
    const hints: object[] = [];
    await source.process(
      fetchOf('{ movies { title } }', 'r', { restrict: (h: object) => hints.push(h) }),
    );
    expect(hints).toEqual([{ maxAge: 30, scope: 'PUBLIC' }]);
  });

  it.each([
    ['an HTTP 500', { status: 500, body: 'boom' }],
    ['a body that is not JSON', { body: '<html>' }],
  ])('reports %s as SERVICE_UNAVAILABLE naming the subgraph', async (_what, answer) => {
    const { source } = await setUp(answer);
    const failure = source.process(fetchOf('{ movies { title } }'));
    await expect(failure).rejects.toMatchObject({
      message: 'subgraph movies is unavailable',
      extensions: { code: 'SERVICE_UNAVAILABLE', serviceName: 'movies' },
    });
  });

  it('reports no answer within the timeout as SERVICE_UNAVAILABLE naming the subgraph', async () => {
    const { subgraph, source } = await setUp({ delayMs: 2_000 });
    useFakeClock();
    const failure = source.process(fetchOf('{ movies { title } }'));
    const outcome = failure.then(
      () => 'answered',
      (error: unknown) => error,
    );
    // Once the subgraph holds the request, only the clock can end the call: it answers at 2 s.
    await untilIo(() => subgraph.received.length === 1, 'the request at the subgraph');

    await jest.advanceTimersByTimeAsync(999);
    expect(await isSettled(failure)).toBe(false);
    await jest.advanceTimersByTimeAsync(1);
    expect(await isSettled(failure)).toBe(true);
    expect(await outcome).toMatchObject({
      message: 'subgraph movies is unavailable',
      extensions: { code: 'SERVICE_UNAVAILABLE', serviceName: 'movies' },
    });
  });
});
