import { createSilentLogger } from '@cinemaabyss/shared/logging';
import { SignJWT, generateSecret } from 'jose';
import { TEST_AUDIENCE, TEST_ISSUER, createTestIssuer, unsignedToken } from '../testing/testIssuer';
import type { TestIssuer } from '../testing/testIssuer';
import { createKeySource } from './keySource';
import { createTokenVerifier, scopesOf } from './tokenVerifier';

const ASYMMETRIC = ['RS256', 'PS256', 'ES256', 'ES384', 'EdDSA'];

/** The issuer's keys as the gateway holds them. */
function keysOf(issuer: TestIssuer) {
  return createKeySource({
    load: async () => issuer.jwks(),
    origin: 'test',
    cooldownMs: 30_000,
    refreshMs: 600_000,
    logger: createSilentLogger(),
  });
}

function verifierFor(issuer: TestIssuer) {
  return createTokenVerifier({
    keys: keysOf(issuer),
    issuers: [TEST_ISSUER],
    audiences: [TEST_AUDIENCE],
    algorithms: ASYMMETRIC,
    clockToleranceSeconds: 5,
    cacheSize: 0,
  });
}

describe('createTokenVerifier', () => {
  let issuer: TestIssuer;
  let verifier: ReturnType<typeof verifierFor>;

  beforeAll(async () => {
    issuer = await createTestIssuer();
    verifier = verifierFor(issuer);
  });

  it('is anonymous without an Authorization header', async () => {
    await expect(verifier.authenticate(undefined)).resolves.toEqual({ result: 'anonymous' });
    await expect(verifier.authenticate('  ')).resolves.toEqual({ result: 'anonymous' });
  });

  it('accepts a valid token: its sub and scopes are the caller', async () => {
    const token = await issuer.sign({ subject: '42', scope: 'users:read payments:read' });
    await expect(verifier.authenticate(`Bearer ${token}`)).resolves.toEqual({
      result: 'valid',
      caller: { subject: '42', scopes: ['payments:read', 'users:read'] },
    });
  });

  it.each([
    ['expired', { expiresIn: -60 }, /"exp"/],
    ['from another issuer', { issuer: 'https://evil.test' }, /"iss"/],
    ['for another audience', { audience: 'someone-else' }, /"aud"/],
  ])('refuses a token %s, saying why in the reason', async (_case, options, reason) => {
    const token = await issuer.sign(options);
    const outcome = await verifier.authenticate(`Bearer ${token}`);
    expect(outcome).toMatchObject({ result: 'invalid', reason: expect.stringMatching(reason) });
  });

  it('refuses a tampered token (payload changed after signing)', async () => {
    const [header, , signature] = (await issuer.sign({ subject: '1' })).split('.');
    const forged = Buffer.from(
      JSON.stringify({
        sub: 'admin',
        iss: TEST_ISSUER,
        aud: TEST_AUDIENCE,
        exp: Math.floor(Date.now() / 1000) + 600,
      }),
    ).toString('base64url');
    const outcome = await verifier.authenticate(`Bearer ${header}.${forged}.${signature}`);
    expect(outcome).toMatchObject({ result: 'invalid', reason: 'signature verification failed' });
  });

  it('refuses an unsigned alg "none" token', async () => {
    const token = unsignedToken({
      sub: '1',
      iss: TEST_ISSUER,
      aud: TEST_AUDIENCE,
      exp: Math.floor(Date.now() / 1000) + 600,
    });
    await expect(verifier.authenticate(`Bearer ${token}`)).resolves.toMatchObject({
      result: 'invalid',
    });
  });

  it('refuses a symmetric HS256 token when only asymmetric algorithms are allowed', async () => {
    const secret = await generateSecret('HS256');
    const token = await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256', kid: issuer.currentKid() })
      .setSubject('1')
      .setIssuer(TEST_ISSUER)
      .setAudience(TEST_AUDIENCE)
      .setExpirationTime('10m')
      .sign(secret);
    await expect(verifier.authenticate(`Bearer ${token}`)).resolves.toMatchObject({
      result: 'invalid',
      reason: expect.stringMatching(/alg/),
    });
  });

  it.each([
    ['not a Bearer scheme', 'Basic dXNlcjpwYXNz'],
    ['a malformed token', 'Bearer not-a-jwt'],
    ['a token of garbage segments', 'Bearer aaa.bbb.ccc'],
  ])('refuses %s', async (_case, header) => {
    await expect(verifier.authenticate(header)).resolves.toMatchObject({ result: 'invalid' });
  });

  it('refuses a token with an empty sub', async () => {
    const noSub = await issuer.sign({ subject: '' });
    await expect(verifier.authenticate(`Bearer ${noSub}`)).resolves.toMatchObject({
      result: 'invalid',
    });
  });

  it('cannot judge a token without keys: unavailable, never valid', async () => {
    const unconfigured = createTokenVerifier({
      keys: undefined,
      issuers: [],
      audiences: [],
      algorithms: ASYMMETRIC,
      clockToleranceSeconds: 0,
      cacheSize: 0,
    });
    const token = await issuer.sign();
    await expect(unconfigured.authenticate(`Bearer ${token}`)).resolves.toEqual({
      result: 'unavailable',
    });
    await expect(unconfigured.authenticate(undefined)).resolves.toEqual({ result: 'anonymous' });
  });
});

