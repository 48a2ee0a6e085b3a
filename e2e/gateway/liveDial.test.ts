import { setTimeout as sleep } from 'node:timers/promises';
import { setMigrationPercent } from '@cinemaabyss/gateway/testing';
import type { RunningGateway } from '@cinemaabyss/gateway/testing';
import { createMemoryLogger, sendJson, startTcpProxy } from '@cinemaabyss/shared/testing';
import type { TcpProxy } from '@cinemaabyss/shared/testing';
import { startStack } from '../support/startStack';
import type { Stack } from '../support/startStack';

type Backend = 'movies' | 'monolith';

/** Users whose buckets (FNV-1a % 100, pinned by the router's unit test) sit where the tests need. */
const BUCKET_0 = 'user-1';
const BUCKET_42 = 'user-999';
const USERS = Array.from({ length: 1000 }, (_, i) => `user-${i}`);

async function backendOf(gatewayUrl: string, user: string): Promise<Backend> {
  const response = await fetch(`${gatewayUrl}/api/movies?id=1`, {
    headers: { 'x-user-id': user },
    signal: AbortSignal.timeout(5_000),
  });
  await response.arrayBuffer();
  expect(response.status).toBe(200);
  return response.headers.get('x-served-by') as Backend;
}

/** Each user's backend on one gateway, 50 requests at a time. */
async function backendsOf(gatewayUrl: string, users: string[]): Promise<Backend[]> {
  const backends: Backend[] = [];
  for (let i = 0; i < users.length; i += 50) {
    backends.push(
      ...(await Promise.all(users.slice(i, i + 50).map((user) => backendOf(gatewayUrl, user)))),
    );
  }
  return backends;
}

const share = (backends: Backend[]) => backends.filter((b) => b === 'movies').length;

/** Milliseconds until `user` is served by `backend` on the gateway, polling every 10 ms. */
async function timeUntil(gatewayUrl: string, user: string, backend: Backend, since: number) {
  const deadline = since + 10_000;
  while (Date.now() < deadline) {
    if ((await backendOf(gatewayUrl, user)) === backend) return Date.now() - since;
    await sleep(10);
  }
  throw new Error(`${user} never reached ${backend} on ${gatewayUrl}`);
}

describe('the live migration dial across gateway replicas', () => {
  let stack: Stack;
  let replica: RunningGateway;

  beforeAll(async () => {
    stack = await startStack();
    replica = await stack.startGateway({});
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('applies a PUT on one replica on the other within 1 s, without a restart', async () => {
    expect(await backendOf(replica.url, BUCKET_0)).toBe('monolith');
    const started = Date.now();
    await setMigrationPercent(stack.gateway.url, 'movies', 25);
    // The replica that took the PUT applied it before answering.
    expect(await backendOf(stack.gateway.url, BUCKET_0)).toBe('movies');
    const elapsed = await timeUntil(replica.url, BUCKET_0, 'movies', started);
    expect(elapsed).toBeLessThan(1_000);
  });

  it('sends 25 % of 1,000 users to the movies service within ±5 %, the same users on both replicas', async () => {
    await setMigrationPercent(stack.gateway.url, 'movies', 25);
    const onFirst = await backendsOf(stack.gateway.url, USERS);
    const onSecond = await backendsOf(replica.url, USERS);
    expect(share(onFirst)).toBeGreaterThanOrEqual(200);
    expect(share(onFirst)).toBeLessThanOrEqual(300);
    expect(onSecond).toEqual(onFirst);
  });

  it('moves users only forward when raised 25 → 50 and only back when lowered 50 → 25', async () => {
    await setMigrationPercent(stack.gateway.url, 'movies', 25);
    const at25 = await backendsOf(replica.url, USERS);
    await setMigrationPercent(stack.gateway.url, 'movies', 50);
    await timeUntil(replica.url, BUCKET_42, 'movies', Date.now());
    const at50 = await backendsOf(replica.url, USERS);
    USERS.forEach((_, i) => at25[i] === 'movies' && expect(at50[i]).toBe('movies'));
    expect(share(at50)).toBeGreaterThanOrEqual(450);
    expect(share(at50)).toBeLessThanOrEqual(550);

    await setMigrationPercent(stack.gateway.url, 'movies', 25);
    await timeUntil(replica.url, BUCKET_42, 'monolith', Date.now());
    const backAt25 = await backendsOf(replica.url, USERS);
    USERS.forEach((_, i) => at50[i] === 'monolith' && expect(backAt25[i]).toBe('monolith'));
    expect(backAt25).toEqual(at25);
  });

  describe('a replica that loses its database', () => {
    let proxy: TcpProxy;
    let cutOff: RunningGateway;
    const { logger, lines } = createMemoryLogger({ name: 'gateway' });

    beforeAll(async () => {
      const database = new URL(stack.monolith.db.connectionString);
      proxy = await startTcpProxy({ host: database.hostname, port: Number(database.port || 5432) });
      database.host = `127.0.0.1:${proxy.port}`;
      cutOff = await stack.startGateway({ dbConnectionString: database.toString() }, { logger });
    });
    afterAll(async () => {
      await proxy?.stop();
    });

    it('keeps serving on its last settings, says so, and catches up once the database returns', async () => {
      await setMigrationPercent(stack.gateway.url, 'movies', 25);
      await timeUntil(cutOff.url, BUCKET_0, 'movies', Date.now());
      expect(await backendOf(cutOff.url, BUCKET_42)).toBe('monolith');
      const sample = USERS.slice(0, 200);
      const at25 = await backendsOf(cutOff.url, sample);

      await proxy.cut();
      const stale = async () =>
        (
          await sendJson<{ migrationDial: { fresh: boolean; error?: string } }>(
            `${cutOff.url}/ready`,
          )
        ).body.migrationDial;
      const deadline = Date.now() + 5_000;
      while ((await stale()).fresh && Date.now() < deadline) await sleep(50);
      expect(await stale()).toEqual(
        expect.objectContaining({
          fresh: false,
          error: expect.stringMatching(/could not be read/),
        }),
      );
      expect(lines).toContainEqual(
        expect.objectContaining({
          level: 'warn',
          msg: 'migration dial database unreachable; serving the last known settings',
          percentages: { movies: 25 },
        }),
      );

      // Changed elsewhere meanwhile: this replica cannot know yet, and still answers everyone.
      await setMigrationPercent(stack.gateway.url, 'movies', 60);
      expect(await backendOf(stack.gateway.url, BUCKET_42)).toBe('movies');
      expect(await backendsOf(cutOff.url, sample)).toEqual(at25);

      await proxy.restore();
      const restored = Date.now();
      await timeUntil(cutOff.url, BUCKET_42, 'movies', restored);
      expect(await stale()).toEqual(expect.objectContaining({ fresh: true }));
      expect(lines).toContainEqual(
        expect.objectContaining({ msg: 'migration dial database reachable again' }),
      );
      expect(lines).toContainEqual(
        expect.objectContaining({ msg: 'migration dial applied', from: 25, to: 60 }),
      );
    });
  });
});
