import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { setMigrationPercent } from '@cinemaabyss/gateway/testing';
import { sendJson } from '@cinemaabyss/shared/testing';
import { startStack } from '../support/startStack';
import type { Stack } from '../support/startStack';

const servedBy = (response: { headers: Headers }) => response.headers.get('x-served-by');

async function countBackends(
  url: string,
  n: number,
  headers: (i: number) => Record<string, string> = () => ({}),
) {
  const counts = { movies: 0, monolith: 0 };
  for (let i = 0; i < n; i += 50) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(50, n - i) }, (_, j) =>
        fetch(`${url}/api/movies?id=1`, { headers: headers(i + j) }),
      ),
    );
    for (const response of batch) {
      await response.arrayBuffer();
      counts[response.headers.get('x-served-by') as 'movies' | 'monolith'] += 1;
    }
  }
  return counts;
}

/** A server that accepts connections and never answers, to provoke timeouts. */
async function startSilentServer() {
  const server = http.createServer(() => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

describe('the /api/movies strangler', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => {
    await stack.stop();
  });

  // The stack's gateways share one live dial; each test turns it through the admin API.
  const dialTo = (percent: number) => setMigrationPercent(stack.gateway.url, 'movies', percent);

  it('sends everything to the monolith at 0 %, the setting of a first start without GRADUAL_MIGRATION', async () => {
    expect(await countBackends(stack.gateway.url, 100)).toEqual({ movies: 0, monolith: 100 });
    await dialTo(0);
    expect(await countBackends(stack.gateway.url, 100, (i) => ({ 'x-user-id': `u${i}` }))).toEqual({
      movies: 0,
      monolith: 100,
    });
  });

  it('sends everything to the movies service at 100 %, with the same body', async () => {
    await dialTo(100);
    expect(await countBackends(stack.gateway.url, 100)).toEqual({ movies: 100, monolith: 0 });
    const viaGateway = await sendJson(`${stack.gateway.url}/api/movies?id=3`);
    expect(viaGateway.body).toEqual((await sendJson(`${stack.monolith.url}/api/movies?id=3`)).body);
  });

  it('splits 1,000 anonymous requests 50/50 within ±5 %', async () => {
    await dialTo(50);
    const counts = await countBackends(stack.gateway.url, 1000);
    expect(counts.movies + counts.monolith).toBe(1000);
    expect(counts.movies).toBeGreaterThanOrEqual(450);
    expect(counts.movies).toBeLessThanOrEqual(550);
  });

  it('keeps a named user on one backend, and raising the percentage only moves users to movies', async () => {
    const { url } = stack.gateway;
    const users = Array.from({ length: 200 }, (_, i) => `user-${i}`);
    const backendOf = async (url: string, user: string, viaQuery: boolean) =>
      servedBy(
        await sendJson(
          viaQuery ? `${url}/api/movies?user_id=${user}` : `${url}/api/movies`,
          viaQuery ? {} : { headers: { 'x-user-id': user } },
        ),
      );
    await dialTo(30);
    for (const user of users.slice(0, 20)) {
      const first = await backendOf(url, user, false);
      for (let i = 0; i < 5; i++) expect(await backendOf(url, user, i % 2 === 0)).toBe(first);
    }
    const before = await Promise.all(users.map((u) => backendOf(url, u, false)));
    await dialTo(60);
    const after = await Promise.all(users.map((u) => backendOf(url, u, false)));
    users.forEach((_, i) => {
      if (before[i] === 'movies') expect(after[i]).toBe('movies');
    });
    const moved =
      after.filter((b) => b === 'movies').length - before.filter((b) => b === 'movies').length;
    expect(moved).toBeGreaterThan(0);
  });

  it('answers a GET from the monolith, marked, when the movies service is down; never retries a POST', async () => {
    await dialTo(100);
    const down = await stack.startGateway({ moviesServiceUrl: 'http://127.0.0.1:9' });
    const get = await sendJson(`${down.url}/api/movies?id=1`);
    expect(get.status).toBe(200);
    expect(servedBy(get)).toBe('monolith');
    expect(get.headers.get('x-fallback-from')).toBe('movies');
    expect((get.body as { title: string }).title).toBe('The Shawshank Redemption');

    const countMovies = async () =>
      (await stack.monolith.db.pool.query<{ n: number }>('SELECT count(*) AS n FROM movies'))
        .rows[0]?.n;
    const before = await countMovies();
    const post = await sendJson(`${down.url}/api/movies`, {
      method: 'POST',
      body: { title: 'Never', description: '', rating: 1 },
    });
    expect(post.status).toBe(502);
    expect(post.body).toEqual({ error: expect.stringMatching(/movies is unreachable/) });
    expect(await countMovies()).toBe(before);

    const metrics = await (await fetch(`${down.url}/metrics`)).text();
    expect(metrics).toMatch(/gateway_movies_fallbacks_total\{reason="unreachable"\} 1/);
  });

  it('answers 502 promptly when a backend is unreachable and 504 when it is too slow', async () => {
    const silent = await startSilentServer();
    try {
      const gateway = await stack.startGateway({
        monolithUrl: 'http://127.0.0.1:9',
        eventsServiceUrl: silent.url,
        backendTimeoutMs: 300,
      });
      const started = Date.now();
      const unreachable = await sendJson(`${gateway.url}/api/users`);
      expect(unreachable.status).toBe(502);
      expect(unreachable.body).toEqual({ error: expect.stringMatching(/monolith/) });
      const slow = await sendJson(`${gateway.url}/api/events/movie`, { method: 'POST', body: {} });
      expect(slow.status).toBe(504);
      expect(slow.body).toEqual({ error: expect.stringMatching(/events timed out/) });
      // Bounded by the configured timeout, not a client-side one.
      expect(Date.now() - started).toBeLessThan(5_000);
    } finally {
      await silent.stop();
    }
  });

  it('exposes Prometheus metrics for requests, routing and GraphQL', async () => {
    await sendJson(`${stack.gateway.url}/api/users`);
    await sendJson(`${stack.gateway.url}/graphql`, {
      method: 'POST',
      body: { query: '{ movie(id: "1") { title } }' },
    });
    const text = await (await fetch(`${stack.gateway.url}/metrics`)).text();
    expect(text).toMatch(
      /gateway_rest_requests_total\{route="\/api\/users",backend="monolith",status="200"\} \d+/,
    );
    expect(text).toMatch(
      /gateway_migration_decisions_total\{migration="movies",surface="rest",backend="(movies|monolith)"\} \d+/,
    );
    expect(text).toMatch(/gateway_migration_percent\{migration="movies"\} \d+/);
    expect(text).toMatch(/gateway_graphql_operations_total\{operation="query",outcome="ok"\} \d+/);
    expect(text).toMatch(
      /gateway_subgraph_request_duration_seconds_count\{subgraph="movies",outcome="ok"\} \d+/,
    );
  });

  it('reports health always and readiness only when its backends answer', async () => {
    expect((await sendJson(`${stack.gateway.url}/health`)).body).toEqual({ status: true });
    const ready = await sendJson<{ ready: boolean; backends: Record<string, boolean> }>(
      `${stack.gateway.url}/ready`,
    );
    expect(ready.body.backends).toMatchObject({
      monolith: true,
      movies: true,
      'monolith-subgraph': true,
    });
    // The events service is not part of this stack, so the gateway is not ready.
    expect(ready.status).toBe(503);
    expect(ready.body.backends.events).toBe(false);
  });
});
