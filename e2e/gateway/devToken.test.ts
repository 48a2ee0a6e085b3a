import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { devGatewayAuthEnv } from '@cinemaabyss/local-infra';
import { postGraphql } from '@cinemaabyss/shared/testing';
import { startProcessStack } from '../support/processStack';
import type { ProcessStack } from '../support/processStack';

const ROOT = path.resolve(__dirname, '../..');
const run = promisify(execFile);

/**
 * The developer flow as the README gives it: the gateway process started with the dev stack's
 * token settings (as `npm start` does), and `npm run -s token` printing a token it accepts.
 */
describe('the dev token flow: npm start’s signing key and npm run token', () => {
  let cacheDir: string;
  let stack: ProcessStack;

  beforeAll(async () => {
    cacheDir = await mkdtemp(path.join(os.tmpdir(), 'dev-token-'));
    stack = await startProcessStack({
      services: ['gateway'],
      serviceEnv: { gateway: await devGatewayAuthEnv(cacheDir, {}) },
    });
  });
  afterAll(async () => {
    await stack?.stop();
    await rm(cacheDir, { recursive: true, force: true });
  });

  it('prints only a token on stdout, which the dev gateway accepts', async () => {
    const { stdout } = await run(
      'npm',
      ['run', '-s', 'token', '--', '--sub', '1', '--scopes', 'users:read,payments:read'],
      { cwd: ROOT, env: { ...process.env, CINEMAABYSS_CACHE_DIR: cacheDir }, timeout: 60_000 },
    );
    expect(stdout).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+\n$/);
    const token = stdout.trim();
    const gateway = `${stack.url('gateway')}/graphql`;

    const accepted = await postGraphql(gateway, '{ __typename }', {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(accepted.status).toBe(200);
    expect(accepted.body.data).toEqual({ __typename: 'Query' });

    const refused = await postGraphql(gateway, '{ __typename }', {
      headers: { authorization: `Bearer ${token.slice(0, -4)}AAAA` },
    });
    expect(refused.status).toBe(401);
    const ready = (await (await fetch(`${stack.url('gateway')}/ready`)).json()) as {
      jwksKeys?: number;
    };
    expect(ready.jwksKeys).toBe(1);
  });

  it('refuses to print a token without --sub, on stderr, with a non-zero exit', async () => {
    await expect(
      run('npm', ['run', '-s', 'token', '--', '--scopes', 'users:read'], {
        cwd: ROOT,
        env: { ...process.env, CINEMAABYSS_CACHE_DIR: cacheDir },
        timeout: 60_000,
      }),
    ).rejects.toMatchObject({ code: 2, stdout: '', stderr: expect.stringMatching(/--sub/) });
  });
});