describe('scopesOf', () => {
  it('reads scope (space-separated) and scp (an array), merged, sorted and unique', () => {
    expect(scopesOf({ scope: 'b:write  a:read' })).toEqual(['a:read', 'b:write']);
    expect(scopesOf({ scp: ['x', 'a:read', 7] })).toEqual(['a:read', 'x']);
    expect(scopesOf({ scope: 'a:read', scp: ['a:read', 'c'] })).toEqual(['a:read', 'c']);
    expect(scopesOf({})).toEqual([]);
  });
});

describe('createTokenVerifier with verified tokens remembered', () => {
  let issuer: TestIssuer;

  beforeEach(async () => {
    issuer = await createTestIssuer();
    jest.useFakeTimers({ doNotFake: ['queueMicrotask', 'nextTick', 'setImmediate'] });
  });
  afterEach(() => jest.useRealTimers());

  /** A verifier remembering `cacheSize` tokens, counting the signatures it checks. */
  async function counting(cacheSize: number) {
    const keys = keysOf(issuer);
    // Loaded first, as the gateway does at start.
    await keys.start();
    keys.stop();
    let lookups = 0;
    const verifier = createTokenVerifier({
      keys: {
        getKey: (header, token) => {
          lookups += 1;
          return keys.getKey(header, token);
        },
        version: keys.version,
      },
      issuers: [TEST_ISSUER],
      audiences: [TEST_AUDIENCE],
      algorithms: ASYMMETRIC,
      clockToleranceSeconds: 5,
      cacheSize,
    });
    return { verifier, lookups: () => lookups };
  }

  it('checks a token it has verified once only, answering the same caller', async () => {
    const { verifier, lookups } = await counting(100);
    const header = `Bearer ${await issuer.sign({ subject: '9', scope: 'users:read' })}`;
    const first = await verifier.authenticate(header);
    expect(await verifier.authenticate(header)).toEqual(first);
    expect(first).toEqual({ result: 'valid', caller: { subject: '9', scopes: ['users:read'] } });
    expect(lookups()).toBe(1);
  });

  it('checks every time with no cache', async () => {
    const { verifier, lookups } = await counting(0);
    const header = `Bearer ${await issuer.sign()}`;
    await verifier.authenticate(header);
    await verifier.authenticate(header);
    expect(lookups()).toBe(2);
  });

  it('refuses a remembered token once it expires (past the clock tolerance)', async () => {
    const { verifier } = await counting(100);
    const header = `Bearer ${await issuer.sign({ expiresIn: 60 })}`;
    expect((await verifier.authenticate(header)).result).toBe('valid');
    jest.advanceTimersByTime(64_000);
    expect((await verifier.authenticate(header)).result).toBe('valid');
    jest.advanceTimersByTime(2_000);
    expect(await verifier.authenticate(header)).toMatchObject({
      result: 'invalid',
      reason: expect.stringMatching(/"exp"/),
    });
  });

  it('never remembers a refused token', async () => {
    const { verifier, lookups } = await counting(100);
    const header = `Bearer ${await issuer.sign({ audience: 'someone-else' })}`;
    expect((await verifier.authenticate(header)).result).toBe('invalid');
    expect((await verifier.authenticate(header)).result).toBe('invalid');
    expect(lookups()).toBe(2);
  });
});
