import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Browser, Locator, Page } from 'playwright-core';
import { TEST_ADMIN_TOKEN } from '@cinemaabyss/gateway/testing';
import { launchChromium } from '../../test/chromium';
import { startStack } from '../support/startStack';
import type { Stack } from '../support/startStack';

/**
 * The movies service behind a stand-in: movie 1 gets another title (a shadow mismatch), and it
 * can fail 40 % of requests (a rollout to roll back).
 */
async function startStandIn() {
  let target = '';
  let failing = false;
  let served = 0;
  const server: Server = createServer((request: IncomingMessage, response: ServerResponse) => {
    served += 1;
    void (async () => {
      if (failing && served % 5 < 2) {
        response.writeHead(503, { 'content-type': 'application/json' }).end('{"error":"down"}');
        return;
      }
      const real = await fetch(`${target}${request.url}`, { signal: AbortSignal.timeout(5_000) });
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
    setTarget: (url: string) => (target = url),
    setFailing: (value: boolean) => (failing = value),
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const SCREENSHOTS = path.resolve(__dirname, '../../docs/images');

/** Until the element's text satisfies `expected` (a string or a pattern). */
async function untilText(locator: Locator, expected: string | RegExp, timeoutMs = 15_000) {
  let last: string | null = null;
  for (const started = Date.now(); Date.now() - started < timeoutMs; await sleep(100)) {
    last = await locator.textContent({ timeout: timeoutMs }).catch(() => null);
    if (last !== null && (typeof expected === 'string' ? last === expected : expected.test(last))) {
      return last;
    }
  }
  throw new Error(`gave up waiting for ${String(expected)}; the text was ${JSON.stringify(last)}`);
}

describe('the migration status page at /admin, in a real browser', () => {
  let stack: Stack;
  let standIn: Awaited<ReturnType<typeof startStandIn>>;
  let browser: Browser;
  let page: Page;
  const problems: string[] = [];
  const movies = () => page.getByTestId('migration-movies');
  const api = (pathname: string, init: RequestInit = {}) =>
    fetch(`${stack.gateway.url}/admin/migrations/movies${pathname}`, {
      ...init,
      headers: {
        authorization: `Bearer ${TEST_ADMIN_TOKEN}`,
        'content-type': 'application/json',
        ...init.headers,
      },
    });
  const sql = (text: string, values: unknown[] = []) => stack.monolith.db.pool.query(text, values);

  async function signIn(token = TEST_ADMIN_TOKEN) {
    await page.getByLabel('Admin token').fill(token);
    await page.getByRole('button', { name: 'Sign in' }).click();
  }

  beforeAll(async () => {
    standIn = await startStandIn();
    stack = await startStack({
      moviesServiceUrl: standIn.url,
      figuresWindowMs: 1_000,
      figuresFlushMs: 200,
      rolloutTickMs: 200,
    });
    standIn.setTarget(stack.movies.url);
    browser = await launchChromium("the status page's browser test");
    page = await browser.newPage({ viewport: { width: 1400, height: 1600 } });
    // CSP violations and script errors show up as console errors; Chromium also logs every
    // refused API call (the wrong token's 401, a 409), which the page shows as it should.
    page.on('console', (message) => {
      if (message.type() === 'error' && !message.text().startsWith('Failed to load resource:')) {
        problems.push(message.text());
      }
    });
    page.on('pageerror', (error) => problems.push(error.message));
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
    await standIn?.stop();
  });

  it('asks for the token, refuses a wrong one, and shows movies at its percent once signed in', async () => {
    const response = await page.goto(`${stack.gateway.url}/admin`);
    expect(response?.headers()['content-security-policy']).toContain("frame-ancestors 'none'");

    await signIn('a-wrong-token-0123456789');
    await untilText(page.getByRole('alert'), /refused/);

    await signIn();
    await movies().getByTestId('percent').waitFor();
    const percent = (await sql("SELECT percent FROM gateway.migrations WHERE name = 'movies'"))
      .rows[0].percent as number;
    await untilText(movies().getByTestId('percent'), `${percent} %`);
    // The token stays in sessionStorage, never in the URL.
    expect(page.url()).not.toContain(TEST_ADMIN_TOKEN);
    expect(problems).toEqual([]);
  });

  it('changes the percent through the admin API, audited with the actor typed on the page', async () => {
    await page.getByLabel('Your name (for the audit log)').fill('page-operator');
    await movies().getByLabel('New side percent').fill('30');
    await movies().getByRole('button', { name: 'Apply' }).click();
    await page.getByRole('dialog', { name: 'Confirm percent change' }).waitFor();
    await page.getByRole('button', { name: 'Confirm' }).click();

    await untilText(movies().getByTestId('percent'), '30 %');
    const setting = (await (await api('')).json()) as { percent: number; updatedBy: string };
    expect(setting).toMatchObject({ percent: 30, updatedBy: 'page-operator' });
    const audit = await sql(
      "SELECT actor, new_value FROM gateway.migration_audit WHERE migration = 'movies' ORDER BY id DESC LIMIT 1",
    );
    expect(audit.rows[0]).toEqual({ actor: 'page-operator', new_value: '30' });
    await movies().getByTestId('audit').getByText('page-operator').first().waitFor();
  });

  it('shows a mismatch recorded by shadowing with its differing path, side by side', async () => {
    await api('', { method: 'PUT', body: JSON.stringify({ percent: 0, shadowPercent: 100 }) });
    await sleep(1_100);
    await fetch(`${stack.gateway.url}/api/movies?id=1`, {
      headers: { 'x-user-id': 'status-page-user' },
    }).then((r) => r.arrayBuffer());

    await untilText(movies().getByTestId('mismatch-path').first(), '/title');
    await untilText(movies().getByTestId('mismatches'), /Not The Real Title/);
    await page.screenshot({
      path: path.join(SCREENSHOTS, 'status-page-mismatch.png'),
      fullPage: true,
    });
  });

  it('shows a rollout against a failing new side as rolled back, with its reason', async () => {
    await api('', { method: 'PUT', body: JSON.stringify({ shadowPercent: 0 }) });
    standIn.setFailing(true);
    let running = true;
    const traffic = (async () => {
      for (let i = 0; running; i += 1) {
        await fetch(`${stack.gateway.url}/api/movies?id=2`, {
          headers: { 'x-user-id': `status-page-rollout-${i}` },
        })
          .then((r) => r.arrayBuffer())
          .catch(() => undefined);
      }
    })();

    const form = movies().getByRole('form', { name: 'Start a rollout' });
    await form.getByLabel('Steps (%)').fill('50,100');
    await form.getByLabel('Step seconds').fill('30');
    await form.getByLabel('Min requests').fill('20');
    await form.getByLabel('Rollback to (%)').fill('0');
    await form.getByRole('button', { name: 'Start rollout' }).click();

    try {
      await untilText(movies().getByTestId('rollout-state'), 'rolled_back', 30_000);
    } finally {
      running = false;
      await traffic;
      standIn.setFailing(false);
    }
    await untilText(
      movies().getByTestId('rollout-reason'),
      /error rate: the new side failed \d+ of \d+ requests/,
    );
    // The chart has drawn both sides' traffic by now.
    await movies().getByTestId('chart').locator('canvas').first().waitFor();
    await page.screenshot({
      path: path.join(SCREENSHOTS, 'status-page-rollout.png'),
      fullPage: true,
    });
    expect(problems).toEqual([]);
  });

  it('shows the 409 of a manual change refused during a rollout, and pauses, resumes and aborts it', async () => {
    const started = await api('/rollout', {
      method: 'POST',
      body: JSON.stringify({ steps: [25, 100], stepSeconds: 600, minRequests: 1_000_000 }),
    });
    expect(started.status).toBe(201);
    const state = movies().getByTestId('rollout-state');
    const command = (name: string) =>
      movies().getByRole('group', { name: 'Rollout commands' }).getByRole('button', { name });
    try {
      await untilText(state, 'running');
      await movies().getByLabel('New side percent').fill('80');
      await movies().getByRole('button', { name: 'Apply' }).click();
      await page.getByRole('button', { name: 'Confirm' }).click();
      await untilText(movies().getByRole('alert').first(), /abort it first/);

      await command('Pause').click();
      await untilText(state, 'paused');
      await command('Resume').click();
      await untilText(state, 'running');
      await command('Abort').click();
      await untilText(state, 'aborted');
      const audit = await sql(
        "SELECT actor FROM gateway.migration_audit WHERE migration = 'movies' ORDER BY id DESC LIMIT 1",
      );
      // The abort's return of the dial is the operator's change, named as typed on the page.
      expect(audit.rows[0]).toEqual({ actor: 'page-operator' });
    } finally {
      await api('/rollout/abort', { method: 'POST' });
    }
  });

  it('signs out: the token is gone and the form is back', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('Admin token').waitFor();
    expect(await page.evaluate(() => sessionStorage.getItem('cinemaabyss.adminToken'))).toBeNull();
  });
});
