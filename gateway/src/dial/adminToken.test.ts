import { bearerTokenMatches } from './adminToken';

const TOKEN = 'a-token-long-enough-1234';

describe('bearerTokenMatches', () => {
  it('accepts the configured token as a Bearer credential, any case of the scheme', () => {
    expect(bearerTokenMatches(`Bearer ${TOKEN}`, TOKEN)).toBe(true);
    expect(bearerTokenMatches(`bearer ${TOKEN}`, TOKEN)).toBe(true);
  });

  it.each([
    ['absent', undefined],
    ['empty', ''],
    ['another scheme', `Basic ${TOKEN}`],
    ['no scheme', TOKEN],
    ['a prefix of it', `Bearer ${TOKEN.slice(0, -1)}`],
    ['it plus more', `Bearer ${TOKEN}x`],
    ['two tokens', `Bearer ${TOKEN} ${TOKEN}`],
  ])('refuses a credential that is %s', (_case, header) => {
    expect(bearerTokenMatches(header, TOKEN)).toBe(false);
  });
});
