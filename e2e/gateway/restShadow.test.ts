import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { setMigrationPercent } from '@cinemaabyss/gateway/testing';
import type { RunningGateway } from '@cinemaabyss/gateway/testing';
import { startStack } from '../support/startStack';
import { until } from '../support/until';
import type { Stack } from '../support/startStack';

/**
 * A stand-in for the movies service in front of the real one: it passes requests through, but
 * says movie 1 has another title, counts the calls it gets by method, and can hang.
 */
async function startStandIn(moviesUrl: string) {
  const calls: { method: string; shadow: boolean }[] = [];
  let hang = false;
  const server: Server = createServer((request: IncomingMessage, response: ServerResponse) => {
    calls.push({
      method: request.method ?? '',
      shadow: request.headers['x-shadow-request'] === '1',
    });
    if (hang) return; // never answers: the gateway's deadline must end the call
    void (async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of request) chunks.push(chunk as Buffer);
      const real = await fetch(`${moviesUrl}${request.url}`, {
        method: request.method,
        headers: { 'content-type': 'application/json' },
        body:
          request.method === 'GET' || request.method === 'HEAD' ? undefined : Buffer.concat(chunks),
        signal: AbortSignal.timeout(5_000),
      });
      let text = await real.text();
      if (request.url === '/api/movies?id=1') {
        text = JSON.stringify({ ...(JSON.parse(text) as object), title: 'Not The Real Title' });
      }
      response.writeHead(real.status, { 'content-type': 'application/json' }).end(text);
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    calls,
    setHang: (value: boolean) => (hang = value),
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

type StandIn = Awaited<ReturnType<typeof startStandIn>>;

describe('shadow comparison on the REST shim', () => {
  let stack: Stack;
  let standIn: StandIn;
  let gateway: RunningGateway;

  const setShadowPercent = (percent: number) =>
    stack.monolith.db.pool.query(
      "UPDATE gateway.migrations SET shadow_percent = $1 WHERE name = 'movies'",
      [percent],
    );
  const mismatchCount = async () =>
    Number(
      (await stack.monolith.db.pool.query('SELECT count(*) FROM gateway.migration_mismatches'))
        .rows[0].count,
    );

  beforeAll(async () => {
    stack = await startStack();
    standIn = await startStandIn(stack.movies.url);
    gateway = await stack.startGateway({ moviesServiceUrl: standIn.url, shadowTimeoutMs: 2_000 });
    await setMigrationPercent(stack.gateway.url, 'movies', 0);
    await setShadowPercent(100);
    await sleep(1_100); // every replica applies a dial change within 1 s
  });
  afterAll(async () => {
    await stack?.stop();
    await standIn?.stop();
  });
  beforeEach(() => {
    standIn.calls.length = 0;
    standIn.setHang(false);
  });

  it('records a wrong title on the new side as a mismatch at /title; the client gets the monolith’s answer', async () => {
    const before = await mismatchCount();

    const response = await fetch(`${gateway.url}/api/movies?id=1`, {
      headers: { 'x-user-id': 'shadow-user-1' },
    });

    expect(response.headers.get('x-served-by')).toBe('monolith');
    const movie = (await response.json()) as { title: string };
    expect(movie.title).not.toBe('Not The Real Title');
    const { rows } = await until('the mismatch', async () => {
      const result = await stack.monolith.db.pool.query<{
        path: string;
        served_side: string;
        user_bucket: number | null;
        differences: { path: string; served: string; shadow: string }[];
      }>(
        'SELECT path, served_side, user_bucket, differences FROM gateway.migration_mismatches ORDER BY id DESC LIMIT 1',
      );
      return (await mismatchCount()) > before ? result : undefined;
    });
    expect(rows[0]).toEqual({
      path: '/api/movies?id=1',
      served_side: 'old',
      user_bucket: expect.any(Number),
      differences: [
        { path: '/title', served: JSON.stringify(movie.title), shadow: '"Not The Real Title"' },
      ],
    });
    expect(standIn.calls).toEqual([{ method: 'GET', shadow: true }]);
  });

  it('finds nothing where the two implementations agree', async () => {
    const before = await mismatchCount();
    const response = await fetch(`${gateway.url}/api/movies?id=2`);
    expect(response.status).toBe(200);
    await until('the shadow call', async () => (standIn.calls.length > 0 ? true : undefined));
    await sleep(300);
    expect(await mismatchCount()).toBe(before);
  });

  it('never sends a POST to the shadow side', async () => {
    const response = await fetch(`${gateway.url}/api/movies`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ title: 'Shadowless', description: 'x', genres: [], rating: 5 }),
    });
    expect(response.status).toBe(201);
    expect(response.headers.get('x-served-by')).toBe('monolith');
    await sleep(500);
    expect(standIn.calls).toEqual([]);
  });

  it('leaves the client’s answer alone when the shadow side hangs, and counts an error', async () => {
    standIn.setHang(true);
    const errorsBefore = await shadowErrors();

    const started = performance.now();
    const response = await fetch(`${gateway.url}/api/movies?id=3`);
    const elapsed = performance.now() - started;

    expect(response.status).toBe(200);
    expect(response.headers.get('x-served-by')).toBe('monolith');
    // Generous, and still well below the shadow's 2 s deadline, which the client never waits for.
    expect(elapsed).toBeLessThan(1_500);
    await until('the error counted', async () =>
      (await shadowErrors()) > errorsBefore ? true : undefined,
    );
  });

  async function shadowErrors(): Promise<number> {
    const metrics = await (await fetch(`${gateway.url}/metrics`)).text();
    return Number(
      /gateway_shadow_comparisons_total\{migration="movies",surface="rest",result="error"\} (\d+)/.exec(
        metrics,
      )?.[1] ?? 0,
    );
  }

  it('applies a shadow share change on another replica within 1 s', async () => {
    const replica = await stack.startGateway({ moviesServiceUrl: standIn.url });
    await setShadowPercent(0);
    await sleep(1_000);
    standIn.calls.length = 0;
    await fetch(`${replica.url}/api/movies?id=2`).then((r) => r.arrayBuffer());
    await sleep(200);
    expect(standIn.calls).toEqual([]);

    await setShadowPercent(100);
    await sleep(1_000);
    await fetch(`${replica.url}/api/movies?id=2`).then((r) => r.arrayBuffer());
    await until('the shadow call', async () => (standIn.calls.length > 0 ? true : undefined));
    expect(standIn.calls).toEqual([{ method: 'GET', shadow: true }]);
  });
});
