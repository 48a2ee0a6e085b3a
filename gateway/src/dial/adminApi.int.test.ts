import { randomBytes } from 'node:crypto';
import { dropDatabase, withDatabaseName } from '@cinemaabyss/shared/db';
import {
  TEST_SERVER_ENV,
  createMemoryLogger,
  createTestDatabase,
  sendJson,
} from '@cinemaabyss/shared/testing';
import type { TestDatabase } from '@cinemaabyss/shared/testing';
import { LATENCY_BUCKETS_MS } from '../figures/figuresRecorder';
import type { FiguresRow } from '../figures/figuresRecorder';
import { createFiguresStore } from '../figures/figuresStore';
import { TEST_ADMIN_TOKEN, setMigrationPercent, startGateway } from '../testing/startGateway';
import type { RunningGateway } from '../testing/startGateway';
import { MAX_AUDIT_LIMIT, MAX_METRICS_MINUTES } from './adminApi';
import type { MigrationChange, MigrationSetting } from './migrationStore';
import { SEED_ACTOR } from './seedMigrations';

const AUTH = { authorization: `Bearer ${TEST_ADMIN_TOKEN}` };
const MOVIES = '/admin/migrations/movies';

/** What the dial's tables hold: every error case must leave all three unchanged. */
async function dialRows(db: TestDatabase) {
  const { rows } = await db.pool.query<{ migrations: number; audit: number; percent: number }>(
    `SELECT (SELECT count(*) FROM gateway.migrations) AS migrations,
            (SELECT count(*) FROM gateway.migration_audit) AS audit,
            (SELECT percent FROM gateway.migrations WHERE name = 'movies') AS percent`,
  );
  return rows[0];
}

