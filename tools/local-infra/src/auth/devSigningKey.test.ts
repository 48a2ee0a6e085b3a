import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createLocalJWKSet, jwtVerify } from 'jose';
import {
  DEV_TOKEN_AUDIENCE,
  DEV_TOKEN_ISSUER,
  devGatewayAuthEnv,
  ensureDevSigningKey,
  signDevToken,
} from './devSigningKey';

describe('the dev signing key', () => {
  let cacheDir: string;
  beforeEach(async () => {
    cacheDir = await mkdtemp(path.join(os.tmpdir(), 'dev-auth-'));
  });
  afterEach(() => rm(cacheDir, { recursive: true, force: true }));

  it('is created once in the cache folder, owner-only, and reused', async () => {
    const files = await ensureDevSigningKey(cacheDir);
    expect(files.privateKeyFile.startsWith(cacheDir)).toBe(true);
    expect((await stat(files.privateKeyFile)).mode & 0o777).toBe(0o600);
    const first = await readFile(files.privateKeyFile, 'utf8');
    await ensureDevSigningKey(cacheDir);
    expect(await readFile(files.privateKeyFile, 'utf8')).toBe(first);
    // The public set holds no private part.
    const jwks = JSON.parse(await readFile(files.jwksFile, 'utf8'));
    expect(jwks.keys).toHaveLength(1);
    expect(jwks.keys[0]).not.toHaveProperty('d');
  });

  it('configures the dev gateway with it, unless an identity provider is configured', async () => {
    const files = await ensureDevSigningKey(cacheDir);
    expect(await devGatewayAuthEnv(cacheDir, {})).toEqual({
      JWT_JWKS_FILE: files.jwksFile,
      JWT_ISSUER: DEV_TOKEN_ISSUER,
      JWT_AUDIENCE: DEV_TOKEN_AUDIENCE,
    });
    expect(await devGatewayAuthEnv(cacheDir, { JWT_JWKS_URL: 'https://idp.test/jwks' })).toEqual(
      {},
    );
  });

  it('signs tokens its public JWKS verifies, with the dev issuer, audience, sub and scopes', async () => {
    const files = await ensureDevSigningKey(cacheDir);
    const token = await signDevToken(files, {
      subject: '1',
      scopes: ['users:read', 'payments:read'],
      expiresInSeconds: 120,
    });
    const jwks = createLocalJWKSet(JSON.parse(await readFile(files.jwksFile, 'utf8')));
    const { payload, protectedHeader } = await jwtVerify(token, jwks, {
      issuer: DEV_TOKEN_ISSUER,
      audience: DEV_TOKEN_AUDIENCE,
      algorithms: ['ES256'],
    });
    expect(protectedHeader.alg).toBe('ES256');
    expect(payload).toMatchObject({ sub: '1', scope: 'users:read payments:read' });
    expect(payload.exp! - payload.iat!).toBe(120);
  });
});
