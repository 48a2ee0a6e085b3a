import { createSilentLogger } from '@cinemaabyss/shared/logging';
import { errors } from 'jose';
import { TEST_AUDIENCE, TEST_ISSUER, createTestIssuer } from '../testing/testIssuer';
import type { TestIssuer } from '../testing/testIssuer';
import { KeysUnavailableError, createKeySource } from './keySource';
import { createTokenVerifier } from './tokenVerifier';

const COOLDOWN_MS = 30_000;
const REFRESH_MS = 600_000;

/** A key source over `load`, counting loads, and a verifier on it. */
function setUp(load: () => Promise<unknown>) {
  let loads = 0;
  const keys = createKeySource({
    load: () => {
      loads += 1;
      return load();
    },
    origin: 'test',
    cooldownMs: COOLDOWN_MS,
    refreshMs: REFRESH_MS,
    logger: createSilentLogger(),
  });
  const verifier = createTokenVerifier({
    keys,
    issuers: [TEST_ISSUER],
    audiences: [TEST_AUDIENCE],
    algorithms: ['ES256'],
    clockToleranceSeconds: 0,
    cacheSize: 1_000,
  });
  const authenticate = async (issuer: TestIssuer) =>
    (await verifier.authenticate(`Bearer ${await issuer.sign({ subject: '7' })}`)).result;
  const authenticateToken = async (token: string) =>
    (await verifier.authenticate(`Bearer ${token}`)).result;
  return { keys, authenticate, authenticateToken, loads: () => loads };
}

describe('createKeySource', () => {
  let issuer: TestIssuer;

  beforeEach(async () => {
    issuer = await createTestIssuer();
    jest.useFakeTimers({ doNotFake: ['queueMicrotask', 'nextTick', 'setImmediate'] });
  });
  afterEach(() => jest.useRealTimers());

  it('picks up a rotated key (a new kid) without a restart, by loading again once', async () => {
    const { keys, authenticate, loads } = setUp(async () => issuer.jwks());
    await keys.start();
    expect(await authenticate(issuer)).toBe('valid');
    jest.advanceTimersByTime(COOLDOWN_MS);
    await issuer.rotate();
    expect(await authenticate(issuer)).toBe('valid');
    expect(loads()).toBe(2);
    expect(keys.keyCount()).toBe(2);
    keys.stop();
  });

  it('loads at most once per cool-down for unknown key ids', async () => {
    const stale = issuer.jwks();
    const { keys, authenticate, loads } = setUp(async () => stale);
    await keys.start();
    await issuer.rotate();
    // The provider has not published the new key: a token naming it stays invalid...
    expect(await authenticate(issuer)).toBe('invalid');
    expect(await authenticate(issuer)).toBe('invalid');
    expect(await authenticate(issuer)).toBe('invalid');
    // ...and it costs the provider one fetch per cool-down, not one per token.
    expect(loads()).toBe(1);
    keys.stop();
  });

  it('keeps verifying with the keys it holds while the JWKS cannot be read', async () => {
    let down = false;
    const { keys, authenticate, loads } = setUp(async () => {
      if (down) throw new Error('connect ECONNREFUSED');
      return issuer.jwks();
    });
    await keys.start();
    down = true;
    jest.advanceTimersByTime(REFRESH_MS);
    await Promise.resolve();
    expect(loads()).toBe(2);
    expect(await authenticate(issuer)).toBe('valid');
    expect(keys.keyCount()).toBe(1);
    keys.stop();
  });

  it('has no keys at all when the first load fails: unavailable, until a load succeeds', async () => {
    let down = true;
    const { keys, authenticate, loads } = setUp(async () => {
      if (down) throw new Error('connect ECONNREFUSED');
      return issuer.jwks();
    });
    await keys.start();
    expect(await authenticate(issuer)).toBe('unavailable');
    await expect(keys.getKey({ alg: 'ES256' }, { payload: '', signature: '' })).rejects.toThrow(
      KeysUnavailableError,
    );
    // Within the cool-down a request does not cause another fetch.
    expect(loads()).toBe(1);
    down = false;
    jest.advanceTimersByTime(COOLDOWN_MS);
    expect(await authenticate(issuer)).toBe('valid');
    expect(loads()).toBe(2);
    keys.stop();
  });

  it('refuses what is not a key set, keeping the keys it holds', async () => {
    let answer: unknown = issuer.jwks();
    const { keys, authenticate } = setUp(async () => answer);
    await keys.start();
    answer = { keys: 'nope' };
    jest.advanceTimersByTime(REFRESH_MS);
    await Promise.resolve();
    expect(await authenticate(issuer)).toBe('valid');
    keys.stop();
  });

  it('re-reads in the background, so a key the provider removed stops verifying', async () => {
    let published = issuer.jwks();
    const { keys } = setUp(async () => published);
    await keys.start();
    published = { keys: [] };
    jest.advanceTimersByTime(REFRESH_MS);
    // Let the background load settle.
    for (let i = 0; i < 5; i += 1) await Promise.resolve();
    expect(keys.keyCount()).toBe(0);
    await expect(
      keys.getKey({ alg: 'ES256', kid: issuer.currentKid() }, { payload: '', signature: '' }),
    ).rejects.toBeInstanceOf(errors.JWKSNoMatchingKey);
    keys.stop();
  });

  it('stops a remembered token once the provider removes its key', async () => {
    let published = issuer.jwks();
    const { keys, authenticateToken } = setUp(async () => published);
    await keys.start();
    const token = await issuer.sign({ subject: '7' });
    expect(await authenticateToken(token)).toBe('valid');
    const before = keys.version();
    published = { keys: [] };
    jest.advanceTimersByTime(REFRESH_MS);
    for (let i = 0; i < 5; i += 1) await Promise.resolve();
    expect(keys.version()).toBe(before + 1);
    expect(await authenticateToken(token)).toBe('invalid');
  });

  it('keeps its key-set version when a load brings the same keys', async () => {
    const { keys } = setUp(async () => issuer.jwks());
    await keys.start();
    const loaded = keys.version();
    jest.advanceTimersByTime(REFRESH_MS);
    for (let i = 0; i < 5; i += 1) await Promise.resolve();
    expect(keys.version()).toBe(loaded);
    keys.stop();
  });
});
