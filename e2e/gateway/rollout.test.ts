import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { TEST_ADMIN_TOKEN, setMigrationPercent } from '@cinemaabyss/gateway/testing';
import type { RunningGateway } from '@cinemaabyss/gateway/testing';
import { sendJson } from '@cinemaabyss/shared/testing';
import { startStack } from '../support/startStack';
import type { Stack } from '../support/startStack';
import { until } from '../support/until';

type Behaviour = 'healthy' | 'failing' | 'slow';

/**
 * The new side behind a stand-in: it passes /api/movies to the real movies service, or fails 40 %
 * of requests with a 503, or answers 100 ms late.
 */
async function startStandIn() {
  let target = '';
  let behaviour: Behaviour = 'healthy';
  let served = 0;
  const server: Server = createServer((request: IncomingMessage, response: ServerResponse) => {
    served += 1;
    void (async () => {
      if (behaviour === 'failing' && served % 5 < 2) {
        response.writeHead(503, { 'content-type': 'application/json' }).end('{"error":"down"}');
        return;
      }
      if (behaviour === 'slow') await sleep(100);
      const real = await fetch(`${target}${request.url}`, { signal: AbortSignal.timeout(5_000) });
      const text = await real.text();
      response.writeHead(real.status, { 'content-type': 'application/json' }).end(text);
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    setTarget: (url: string) => (target = url),
    setBehaviour: (value: Behaviour) => (behaviour = value),
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Clients reading /api/movies through every given gateway, each request another user. */
function startTraffic(urls: () => string[]) {
  let running = true;
  let sent = 0;
  const loop = async (lane: number) => {
    while (running) {
      const gateways = urls();
      const url = gateways[(sent + lane) % gateways.length];
      sent += 1;
      await fetch(`${url}/api/movies?id=1`, {
        headers: { 'x-user-id': `rollout-user-${lane}-${sent}` },
        signal: AbortSignal.timeout(5_000),
      })
        .then((response) => response.arrayBuffer())
        .catch(() => undefined);
      await sleep(10);
    }
  };
  const lanes = [0, 1, 2, 3].map(loop);
  return {
    stop: async () => {
      running = false;
      await Promise.all(lanes);
    },
  };
}

interface RolloutView {
  state: string;
  steps: number[];
  step: number;
  reason: string | null;
  analyses: { step: number; verdict: string; check?: string; early?: boolean }[];
}
interface MigrationView {
  percent: number;
  rollout: RolloutView | null;
}

/** Figures windows of a second, flushed five times a second, a driver that looks every 200 ms. */
const FAST = { figuresWindowMs: 1_000, figuresFlushMs: 200, rolloutTickMs: 200 };

describe('an automated rollout, judged on the fleet figures, with automatic rollback', () => {
  let stack: Stack;
  let standIn: Awaited<ReturnType<typeof startStandIn>>;
  let replicas: RunningGateway[];
  let traffic: ReturnType<typeof startTraffic> | undefined;

  const admin = <T>(url: string, method: string, path: string, body?: unknown) =>
    sendJson<T>(`${url}/admin/migrations/movies${path}`, {
      method,
      body,
      headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}`, 'x-admin-actor': 'rollout-tests' },
    });
  const view = async (url = replicas[0]!.url) => (await admin<MigrationView>(url, 'GET', '')).body;
  const count = async (sql: string) =>
    Number((await stack.monolith.db.pool.query(sql)).rows[0].count);
  const whenState = (state: string, url?: string) =>
    until(
      `the rollout ${state}`,
      async () => {
        const current = await view(url);
        return current.rollout?.state === state ? current : undefined;
      },
      { timeoutMs: 30_000 },
    );

  beforeAll(async () => {
    standIn = await startStandIn();
    stack = await startStack({ ...FAST, moviesServiceUrl: standIn.url });
    standIn.setTarget(stack.movies.url);
    replicas = [stack.gateway, await stack.startGateway({})];
  });
  afterAll(async () => {
    await traffic?.stop();
    await stack?.stop();
    await standIn?.stop();
  });
  beforeEach(async () => {
    standIn.setBehaviour('healthy');
    const active = (await view()).rollout;
    if (active && ['running', 'paused'].includes(active.state)) {
      await admin(replicas[0]!.url, 'POST', '/rollout/abort');
    }
    await setMigrationPercent(replicas[0]!.url, 'movies', 0);
  });
  afterEach(async () => {
    await traffic?.stop();
    traffic = undefined;
  });

  it('walks a healthy new side through every step to 100 %', async () => {
    traffic = startTraffic(() => replicas.map((r) => r.url));
    const started = await admin<MigrationView>(replicas[0]!.url, 'POST', '/rollout', {
      steps: [25, 50, 100],
      stepSeconds: 2,
      minRequests: 20,
      maxLatencyRatio: 20,
    });
    expect(started.status).toBe(201);
    expect(started.body).toMatchObject({ percent: 25, rollout: { state: 'running', step: 0 } });

    const done = await whenState('completed');

    expect(done.percent).toBe(100);
    expect(done.rollout!.analyses.map((a) => [a.step, a.verdict])).toEqual([
      [0, 'promote'],
      [1, 'promote'],
      [2, 'promote'],
    ]);
    const audit = await stack.monolith.db.pool.query<{ new_value: string; reason: string }>(
      "SELECT new_value, reason FROM gateway.migration_audit WHERE actor = 'rollout' ORDER BY id DESC LIMIT 3",
    );
    expect(audit.rows.map((row) => row.new_value).reverse()).toEqual(['25', '50', '100']);
    expect(audit.rows[0]!.reason).toMatch(/promoted to step 3 of 3 \(100 %\)/);
    // Every replica reports where the rollout stands.
    for (const replica of replicas) {
      await until('the rollout gauges', async () => {
        const metrics = await (await fetch(`${replica.url}/metrics`)).text();
        return metrics.includes('gateway_rollout_state{migration="movies",state="completed"} 1') &&
          metrics.includes('gateway_rollout_step{migration="movies"} 3')
          ? true
          : undefined;
      });
    }
  });

  it('rolls a new side failing 40 % of requests back within its first step, naming the check', async () => {
    standIn.setBehaviour('failing');
    traffic = startTraffic(() => replicas.map((r) => r.url));
    await admin(replicas[0]!.url, 'POST', '/rollout', {
      steps: [25, 100],
      stepSeconds: 30,
      minRequests: 20,
    });

    const rolledBack = await whenState('rolled_back');

    expect(rolledBack.percent).toBe(0);
    expect(rolledBack.rollout!.reason).toMatch(
      /^rolled back at step 1 of 2 \(25 %\): error rate: the new side failed \d+ of \d+ requests/,
    );
    expect(rolledBack.rollout!.analyses.at(-1)).toMatchObject({ check: 'errorRate', early: true });
  });

  it('rolls a new side five times slower back on the latency check', async () => {
    standIn.setBehaviour('slow');
    traffic = startTraffic(() => replicas.map((r) => r.url));
    await admin(replicas[0]!.url, 'POST', '/rollout', {
      steps: [50, 100],
      stepSeconds: 3,
      minRequests: 10,
      maxLatencyRatio: 3,
    });

    const rolledBack = await whenState('rolled_back');

    expect(rolledBack.rollout!.analyses.at(-1)).toMatchObject({ check: 'latencyRatio' });
    expect(rolledBack.rollout!.reason).toMatch(/latency: the new side's p99/);
  });

  it('extends a step short of traffic, then pauses it', async () => {
    await admin(replicas[0]!.url, 'POST', '/rollout', {
      steps: [25, 100],
      stepSeconds: 1,
      minRequests: 1_000,
      maxExtensions: 2,
    });

    const paused = await whenState('paused');

    expect(paused.rollout!.analyses.map((a) => a.verdict)).toEqual(['extend', 'extend', 'pause']);
    expect(paused.rollout!.reason).toMatch(/^not enough traffic/);
    expect(paused.percent).toBe(25);
  });

  it('refuses a second start and a manual change while one runs (409), and every bad body (400) without writing', async () => {
    const body = { steps: [25, 100], stepSeconds: 60, minRequests: 1_000 };
    expect((await admin(replicas[0]!.url, 'POST', '/rollout', body)).status).toBe(201);
    const audits = await count('SELECT count(*) FROM gateway.migration_audit');
    const rows = await count('SELECT count(*) FROM gateway.migration_rollouts');

    const second = await admin<{ error: string }>(replicas[1]!.url, 'POST', '/rollout', body);
    expect(second.status).toBe(409);
    expect(second.body.error).toMatch(/already running/);
    const manual = await admin<{ error: string }>(replicas[0]!.url, 'PUT', '', { percent: 70 });
    expect(manual.status).toBe(409);
    expect(manual.body.error).toMatch(/rollout/);
    expect((await admin(replicas[0]!.url, 'POST', '/rollout/resume')).status).toBe(409);

    await admin(replicas[0]!.url, 'POST', '/rollout/abort');
    for (const bad of [
      {},
      { steps: [] },
      { steps: [50, 25] },
      { steps: [25], stepSeconds: 0 },
      { steps: [25], maxErrorRate: 2 },
      { steps: [25], maxLatencyRatio: 0 },
      { steps: [25], maxExtensions: 11 },
      { steps: [25], rollbackTo: 25 },
      { steps: [25], fast: true },
    ]) {
      const refused = await admin<{ error: string }>(replicas[0]!.url, 'POST', '/rollout', bad);
      expect([JSON.stringify(bad), refused.status]).toEqual([JSON.stringify(bad), 400]);
      expect(refused.body.error).toEqual(expect.any(String));
    }
    // The abort wrote its audit row and state; the refusals nothing.
    expect(await count('SELECT count(*) FROM gateway.migration_rollouts')).toBe(rows);
    expect(await count('SELECT count(*) FROM gateway.migration_audit')).toBe(audits + 1);
  });

  it('carries on from the same step on another replica when the leader goes away', async () => {
    const leaderOf = async () => {
      for (const replica of replicas) {
        const ready = await fetch(`${replica.url}/ready`).then(
          (r) => r.json() as Promise<{ rolloutLeader: boolean }>,
        );
        if (ready.rolloutLeader) return replica;
      }
      return undefined;
    };
    traffic = startTraffic(() => replicas.map((r) => r.url));
    await admin(replicas[0]!.url, 'POST', '/rollout', {
      steps: [20, 40, 60, 80, 100],
      stepSeconds: 2,
      minRequests: 10,
      maxLatencyRatio: 20,
    });
    await until('the second step', async () =>
      (await view()).rollout!.step >= 1 ? true : undefined,
    );

    const leader = await until('a leader', leaderOf);
    await leader.stop();
    replicas = replicas.filter((replica) => replica !== leader);
    const survivor = replicas[0]!;

    const done = await whenState('completed', survivor.url);
    expect(await leaderOf()).toBe(survivor);
    // Every step promoted exactly once, none skipped.
    expect(
      done.rollout!.analyses.filter((a) => a.verdict === 'promote').map((a) => a.step),
    ).toEqual([0, 1, 2, 3, 4]);
    const audit = await stack.monolith.db.pool.query<{ new_value: string }>(
      "SELECT new_value FROM gateway.migration_audit WHERE actor = 'rollout' ORDER BY id DESC LIMIT 5",
    );
    expect(audit.rows.map((row) => row.new_value).reverse()).toEqual([
      '20',
      '40',
      '60',
      '80',
      '100',
    ]);
  });
});
