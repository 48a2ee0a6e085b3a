import { ConfigError } from '@cinemaabyss/shared/config';
import { loadConfig } from './config';

describe('gateway config', () => {
  it('defaults to the documented ports and no migration', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      port: 8000,
      monolithUrl: 'http://127.0.0.1:8080',
      moviesServiceUrl: 'http://127.0.0.1:8081',
      eventsServiceUrl: 'http://127.0.0.1:8082',
      gradualMigration: false,
      moviesMigrationPercent: 0,
      deduplicateInFlight: true,
      dbConnectionString: 'postgres://postgres@127.0.0.1:5432/cinemaabyss',
      adminToken: undefined,
      migrationRefreshMs: 1_000,
      subgraphUrls: {
        movies: 'http://127.0.0.1:8081/graphql',
        monolith: 'http://127.0.0.1:8083/graphql',
      },
    });
  });

  it.each(['150', '-1', 'abc', '12.5'])(
    'refuses MOVIES_MIGRATION_PERCENT=%s, naming it',
    (value) => {
      const load = () => loadConfig({ MOVIES_MIGRATION_PERCENT: value });
      expect(load).toThrow(ConfigError);
      expect(load).toThrow(/MOVIES_MIGRATION_PERCENT/);
    },
  );

  it('turns in-flight deduplication off with DEDUPLICATE_INFLIGHT_QUERIES=false', () => {
    expect(loadConfig({ DEDUPLICATE_INFLIGHT_QUERIES: 'false' }).deduplicateInFlight).toBe(false);
    expect(() => loadConfig({ DEDUPLICATE_INFLIGHT_QUERIES: 'maybe' })).toThrow(
      /DEDUPLICATE_INFLIGHT_QUERIES/,
    );
  });

  it('refuses a GRADUAL_MIGRATION that is not a boolean', () => {
    expect(() => loadConfig({ GRADUAL_MIGRATION: 'sometimes' })).toThrow(/GRADUAL_MIGRATION/);
  });

  it('turns the admin API on with an ADMIN_TOKEN long enough, and refuses a short one', () => {
    expect(loadConfig({ ADMIN_TOKEN: '  0123456789abcdef  ' }).adminToken).toBe('0123456789abcdef');
    expect(loadConfig({ ADMIN_TOKEN: '   ' }).adminToken).toBeUndefined();
    expect(() => loadConfig({ ADMIN_TOKEN: 'short' })).toThrow(/ADMIN_TOKEN must be at least 16/);
    expect(() => loadConfig({ ADMIN_TOKEN: '0123456789 abcdef' })).toThrow(/without spaces/);
  });

  it('refuses a DB_CONNECTION_STRING that is not postgres:// and a MIGRATION_REFRESH_MS out of range', () => {
    expect(() => loadConfig({ DB_CONNECTION_STRING: 'mysql://x/y' })).toThrow(
      /DB_CONNECTION_STRING/,
    );
    expect(() => loadConfig({ MIGRATION_REFRESH_MS: '10' })).toThrow(/MIGRATION_REFRESH_MS/);
  });

  it('verifies tokens with asymmetric algorithms only by default, and REST_AUTH is off', () => {
    const { auth } = loadConfig({});
    expect(auth).toMatchObject({
      jwksUrl: undefined,
      jwksFile: undefined,
      issuers: [],
      audiences: [],
      clockToleranceSeconds: 30,
      restMode: 'off',
      authzMode: 'filter',
    });
    expect(loadConfig({ AUTHZ_MODE: 'REJECT' }).auth.authzMode).toBe('reject');
    expect(auth.algorithms).toContain('ES256');
    expect(auth.algorithms.some((alg) => alg.startsWith('HS'))).toBe(false);
  });

  it('reads the JWT settings: lists split on commas, REST_AUTH case-insensitive', () => {
    const { auth } = loadConfig({
      JWT_JWKS_URL: 'https://idp.example/.well-known/jwks.json',
      JWT_ISSUER: 'https://idp.example/',
      JWT_AUDIENCE: 'cinemaabyss, cinemaabyss-mobile',
      JWT_ALGORITHMS: 'RS256,ES256',
      REST_AUTH: 'Verify',
    });
    expect(auth).toMatchObject({
      jwksUrl: 'https://idp.example/.well-known/jwks.json',
      issuers: ['https://idp.example/'],
      audiences: ['cinemaabyss', 'cinemaabyss-mobile'],
      algorithms: ['RS256', 'ES256'],
      restMode: 'verify',
    });
  });

  it('refuses unknown algorithms (none among them), a bad REST_AUTH, and two key sources', () => {
    expect(() => loadConfig({ JWT_ALGORITHMS: 'none' })).toThrow(/JWT_ALGORITHMS/);
    expect(() => loadConfig({ REST_AUTH: 'sometimes' })).toThrow(/REST_AUTH must be off/);
    expect(() => loadConfig({ AUTHZ_MODE: 'ignore' })).toThrow(
      /AUTHZ_MODE must be filter or reject/,
    );
    expect(() =>
      loadConfig({ JWT_JWKS_URL: 'http://idp.test/jwks', JWT_JWKS_FILE: '/tmp/jwks.json' }),
    ).toThrow(/JWT_JWKS_URL and JWT_JWKS_FILE/);
  });
});
