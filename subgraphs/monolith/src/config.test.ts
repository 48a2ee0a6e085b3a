import { ConfigError } from '@cinemaabyss/shared/config';
import { loadConfig } from './config';

describe('monolith subgraph config', () => {
  it('defaults to port 8083, the monolith on 127.0.0.1:8080 and a 5 s REST timeout', () => {
    expect(loadConfig({})).toEqual({
      port: 8083,
      host: '0.0.0.0',
      monolithUrl: 'http://127.0.0.1:8080',
      monolithTimeoutMs: 5000,
    });
  });

  it('reads every variable and freezes the result', () => {
    const config = loadConfig({
      PORT: '9000',
      HOST: '127.0.0.1',
      MONOLITH_URL: 'http://monolith:8080/',
      MONOLITH_TIMEOUT_MS: '250',
    });
    expect(config).toEqual({
      port: 9000,
      host: '127.0.0.1',
      monolithUrl: 'http://monolith:8080',
      monolithTimeoutMs: 250,
    });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it.each([
    ['PORT', { PORT: 'eighty' }],
    ['HOST', { HOST: 'http://0.0.0.0' }],
    ['MONOLITH_URL', { MONOLITH_URL: 'monolith:8080' }],
    ['MONOLITH_URL', { MONOLITH_URL: 'ftp://monolith' }],
    ['MONOLITH_TIMEOUT_MS', { MONOLITH_TIMEOUT_MS: '0' }],
    ['MONOLITH_TIMEOUT_MS', { MONOLITH_TIMEOUT_MS: 'soon' }],
  ])('refuses a bad %s, naming it', (name, env) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(new RegExp(`^${name} `));
  });
});
