import { execFile } from 'node:child_process';
import path from 'node:path';
import { TEST_ADMIN_TOKEN } from '@cinemaabyss/gateway/testing';
import { startStack } from '../support/startStack';
import type { Stack } from '../support/startStack';

const ROOT = path.resolve(__dirname, '../..');
const TSX = path.join(ROOT, 'node_modules/.bin/tsx');

/** `npm run migration -- …` as an operator runs it: the real script in its own process. */
function migration(args: string[], env: Record<string, string>) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(
      TSX,
      [path.join(ROOT, 'scripts/migration.ts'), ...args],
      { cwd: ROOT, env: { ...process.env, ...env }, timeout: 60_000 },
      (err, stdout, stderr) =>
        resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe('npm run migration', () => {
  let stack: Stack;
  let env: Record<string, string>;

  beforeAll(async () => {
    stack = await startStack();
    env = { GATEWAY_URL: stack.gateway.url, ADMIN_TOKEN: TEST_ADMIN_TOKEN, ADMIN_ACTOR: 'carol' };
  });
  afterEach(async () => {
    if (!stack) return;
    // No rollout outlives its test: the dial would be the rollout's, refusing the next test's
    // changes (a 409 here, with nothing to abort, writes nothing).
    await fetch(`${stack.gateway.url}/admin/migrations/movies/rollout/abort`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}`, 'x-admin-actor': 'cleanup' },
    }).then((response) => response.arrayBuffer());
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('sets a migration through the admin API and shows it, with its audit trail', async () => {
    const set = await migration(['set', 'movies', '25'], env);
    expect(set).toMatchObject({ code: 0, stderr: '' });
    expect(set.stdout).toMatch(/^movies is at 25 % \(set by carol at /);
    const moved = await fetch(`${stack.gateway.url}/api/movies?id=1`, {
      headers: { 'x-user-id': 'user-1' },
    });
    expect(moved.headers.get('x-served-by')).toBe('movies');

    const show = await migration(['show'], env);
    expect(show.code).toBe(0);
    expect(show.stdout).toMatch(
      /MIGRATION +PERCENT +SHADOW +NOISE +UPDATED AT +UPDATED BY\nmovies +25 % +0 % +10 % +\S+ +carol\n/,
    );

    const one = await migration(['show', 'movies'], env);
    expect(one.stdout).toMatch(
      /latest changes:\nCHANGED AT +SETTING +FROM +TO +BY +ADDRESS\n\S+ +percent +0 % +25 % +carol +127\.0\.0\.1/,
    );
  });

  it('sets the shadow share, noise share and ignored paths, and lists mismatches, through the admin API', async () => {
    const shadow = await migration(['shadow', 'movies', '100'], env);
    expect(shadow).toMatchObject({ code: 0, stderr: '' });
    expect(shadow.stdout).toMatch(/^movies compares 100 % of its reads with the other side/);
    const ignore = await migration(['ignore', 'movies', '/updated_at', '/*/rating'], env);
    expect(ignore.stdout).toMatch(/ignores \/updated_at \/\*\/rating/);

    const noise = await migration(['noise', 'movies', '25'], env);
    expect(noise).toMatchObject({ code: 0, stderr: '' });
    expect(noise.stdout).toMatch(
      /^movies asks the serving side twice on 25 % of its compared reads/,
    );
    await stack.monolith.db.pool.query(
      `INSERT INTO gateway.migration_noise (migration, route, path, last_seen)
       VALUES ('movies', 'GET /api/movies', '/served_at', now())`,
    );

    const one = await migration(['show', 'movies'], env);
    expect(one.stdout).toMatch(
      /shadow comparison at 100 % since \S+ \(ignored paths: \/updated_at \/\*\/rating; noise learned on 25 %\):\n\d+ compared, \d+ matched, \d+ mismatched, \d+ noisy/,
    );
    expect(one.stdout).toMatch(
      /noisy paths .*:\nLAST SEEN +ROUTE +PATH\n(?:.*\n)*?\S+ +GET \/api\/movies +\/served_at\n/,
    );
    expect(one.stdout).toMatch(/\S+ +noisePercent +10 % +25 % +carol/);
    expect(one.stdout).toMatch(/\S+ +ignorePaths +\[\] +\["\/updated_at","\/\*\/rating"\] +carol/);

    await stack.monolith.db.pool.query(
      `INSERT INTO gateway.migration_mismatches
         (migration, surface, method, path, user_bucket, served_side, served_status, served_ms,
          shadow_status, shadow_ms, differences)
       VALUES ('movies', 'rest', 'GET', '/api/movies?id=7', 1, 'old', 200, 1, 200, 2,
               '[{"path": "/title", "served": "\\"a\\"", "shadow": "\\"b\\""}]')`,
    );
    const mismatches = await migration(['mismatches', 'movies', '5'], env);
    expect(mismatches.stdout).toMatch(
      /AT +REQUEST +SERVED BY +STATUS +DIFFERENCES\n\S+ +GET \/api\/movies\?id=7 +old +200 \/ 200 +\/title: "a" ≠ "b"/,
    );
    // A GraphQL mismatch names its operation and the start of its variables' hash.
    await stack.monolith.db.pool.query(
      `INSERT INTO gateway.migration_mismatches
         (migration, surface, method, operation_name, variables_hash, user_bucket, served_side,
          served_status, served_ms, shadow_status, shadow_ms, differences)
       VALUES ('movies', 'graphql', 'POST', 'TopMovies', 'a3f9c2d41b7e', null, 'new', 200, 1,
               200, 2, '[{"path": "/data/movies/0/rating", "served": "8.1", "shadow": "8"}]')`,
    );
    const graphql = await migration(['mismatches', 'movies', '1'], env);
    expect(graphql.stdout).toMatch(
      /\n\S+ +POST TopMovies #a3f9c2d4 +new +200 \/ 200 +\/data\/movies\/0\/rating: 8\.1 ≠ 8/,
    );

    const cleared = await migration(['ignore', 'movies'], env);
    expect(cleared.stdout).toMatch(/ignores no path/);
    const off = await migration(['shadow', 'movies', '0'], env);
    expect(off.code).toBe(0);
    expect((await migration(['noise', 'movies', '10'], env)).code).toBe(0);
  });

  it('says what went wrong on a wrong token, a refused percent, an unknown migration and no gateway', async () => {
    const wrongToken = await migration(['set', 'movies', '30'], {
      ...env,
      ADMIN_TOKEN: 'not-the-token-0123456789',
    });
    expect(wrongToken.code).toBe(1);
    expect(wrongToken.stderr).toMatch(/refused the admin token \(401\).*Check ADMIN_TOKEN/);

    const outOfRange = await migration(['set', 'movies', '150'], env);
    expect(outOfRange.code).toBe(1);
    expect(outOfRange.stderr).toMatch(
      /refused the request \(400\): percent must be between 0 and 100/,
    );

    const unknown = await migration(['set', 'payments', '10'], env);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/not found \(404\): no migration named "payments"/);

    const nowhere = await migration(['show'], { ...env, GATEWAY_URL: 'http://127.0.0.1:9' });
    expect(nowhere.code).toBe(1);
    expect(nowhere.stderr).toMatch(
      /cannot reach the gateway at http:\/\/127\.0\.0\.1:9: connection refused\. Is it running\?/,
    );

    // Nothing of the above changed the setting.
    const show = await migration(['show'], env);
    expect(show.stdout).toMatch(/movies +25 %/);
  });

  it('answers a usage error with the usage and status 2, calling nothing', async () => {
    for (const args of [
      [],
      ['set', 'movies'],
      ['set', 'movies', 'half'],
      ['noise', 'movies'],
      ['noise', 'movies', 'x'],
      ['drop', 'movies'],
    ]) {
      const result = await migration(args, env);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/usage: npm run migration -- show/);
    }
    const noToken = await migration(['show'], { ...env, ADMIN_TOKEN: '' });
    expect(noToken.code).toBe(2);
    expect(noToken.stderr).toMatch(/ADMIN_TOKEN is not set/);
  });

  it('starts, shows, pauses, resumes and aborts a rollout through the admin API', async () => {
    const before = await migration(['rollout-status', 'movies'], env);
    expect(before).toMatchObject({ code: 0, stderr: '' });
    expect(before.stdout).toBe('movies: no rollout yet; the dial is at 25 %\n');

    // Steps of ten minutes that need a million requests: nothing moves on its own here.
    const flags = ['--steps', '50,75,100', '--step-seconds', '600', '--min-requests=1000000'];
    const start = await migration(
      ['rollout', 'movies', ...flags, '--max-error-rate', '0.02', '--rollback-to', '10'],
      env,
    );
    expect(start).toMatchObject({ code: 0, stderr: '' });
    expect(start.stdout).toMatch(
      /^movies: rollout running at step 1 of 3 \(50 %\); the dial is at 50 %\n/,
    );
    expect(start.stdout).toMatch(
      /\nsteps: +50 → 75 → 100 %, back to 10 % on a rollback or abort\n/,
    );
    expect(start.stdout).toMatch(/\nstarted: +\S+ by carol\n/);
    expect(start.stdout).toMatch(
      /\neach step: +600 s; a side's figures count from 1000000 requests\n/,
    );
    expect(start.stdout).toMatch(
      /\nlimits: +new failure rate 2 %, new p99 1\.5 × old p99, shadow mismatch rate 0\.1 %\n/,
    );
    expect(start.stdout).toMatch(/\n\nno analyses yet\n$/);

    const status = await migration(['rollout-status', 'movies'], env);
    expect(status).toMatchObject({ code: 0, stderr: '' });
    expect(status.stdout).toMatch(/^movies: rollout running at step 1 of 3 \(50 %\)/);

    const second = await migration(['rollout', 'movies', '--steps', '60,100'], env);
    expect(second).toMatchObject({ code: 1, stdout: '' });
    expect(second.stderr).toMatch(
      /^conflict \(409\): a rollout of movies is already running \(started by carol\): abort it first\n/,
    );
    const manual = await migration(['set', 'movies', '70'], env);
    expect(manual.code).toBe(1);
    expect(manual.stderr).toMatch(/^conflict \(409\): a rollout of movies is running/);

    const paused = await migration(['pause', 'movies'], env);
    expect(paused).toMatchObject({ code: 0, stderr: '' });
    expect(paused.stdout).toMatch(/^movies: rollout paused at step 1 of 3 \(50 %\)/);
    expect(paused.stdout).toMatch(/\nreason: +paused by carol\n/);
    const pausedTwice = await migration(['pause', 'movies'], env);
    expect(pausedTwice.code).toBe(1);
    expect(pausedTwice.stderr).toMatch(/conflict \(409\): the rollout of movies is paused/);

    // An analysis as the driver keeps it, shown in the table.
    await stack.monolith.db.pool.query(
      `UPDATE gateway.migration_rollouts SET analyses = $1 WHERE migration = 'movies' AND state = 'paused'`,
      [
        JSON.stringify([
          {
            step: 0,
            percent: 50,
            at: '2030-01-01T00:10:00.000Z',
            verdict: 'extend',
            check: 'traffic',
            reason: 'not enough traffic yet: 420 of the 1000000 requests needed',
            figures: {
              old: { requests: 400, failures: 0, failureRate: 0, p99Ms: 12.5 },
              new: { requests: 420, failures: 3, failureRate: 3 / 420, p99Ms: 14 },
              shadow: { compared: 0, mismatched: 0, mismatchRate: null },
            },
          },
        ]),
      ],
    );
    const analysed = await migration(['rollout-status', 'movies'], env);
    expect(analysed.stdout).toMatch(
      /\nanalyses:\nAT +STEP +VERDICT +CHECK +NEW REQUESTS +NEW FAILURE RATE +NEW P99 +OLD P99 +MISMATCH RATE\n2030-01-01T00:10:00\.000Z +1 \(50 %\) +extend +traffic +420 +0\.71 % +14\.0 ms +12\.5 ms +-\n$/,
    );

    const resumed = await migration(['resume', 'movies'], env);
    expect(resumed).toMatchObject({ code: 0, stderr: '' });
    expect(resumed.stdout).toMatch(/^movies: rollout running at step 1 of 3 \(50 %\)/);
    expect(resumed.stdout).not.toMatch(/\nreason:/);

    const aborted = await migration(['abort', 'movies'], env);
    expect(aborted).toMatchObject({ code: 0, stderr: '' });
    expect(aborted.stdout).toMatch(
      /^movies: rollout aborted at step 1 of 3 \(50 %\); the dial is at 10 %\n/,
    );
    expect(aborted.stdout).toMatch(/\nreason: +aborted by carol at step 1 of 3 \(50 %\)\n/);
    const abortedTwice = await migration(['abort', 'movies'], env);
    expect(abortedTwice.code).toBe(1);
    expect(abortedTwice.stderr).toMatch(
      /conflict \(409\): no rollout of movies is running or paused: nothing to abort/,
    );
    expect((await migration(['show'], env)).stdout).toMatch(/\nmovies +10 %/);
    expect((await migration(['rollout-status', 'movies'], env)).stdout).toMatch(
      /^movies: rollout aborted/,
    );
  });

  it("passes the gateway's refusal of a rollout on, and refuses a malformed flag naming it", async () => {
    const rollouts = async () =>
      Number(
        (await stack.monolith.db.pool.query('SELECT count(*) FROM gateway.migration_rollouts'))
          .rows[0].count,
      );
    const started = await rollouts();

    const decreasing = await migration(['rollout', 'movies', '--steps', '50,25'], env);
    expect(decreasing.code).toBe(1);
    expect(decreasing.stderr).toMatch(
      /^the gateway refused the request \(400\): steps must be strictly increasing/,
    );
    const unknown = await migration(['rollout', 'payments', '--steps', '50'], env);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/not found \(404\): no migration named "payments"/);
    const none = await migration(['rollout-status', 'payments'], env);
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/not found \(404\)/);

    for (const [args, named] of [
      [['rollout', 'movies'], /^--steps is required/],
      [
        ['rollout', 'movies', '--steps', '5,x'],
        /^--steps must be whole-number percentages .*"5,x"/,
      ],
      [
        ['rollout', 'movies', '--steps', '50', '--step-seconds', 'ten'],
        /^--step-seconds must be a whole number, got "ten"/,
      ],
      [
        ['rollout', 'movies', '--steps', '50', '--min-requests', '1e3'],
        /^--min-requests must be a whole number/,
      ],
      [
        ['rollout', 'movies', '--steps', '50', '--max-error-rate=1%'],
        /^--max-error-rate must be a number such as 0\.01, got "1%"/,
      ],
      [['rollout', 'movies', '--steps', '50', '--rollback-to'], /^--rollback-to needs a value/],
      [['rollout', 'movies', '--steps', '50', '--fast', '1'], /^unknown flag --fast/],
      [['rollout', 'movies', '--steps', '50', 'now'], /^unexpected argument "now"/],
      [['rollout', '--steps', '50'], /^usage: /],
      [['rollout-status', 'movies', 'now'], /^usage: /],
      [['pause'], /^usage: /],
    ] as const) {
      const result = await migration([...args], env);
      expect([args, result.code]).toEqual([args, 2]);
      expect(result.stderr).toMatch(named);
      expect(result.stderr).toMatch(/usage: npm run migration -- show/);
    }
    expect(await rollouts()).toBe(started);
  });
});