describe('the admin API of the migration dial', () => {
  let db: TestDatabase;
  let gateway: RunningGateway;
  const logs = createMemoryLogger({ name: 'gateway' });

  beforeAll(async () => {
    db = await createTestDatabase();
    gateway = await startGateway(
      {
        dbConnectionString: db.connectionString,
        adminToken: TEST_ADMIN_TOKEN,
        gradualMigration: true,
        moviesMigrationPercent: 10,
      },
      { logger: logs.logger },
    );
  });
  afterAll(async () => {
    await gateway?.stop();
    await db?.drop();
  });

  it('lists the movies migration as seeded from the environment at first start, audited', async () => {
    const list = await sendJson<MigrationSetting[]>(`${gateway.url}/admin/migrations`, {
      headers: AUTH,
    });
    expect(list.status).toBe(200);
    expect(list.body).toEqual([
      {
        name: 'movies',
        percent: 10,
        shadowPercent: 0,
        noisePercent: 10,
        ignorePaths: [],
        shadowSince: expect.any(String),
        updatedAt: expect.any(String),
        updatedBy: SEED_ACTOR,
      },
    ]);
    expect(Date.parse(list.body[0]?.updatedAt ?? '')).toBeGreaterThan(Date.now() - 120_000);
    const one = await sendJson(`${gateway.url}${MOVIES}`, { headers: AUTH });
    // One migration's answer adds its shadow results, summed over the fleet, and its noise (none yet).
    expect(one.body).toEqual({
      ...list.body[0],
      shadow: {
        compared: 0,
        matched: 0,
        mismatched: 0,
        noise: 0,
        skipped: 0,
        errors: 0,
        since: list.body[0]?.shadowSince,
      },
      noise: [],
      // No rollout yet.
      rollout: null,
    });
    const audit = await sendJson<MigrationChange[]>(`${gateway.url}${MOVIES}/audit`, {
      headers: AUTH,
    });
    expect(audit.body).toEqual([
      expect.objectContaining({
        actor: SEED_ACTOR,
        address: null,
        oldPercent: null,
        newPercent: 10,
      }),
    ]);
  });

  it('changes the percentage, answers the new state and writes one audit row per change', async () => {
    const before = await dialRows(db);
    const put = await sendJson<MigrationSetting>(`${gateway.url}${MOVIES}`, {
      method: 'PUT',
      headers: { ...AUTH, 'x-admin-actor': 'alice@ops' },
      body: { percent: 25 },
    });
    expect(put.status).toBe(200);
    expect(put.body).toEqual({
      name: 'movies',
      percent: 25,
      shadowPercent: 0,
      noisePercent: 10,
      ignorePaths: [],
      shadowSince: expect.any(String),
      updatedAt: expect.any(String),
      updatedBy: 'alice@ops',
    });
    await setMigrationPercent(gateway.url, 'movies', 40, { actor: 'bob' });
    // No actor header: the audit says "admin".
    const anonymous = await sendJson(`${gateway.url}${MOVIES}`, {
      method: 'PUT',
      headers: AUTH,
      body: { percent: 45 },
    });
    expect(anonymous.status).toBe(200);
    expect(await dialRows(db)).toEqual({ ...before, audit: before!.audit + 3, percent: 45 });
    const changes = logs.lines.filter((line) => line.msg === 'migration dial changed');
    expect(changes.map(({ actor, from, to }) => ({ actor, from, to }))).toEqual([
      { actor: 'alice@ops', from: 10, to: 25 },
      { actor: 'bob', from: 25, to: 40 },
      { actor: 'admin', from: 40, to: 45 },
    ]);

    const audit = await sendJson<MigrationChange[]>(`${gateway.url}${MOVIES}/audit?limit=3`, {
      headers: AUTH,
    });
    expect(audit.status).toBe(200);
    expect(
      audit.body.map(({ actor, oldPercent, newPercent }) => [actor, oldPercent, newPercent]),
    ).toEqual([
      ['admin', 40, 45],
      ['bob', 25, 40],
      ['alice@ops', 10, 25],
    ]);
    expect(audit.body[0]).toMatchObject({ migration: 'movies', address: '127.0.0.1' });
    const newestFirst = audit.body.map((change) => change.id);
    expect([...newestFirst].sort((a, b) => b - a)).toEqual(newestFirst);
  });

  it('changes the shadow share and ignored paths, auditing each field, and restarts the shadow results', async () => {
    const before = (await sendJson<MigrationSetting>(`${gateway.url}${MOVIES}`, { headers: AUTH }))
      .body;
    const put = await sendJson<MigrationSetting>(`${gateway.url}${MOVIES}`, {
      method: 'PUT',
      headers: { ...AUTH, 'x-admin-actor': 'carol' },
      body: { shadowPercent: 20, ignorePaths: ['/updated_at', '/*/rating'] },
    });

    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({
      percent: before.percent,
      shadowPercent: 20,
      ignorePaths: ['/updated_at', '/*/rating'],
    });
    expect(Date.parse(put.body.shadowSince)).toBeGreaterThan(Date.parse(before.shadowSince));
    const audit = await sendJson<MigrationChange[]>(`${gateway.url}${MOVIES}/audit?limit=2`, {
      headers: AUTH,
    });
    expect(
      audit.body.map(({ actor, field, oldValue, newValue, oldPercent, newPercent }) => ({
        actor,
        field,
        oldValue,
        newValue,
        oldPercent,
        newPercent,
      })),
    ).toEqual([
      {
        actor: 'carol',
        field: 'ignorePaths',
        oldValue: '[]',
        newValue: '["/updated_at","/*/rating"]',
        oldPercent: null,
        newPercent: null,
      },
      {
        actor: 'carol',
        field: 'shadowPercent',
        oldValue: '0',
        newValue: '20',
        oldPercent: null,
        newPercent: null,
      },
    ]);
    // The same values again: nothing changes, nothing is recorded.
    const rowsBefore = await dialRows(db);
    await sendJson(`${gateway.url}${MOVIES}`, {
      method: 'PUT',
      headers: AUTH,
      body: { shadowPercent: 20 },
    });
    expect(await dialRows(db)).toEqual(rowsBefore);
  });

  it('changes the noise share, auditing it, and restarts the shadow results', async () => {
    const before = (await sendJson<MigrationSetting>(`${gateway.url}${MOVIES}`, { headers: AUTH }))
      .body;
    expect(before.noisePercent).toBe(10);
    const put = await sendJson<MigrationSetting>(`${gateway.url}${MOVIES}`, {
      method: 'PUT',
      headers: { ...AUTH, 'x-admin-actor': 'dave' },
      body: { noisePercent: 25 },
    });

    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({
      percent: before.percent,
      shadowPercent: before.shadowPercent,
      noisePercent: 25,
      updatedBy: 'dave',
    });
    expect(Date.parse(put.body.shadowSince)).toBeGreaterThan(Date.parse(before.shadowSince));
    const audit = await sendJson<MigrationChange[]>(`${gateway.url}${MOVIES}/audit?limit=1`, {
      headers: AUTH,
    });
    expect(audit.body).toEqual([
      expect.objectContaining({
        actor: 'dave',
        field: 'noisePercent',
        oldValue: '10',
        newValue: '25',
        oldPercent: null,
        newPercent: null,
      }),
    ]);
    expect(logs.lines.filter((line) => line.msg === 'migration dial changed').at(-1)).toMatchObject(
      {
        actor: 'dave',
        noisePercent: 25,
      },
    );
    // The same value again: nothing changes, nothing is recorded.
    const rowsBefore = await dialRows(db);
    const again = await sendJson<MigrationSetting>(`${gateway.url}${MOVIES}`, {
      method: 'PUT',
      headers: AUTH,
      body: { noisePercent: 25 },
    });
    expect(again.body.shadowSince).toBe(put.body.shadowSince);
    expect(await dialRows(db)).toEqual(rowsBefore);
  });

  it('shows the fleet’s unexpired noise marks, newest first', async () => {
    await db.pool.query(
      `INSERT INTO gateway.migration_noise (migration, route, path, last_seen)
       VALUES ('movies', 'GET /api/movies', '/updated_at', now() - interval '1 minute'),
              ('movies', 'POST /graphql TopMovies', '/data/movies/*/rating', now()),
              -- ten minutes after its last noisy pair, a mark has expired
              ('movies', 'GET /api/movies', '/served_at', now() - interval '11 minutes')`,
    );

    const one = await sendJson<{ noise: Array<{ path: string; route: string; lastSeen: string }> }>(
      `${gateway.url}${MOVIES}`,
      { headers: AUTH },
    );

    expect(one.status).toBe(200);
    expect(one.body.noise).toEqual([
      {
        path: '/data/movies/*/rating',
        route: 'POST /graphql TopMovies',
        lastSeen: expect.any(String),
      },
      { path: '/updated_at', route: 'GET /api/movies', lastSeen: expect.any(String) },
    ]);
    expect(Date.parse(one.body.noise[0]?.lastSeen ?? '')).toBeGreaterThan(Date.now() - 60_000);
    await db.pool.query('DELETE FROM gateway.migration_noise');
  });

  it('sums the shadow results of every replica since the shadow settings changed', async () => {
    const setting = (await sendJson<MigrationSetting>(`${gateway.url}${MOVIES}`, { headers: AUTH }))
      .body;
    const since = new Date(setting.shadowSince);
    const zeros = `'{0,0,0,0,0,0,0,0,0,0,0}'`;
    await db.pool.query(
      `INSERT INTO gateway.migration_figures
         (replica, migration, side, surface, window_start, window_seconds, latency_counts,
          shadow_match, shadow_mismatch, shadow_error, shadow_skipped, shadow_noise)
       VALUES ('replica-a', 'movies', 'new', 'rest', $1, 10, ${zeros}, 5, 1, 2, 0, 3),
              ('replica-b', 'movies', 'new', 'graphql', $1, 10, ${zeros}, 3, 1, 0, 4, 1),
              -- before the settings changed: not counted
              ('replica-a', 'movies', 'new', 'rest', $2, 10, ${zeros}, 100, 100, 100, 100, 100)`,
      [new Date(since.getTime() + 10_000), new Date(since.getTime() - 60_000)],
    );

    const one = await sendJson<{ shadow: unknown }>(`${gateway.url}${MOVIES}`, { headers: AUTH });

    // Noisy comparisons were compared, but are neither matches nor mismatches.
    expect(one.body.shadow).toEqual({
      compared: 14,
      matched: 8,
      mismatched: 2,
      noise: 4,
      skipped: 4,
      errors: 2,
      since: setting.shadowSince,
    });
    await db.pool.query('DELETE FROM gateway.migration_figures');
  });

  it('answers the fleet’s figures per side and window over the last ?minutes=, p99 from summed buckets', async () => {
    const latency = (counts: Record<number, number>) => {
      const latencyCounts = new Array<number>(LATENCY_BUCKETS_MS.length + 1).fill(0);
      for (const [bucket, count] of Object.entries(counts)) latencyCounts[Number(bucket)] = count;
      return latencyCounts;
    };
    const first = new Date(Math.floor(Date.now() / 10_000) * 10_000 - 60_000);
    const second = new Date(first.getTime() + 10_000);
    const noShadow = { match: 0, mismatch: 0, error: 0, skipped: 0, noise: 0 };
    const row = (overrides: Partial<FiguresRow>): FiguresRow => ({
      migration: 'movies',
      side: 'new',
      surface: 'rest',
      windowStart: first,
      windowSeconds: 10,
      requests: 0,
      failures: 0,
      latencyCounts: latency({}),
      shadow: noShadow,
      ...overrides,
    });
    const figures = createFiguresStore(db.pool);
    await figures.add('replica-a', [
      row({ side: 'old', requests: 20, latencyCounts: latency({ 1: 20 }) }),
      row({
        requests: 8,
        failures: 1,
        latencyCounts: latency({ 2: 8 }),
        shadow: { ...noShadow, match: 3, mismatch: 1, noise: 2 },
      }),
      // Only shadowed in this window: nothing served.
      row({ windowStart: second, shadow: { ...noShadow, match: 2, skipped: 1 } }),
      // 20 minutes ago: outside the default 15.
      row({ windowStart: new Date(first.getTime() - 19 * 60_000), requests: 100 }),
    ]);
    await figures.add('replica-b', [
      row({
        surface: 'graphql',
        requests: 2,
        failures: 1,
        latencyCounts: latency({ 3: 2 }),
        shadow: { ...noShadow, match: 1 },
      }),
    ]);

    const metrics = await sendJson<{ from: string; to: string }>(
      `${gateway.url}${MOVIES}/metrics`,
      {
        headers: AUTH,
      },
    );

    expect(metrics.status).toBe(200);
    expect(metrics.body).toEqual({
      migration: 'movies',
      minutes: 15,
      windowSeconds: 10,
      from: expect.any(String),
      to: expect.any(String),
      sides: {
        old: [
          {
            windowStart: first.toISOString(),
            requests: 20,
            requestsPerSecond: 2,
            failureRate: 0,
            // Rank 19.8 of 20 in (5, 10] ms.
            p99Ms: expect.closeTo(9.95, 10),
            shadowMatchRate: null,
          },
        ],
        new: [
          {
            windowStart: first.toISOString(),
            requests: 10,
            requestsPerSecond: 1,
            failureRate: 0.2,
            // Both replicas' buckets summed: rank 9.9 of 10 is 1.9 of 2 into (25, 50] ms.
            p99Ms: expect.closeTo(48.75, 10),
            shadowMatchRate: 0.8,
          },
          {
            windowStart: second.toISOString(),
            requests: 0,
            requestsPerSecond: 0,
            failureRate: null,
            p99Ms: null,
            shadowMatchRate: 1,
          },
        ],
      },
    });
    expect(Date.parse(metrics.body.to) - Date.parse(metrics.body.from)).toBe(15 * 60_000);
    expect(Date.parse(metrics.body.to)).toBeGreaterThan(Date.now() - 60_000);

    const longer = await sendJson<{ minutes: number; sides: { new: unknown[] } }>(
      `${gateway.url}${MOVIES}/metrics?minutes=30`,
      { headers: AUTH },
    );
    expect(longer.body.minutes).toBe(30);
    expect(longer.body.sides.new).toHaveLength(3);
    expect(longer.body.sides.new[0]).toMatchObject({ requests: 100, p99Ms: null });
    await db.pool.query('DELETE FROM gateway.migration_figures');

    const none = await sendJson(`${gateway.url}${MOVIES}/metrics?minutes=1`, { headers: AUTH });
    expect(none.body).toMatchObject({ minutes: 1, sides: { old: [], new: [] } });
    const day = await sendJson(`${gateway.url}${MOVIES}/metrics?minutes=${MAX_METRICS_MINUTES}`, {
      headers: AUTH,
    });
    expect(day.body).toMatchObject({ minutes: 1440 });
  });

  it.each(['0', String(MAX_METRICS_MINUTES + 1), 'ten', '-5', '2.5', ''])(
    'answers 400 to a metrics ?minutes=%p, naming the parameter',
    async (minutes) => {
      const response = await sendJson(`${gateway.url}${MOVIES}/metrics?minutes=${minutes}`, {
        headers: AUTH,
      });
      expect(response.status).toBe(400);
      expect(response.body).toEqual({
        error: 'query parameter minutes must be an integer between 1 and 1440',
      });
    },
  );

  it('answers the newest mismatches first, bounded by ?limit=, 400 to a bad limit', async () => {
    await db.pool.query(
      `INSERT INTO gateway.migration_mismatches
         (migration, surface, method, path, user_bucket, served_side, served_status, served_ms,
          shadow_status, shadow_ms, differences)
       SELECT 'movies', 'rest', 'GET', '/api/movies?id=' || n, 3, 'old', 200, 1.5, 200, 2.5,
              '[{"path": "/title", "served": "\\"a\\"", "shadow": "\\"b\\""}]'
         FROM generate_series(1, 3) AS n`,
    );

    const two = await sendJson<Array<{ request: { path: string } }>>(
      `${gateway.url}${MOVIES}/mismatches?limit=2`,
      { headers: AUTH },
    );

    expect(two.status).toBe(200);
    expect(two.body.map((m) => m.request.path)).toEqual(['/api/movies?id=3', '/api/movies?id=2']);
    expect(two.body[0]).toEqual({
      at: expect.any(String),
      surface: 'rest',
      request: { method: 'GET', path: '/api/movies?id=3', userBucket: 3, servedSide: 'old' },
      status: { served: 200, shadow: 200 },
      latencyMs: { served: 1.5, shadow: 2.5 },
      differences: [{ path: '/title', served: '"a"', shadow: '"b"' }],
    });
    for (const limit of ['0', '1001', 'x']) {
      const bad = await sendJson(`${gateway.url}${MOVIES}/mismatches?limit=${limit}`, {
        headers: AUTH,
      });
      expect(bad.status).toBe(400);
      expect(bad.body).toEqual({
        error: expect.stringMatching(/limit must be an integer between 1 and 1000/),
      });
    }
    const unknown = await sendJson(`${gateway.url}/admin/migrations/nope/mismatches`, {
      headers: AUTH,
    });
    expect(unknown.status).toBe(404);
  });

  it('answers a GraphQL mismatch with its operation and variables hash in place of a path', async () => {
    await db.pool.query(
      `INSERT INTO gateway.migration_mismatches
         (migration, surface, method, operation_name, variables_hash, user_bucket, served_side,
          served_status, served_ms, shadow_status, shadow_ms, differences)
       VALUES ('movies', 'graphql', 'POST', 'TopMovies', 'a3f9c2d41b7e', null, 'new', 200, 4, 200,
               6, '[{"path": "/data/movies/0/rating", "served": "8.1", "shadow": "8"}]')`,
    );

    const newest = await sendJson<unknown[]>(`${gateway.url}${MOVIES}/mismatches?limit=1`, {
      headers: AUTH,
    });

    expect(newest.body).toEqual([
      {
        at: expect.any(String),
        surface: 'graphql',
        request: {
          method: 'POST',
          operationName: 'TopMovies',
          variablesHash: 'a3f9c2d41b7e',
          userBucket: null,
          servedSide: 'new',
        },
        status: { served: 200, shadow: 200 },
        latencyMs: { served: 4, shadow: 6 },
        differences: [{ path: '/data/movies/0/rating', served: '8.1', shadow: '8' }],
      },
    ]);
  });

  it('records nothing when the percentage is set to its current value', async () => {
    const current = (await dialRows(db))!;
    const same = await sendJson<MigrationSetting>(`${gateway.url}${MOVIES}`, {
      method: 'PUT',
      headers: AUTH,
      body: { percent: current.percent },
    });
    expect(same.status).toBe(200);
    expect(same.body.percent).toBe(current.percent);
    expect(await dialRows(db)).toEqual(current);
  });

  it.each([
    ['no Authorization header', {}],
    ['a wrong token', { authorization: 'Bearer not-the-admin-token-at-all' }],
    ['the token without the Bearer scheme', { authorization: TEST_ADMIN_TOKEN }],
    ['the token as Basic credentials', { authorization: `Basic ${TEST_ADMIN_TOKEN}` }],
  ])('answers 401 to %s, on every path, and writes nothing', async (_case, headers) => {
    const before = await dialRows(db);
    for (const [method, path] of [
      ['GET', '/admin/migrations'],
      ['GET', `${MOVIES}/audit`],
      ['GET', `${MOVIES}/metrics`],
      ['PUT', MOVIES],
      ['GET', '/admin/anything'],
    ] as const) {
      const response = await sendJson(`${gateway.url}${path}`, {
        method,
        headers,
        body: method === 'PUT' ? { percent: 99 } : undefined,
      });
      expect(response.status).toBe(401);
      expect(response.body).toEqual({ error: expect.stringMatching(/admin token/) });
      expect(response.headers.get('www-authenticate')).toMatch(/^Bearer/);
    }
    expect(await dialRows(db)).toEqual(before);
  });

  it.each([
    ['a percent above 100', { percent: 101 }, /percent must be between 0 and 100/],
    ['a negative percent', { percent: -1 }, /percent must be between 0 and 100/],
    ['a fractional percent', { percent: 12.5 }, /percent must be an integer/],
    ['a percent as a string', { percent: '25' }, /percent must be an integer/],
    ['a null percent', { percent: null }, /percent is required/],
    [
      'no setting at all',
      {},
      /request body must set at least one of percent, shadowPercent, noisePercent, ignorePaths/,
    ],
    ['a shadow share above 100', { shadowPercent: 101 }, /shadowPercent must be between 0 and 100/],
    ['a shadow share as a string', { shadowPercent: '5' }, /shadowPercent must be an integer/],
    ['a negative noise share', { noisePercent: -1 }, /noisePercent must be between 0 and 100/],
    ['a noise share above 100', { noisePercent: 101 }, /noisePercent must be between 0 and 100/],
    ['a fractional noise share', { noisePercent: 1.5 }, /noisePercent must be an integer/],
    ['a noise share as a string', { noisePercent: 'x' }, /noisePercent must be an integer/],
    ['ignorePaths not an array', { ignorePaths: '/title' }, /ignorePaths must be an array/],
    ['an ignore path without a slash', { ignorePaths: ['title'] }, /ignorePaths entry "title"/],
    ['an empty ignore path segment', { ignorePaths: ['/a//b'] }, /ignorePaths entry "\/a\/\/b"/],
    [
      'too many ignore paths',
      { ignorePaths: Array.from({ length: 51 }, (_, i) => `/f${i}`) },
      /at most 50 entries/,
    ],
    [
      'a good field beside a bad one',
      { percent: 30, shadowPercent: -1 },
      /shadowPercent must be between 0 and 100/,
    ],
    ['an unknown field', { percent: 25, paused: true }, /unknown field "paused"/],
    ['an array', [25], /request body must be a JSON object/],
    ['malformed JSON', '{"percent": 2', /malformed JSON/],
  ])('answers 400 to %s, naming it, and writes nothing', async (_case, body, message) => {
    const before = await dialRows(db);
    const response = await sendJson(`${gateway.url}${MOVIES}`, {
      method: 'PUT',
      headers: AUTH,
      body,
    });
    expect(response.status).toBe(400);
    expect(response.body).toEqual({ error: expect.stringMatching(message) });
    expect(await dialRows(db)).toEqual(before);
  });

  it.each([
    ['a form body', 'application/x-www-form-urlencoded', 'percent=25'],
    ['a text body', 'text/plain', '{"percent": 25}'],
    ['no content type', undefined, '{"percent": 25}'],
  ])('answers 400 to %s, naming Content-Type, and writes nothing', async (_case, type, body) => {
    const before = await dialRows(db);
    const response = await fetch(`${gateway.url}${MOVIES}`, {
      method: 'PUT',
      headers: { ...AUTH, ...(type && { 'content-type': type }) },
      body: type ? body : new Blob([body]),
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: 'Content-Type must be application/json' });
    expect(await dialRows(db)).toEqual(before);
  });

  it('answers 413 to a body over the admin API’s 4 KiB, naming that limit', async () => {
    const before = await dialRows(db);
    const response = await sendJson(`${gateway.url}${MOVIES}`, {
      method: 'PUT',
      headers: AUTH,
      body: { percent: 30, padding: 'x'.repeat(5_000) },
    });
    expect(response.status).toBe(413);
    expect(response.body).toEqual({
      error: 'request body is larger than the limit of 4096 bytes',
    });
    expect(await dialRows(db)).toEqual(before);
  });

  it('answers 400 to a PUT without a body and to an unprintable X-Admin-Actor', async () => {
    const before = await dialRows(db);
    const empty = await sendJson(`${gateway.url}${MOVIES}`, { method: 'PUT', headers: AUTH });
    expect(empty.status).toBe(400);
    expect(empty.body).toEqual({ error: 'request body must be a JSON object' });
    const actor = await sendJson(`${gateway.url}${MOVIES}`, {
      method: 'PUT',
      headers: { ...AUTH, 'x-admin-actor': 'x'.repeat(101) },
      body: { percent: 30 },
    });
    expect(actor.status).toBe(400);
    expect(actor.body).toEqual({ error: expect.stringMatching(/X-Admin-Actor/) });
    expect(await dialRows(db)).toEqual(before);
  });

  it('answers 404 to an unknown migration and an unknown admin path, 405 to another method', async () => {
    const before = await dialRows(db);
    const unknown = await sendJson(`${gateway.url}/admin/migrations/payments`, {
      method: 'PUT',
      headers: AUTH,
      body: { percent: 10 },
    });
    expect(unknown.status).toBe(404);
    expect(unknown.body).toEqual({ error: 'no migration named "payments"' });
    // Names the table could never hold (a NUL would reach PostgreSQL as an error) are unknown too.
    for (const name of ['%00', 'Movies', 'a'.repeat(80)]) {
      const get = await sendJson(`${gateway.url}/admin/migrations/${name}`, { headers: AUTH });
      expect(get.status).toBe(404);
      const put = await sendJson(`${gateway.url}/admin/migrations/${name}`, {
        method: 'PUT',
        headers: AUTH,
        body: { percent: 10 },
      });
      expect(put.status).toBe(404);
      expect(put.body).toEqual({ error: expect.stringMatching(/^no migration named /) });
    }
    for (const path of [
      '/admin/migrations/payments',
      '/admin/migrations/payments/audit',
      '/admin/migrations/payments/metrics',
      '/admin/migrations/Movies/metrics?minutes=5',
    ]) {
      const response = await sendJson(`${gateway.url}${path}`, { headers: AUTH });
      expect(response.status).toBe(404);
      expect(response.body).toEqual({ error: expect.stringMatching(/^no migration named /) });
    }
    const elsewhere = await sendJson(`${gateway.url}/admin/api/movies`, { headers: AUTH });
    expect(elsewhere.status).toBe(404);
    expect(elsewhere.body).toEqual({ error: expect.stringMatching(/no route/) });
    const remove = await sendJson(`${gateway.url}${MOVIES}`, { method: 'DELETE', headers: AUTH });
    expect(remove.status).toBe(405);
    expect(remove.headers.get('allow')).toBe('GET, PUT, HEAD');
    expect(await dialRows(db)).toEqual(before);
  });

  it.each(['0', String(MAX_AUDIT_LIMIT + 1), 'ten', '-5', '2.5'])(
    'answers 400 to an audit ?limit=%s, naming the parameter',
    async (limit) => {
      const response = await sendJson(`${gateway.url}${MOVIES}/audit?limit=${limit}`, {
        headers: AUTH,
      });
      expect(response.status).toBe(400);
      expect(response.body).toEqual({ error: expect.stringMatching(/query parameter limit/) });
    },
  );

  it('keeps the audit table append-only, even for the gateway’s own credentials', async () => {
    await expect(
      db.pool.query('UPDATE gateway.migration_audit SET actor = $1', ['x']),
    ).rejects.toThrow(/append-only/);
    await expect(db.pool.query('DELETE FROM gateway.migration_audit')).rejects.toThrow(
      /append-only/,
    );
  });

  it('keeps the stored setting across a restart: the environment only seeds a missing one', async () => {
    await setMigrationPercent(gateway.url, 'movies', 35);
    await gateway.stop();
    gateway = await startGateway({
      dbConnectionString: db.connectionString,
      adminToken: TEST_ADMIN_TOKEN,
      gradualMigration: true,
      moviesMigrationPercent: 90,
    });
    const after = await sendJson<MigrationSetting>(`${gateway.url}${MOVIES}`, { headers: AUTH });
    expect(after.body).toMatchObject({ percent: 35, updatedBy: 'tests' });
  });
});

