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
});
