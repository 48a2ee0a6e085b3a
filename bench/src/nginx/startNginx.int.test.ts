import { createServer } from 'node:http';
import type { Server } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { BenchChild } from '../processes/startChild';
import { findNginx, INSTALL_NGINX_HINT } from './ensureNginx';
import { startNginx } from './startNginx';

/** A backend that names itself in its answer and counts the connections it was opened. */
interface FakeBackend {
  origin: string;
  connections: number;
  /** The status /api/movies answers with. */
  status: number;
  server: Server;
}

async function fakeBackend(name: string): Promise<FakeBackend> {
  const backend = { origin: '', connections: 0, status: 200 } as FakeBackend;
  backend.server = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      const status = request.url?.startsWith('/api/movies') ? backend.status : 200;
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ servedBy: name, method: request.method, url: request.url }));
    });
  });
  backend.server.on('connection', () => (backend.connections += 1));
  await new Promise<void>((resolve) => backend.server.listen(0, '127.0.0.1', resolve));
  const address = backend.server.address() as { port: number };
  backend.origin = `http://127.0.0.1:${address.port}`;
  return backend;
}

async function call(url: string, init: RequestInit = {}) {
  const response = await fetch(url, { ...init, signal: AbortSignal.timeout(5_000) });
  const body = (await response.json()) as { servedBy: string; method: string; url: string };
  return { status: response.status, ...body };
}

describe('the nginx anchor of part 2 (real nginx, generated config)', () => {
  let binary: string;
  let prefix: string;
  let movies: FakeBackend;
  let monolith: FakeBackend;
  let events: FakeBackend;
  const started: BenchChild[] = [];

  const nginxAt = async (moviesPercent: number) => {
    const nginx = await startNginx(binary, {
      backends: { movies: movies.origin, monolith: monolith.origin, events: events.origin },
      moviesPercent,
      timeoutMs: 2_000,
      prefixDir: path.join(prefix, String(moviesPercent)),
    });
    started.push(nginx);
    return nginx;
  };

  beforeAll(async () => {
    const found = await findNginx();
    if (!found) throw new Error(`nginx is not installed. ${INSTALL_NGINX_HINT}`);
    binary = found;
    prefix = await mkdtemp(path.join(os.tmpdir(), 'bench-nginx-test-'));
    [movies, monolith, events] = (await Promise.all(
      ['movies', 'monolith', 'events'].map(fakeBackend),
    )) as [FakeBackend, FakeBackend, FakeBackend];
  });

  afterEach(() => {
    movies.status = 200;
  });

  afterAll(async () => {
    await Promise.all(started.map((nginx) => nginx.stop()));
    await Promise.all([movies, monolith, events].map((b) => b?.server.close()));
    if (prefix) await rm(prefix, { recursive: true, force: true });
  });

  it('routes like the shim: /api/movies to the movies service, the rest to their owners', async () => {
    const nginx = await nginxAt(100);
    await expect(call(`${nginx.url}/api/movies?limit=5`)).resolves.toMatchObject({
      status: 200,
      servedBy: 'movies',
      url: '/api/movies?limit=5',
    });
    await expect(call(`${nginx.url}/api/users/3`)).resolves.toMatchObject({ servedBy: 'monolith' });
    await expect(call(`${nginx.url}/api/payments`)).resolves.toMatchObject({
      servedBy: 'monolith',
    });
    await expect(
      call(`${nginx.url}/api/events/movie`, { method: 'POST', body: '{}' }),
    ).resolves.toMatchObject({ servedBy: 'events', method: 'POST' });
  });

  it('answers a GET the movies service fails from the monolith, never a POST', async () => {
    const nginx = await nginxAt(100);
    movies.status = 503;
    await expect(call(`${nginx.url}/api/movies`)).resolves.toMatchObject({
      status: 200,
      servedBy: 'monolith',
    });
    await expect(
      call(`${nginx.url}/api/movies`, { method: 'POST', body: '{}' }),
    ).resolves.toMatchObject({ status: 503, servedBy: 'movies' });
  });

  it('keeps a user on one side and splits users at the percentage', async () => {
    const nginx = await nginxAt(50);
    const sides = new Map<string, string>();
    for (let user = 1; user <= 200; user += 1) {
      const headers = { 'x-user-id': String(user) };
      const first = await call(`${nginx.url}/api/movies`, { headers });
      const again = await call(`${nginx.url}/api/movies`, { headers });
      expect(again.servedBy).toBe(first.servedBy);
      sides.set(String(user), first.servedBy);
    }
    const toMovies = [...sides.values()].filter((side) => side === 'movies').length;
    expect(toMovies).toBeGreaterThan(60);
    expect(toMovies).toBeLessThan(140);
    const none = await nginxAt(0);
    await expect(
      call(`${none.url}/api/movies`, { headers: { 'x-user-id': '7' } }),
    ).resolves.toMatchObject({ servedBy: 'monolith' });
  });

  it('reuses upstream connections and is metered from /proc like a bench child', async () => {
    const nginx = await nginxAt(100);
    const before = movies.connections;
    const cpuBefore = (await nginx.stats()).cpuMs;
    for (let i = 0; i < 50; i += 1) await call(`${nginx.url}/api/movies`);
    expect(movies.connections - before).toBeLessThanOrEqual(2);
    const stats = await nginx.stats();
    expect(stats.cpuMs).toBeGreaterThanOrEqual(cpuBefore);
    // The master and its worker together hold some memory.
    expect(stats.rssKiB).toBeGreaterThan(1_000);
    expect(stats.maxRssKiB).toBeGreaterThanOrEqual(stats.rssKiB);
  });

  it('stops on request, leaving no process behind', async () => {
    const nginx = await nginxAt(100);
    await nginx.stop();
    expect(() => process.kill(nginx.pid, 0)).toThrow();
    await expect(fetch(`${nginx.url}/nginx-health`)).rejects.toThrow();
  });
});