describe('the admin API without ADMIN_TOKEN', () => {
  it('is off: every /admin path answers 404, nothing is written', async () => {
    const db = await createTestDatabase();
    const gateway = await startGateway({ dbConnectionString: db.connectionString });
    try {
      const before = await dialRows(db);
      for (const [method, path] of [
        ['GET', '/admin/migrations'],
        ['PUT', MOVIES],
        ['GET', '/admin'],
      ] as const) {
        const response = await sendJson(`${gateway.url}${path}`, {
          method,
          headers: AUTH,
          body: method === 'PUT' ? { percent: 50 } : undefined,
        });
        expect(response.status).toBe(404);
        expect(response.body).toEqual({ error: expect.stringMatching(/admin API is off/) });
      }
      expect(await dialRows(db)).toEqual(before);
    } finally {
      await gateway.stop();
      await db.drop();
    }
  });
});

describe("the gateway's own database tables", () => {
  it('are created by the gateway in an empty database, and GRADUAL_MIGRATION=false seeds 0 %', async () => {
    const server = process.env[TEST_SERVER_ENV] as string;
    const url = withDatabaseName(server, `cinemaabyss_gw_${randomBytes(4).toString('hex')}`);
    const gateway = await startGateway({
      dbConnectionString: url,
      adminToken: TEST_ADMIN_TOKEN,
      gradualMigration: false,
      moviesMigrationPercent: 80,
    });
    try {
      const movies = await sendJson<MigrationSetting>(`${gateway.url}${MOVIES}`, {
        headers: AUTH,
      });
      expect(movies.body).toMatchObject({ percent: 0, updatedBy: SEED_ACTOR });
    } finally {
      await gateway.stop();
      await dropDatabase(url);
    }
  });
});
