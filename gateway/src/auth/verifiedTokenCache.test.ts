import { createVerifiedTokenCache } from './verifiedTokenCache';

const caller = (subject: string) => ({ subject, scopes: ['users:read'] });

describe('createVerifiedTokenCache', () => {
  let clock = 0;
  const now = () => clock;
  beforeEach(() => {
    clock = 1_000_000;
  });

  it('gives back the caller a token was verified as, under the same key set', () => {
    const cache = createVerifiedTokenCache(10, now);
    cache.set('token-a', { caller: caller('1'), expiresAtMs: clock + 60_000, keysVersion: 3 });
    expect(cache.get('token-a', 3)).toEqual(caller('1'));
    expect(cache.get('token-b', 3)).toBeUndefined();
  });

  it('forgets a token at its expiry, so an expired token is verified (and refused) again', () => {
    const cache = createVerifiedTokenCache(10, now);
    cache.set('token-a', { caller: caller('1'), expiresAtMs: clock + 60_000, keysVersion: 1 });
    clock += 59_999;
    expect(cache.get('token-a', 1)).toEqual(caller('1'));
    clock += 1;
    expect(cache.get('token-a', 1)).toBeUndefined();
    // Gone for good, not only hidden.
    clock -= 10_000;
    expect(cache.get('token-a', 1)).toBeUndefined();
  });

  it('forgets what was verified under another key set (a rotation or a removed key)', () => {
    const cache = createVerifiedTokenCache(10, now);
    cache.set('token-a', { caller: caller('1'), expiresAtMs: clock + 60_000, keysVersion: 1 });
    expect(cache.get('token-a', 2)).toBeUndefined();
    expect(cache.get('token-a', 1)).toBeUndefined();
  });

  it('holds at most its size, the least recently used out first', () => {
    const cache = createVerifiedTokenCache(2, now);
    const entry = (subject: string) => ({
      caller: caller(subject),
      expiresAtMs: clock + 60_000,
      keysVersion: 1,
    });
    cache.set('a', entry('a'));
    cache.set('b', entry('b'));
    expect(cache.get('a', 1)).toEqual(caller('a'));
    cache.set('c', entry('c'));
    expect(cache.get('b', 1)).toBeUndefined();
    expect(cache.get('a', 1)).toEqual(caller('a'));
    expect(cache.get('c', 1)).toEqual(caller('c'));
  });
});
