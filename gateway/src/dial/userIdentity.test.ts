import { dialUserId, normalizeUserId } from './userIdentity';

describe('the user the migration dial buckets', () => {
  it('is a verified caller’s subject, whatever user id the request names', () => {
    expect(dialUserId({ subject: 'alice', scopes: [] }, 'mallory')).toBe('alice');
  });

  it('is the named user id only for anonymous callers, trimmed; blank is anonymous', () => {
    expect(dialUserId(undefined, ' 17 ')).toBe('17');
    expect(dialUserId(undefined, '  ')).toBeUndefined();
    expect(dialUserId(undefined, ['a', 'b'])).toBeUndefined();
    expect(normalizeUserId(undefined)).toBeUndefined();
  });
});
