import { createMigrationRouter, userBucket } from './migrationRouter';

describe('migration router', () => {
  it('always picks the monolith when gradual migration is off', () => {
    const route = createMigrationRouter({ gradualMigration: false, moviesPercent: 100 });
    expect(route('u1')).toEqual({ backend: 'monolith', sticky: false });
    expect(route(undefined).backend).toBe('monolith');
  });

  it('routes anonymous requests by the random draw', () => {
    const draws = [0.1, 0.6];
    const route = createMigrationRouter({
      gradualMigration: true,
      moviesPercent: 50,
      random: () => draws.shift() ?? 0,
    });
    expect(route(undefined)).toEqual({ backend: 'movies', sticky: false });
    expect(route(undefined)).toEqual({ backend: 'monolith', sticky: false });
  });

  it('buckets by 32-bit FNV-1a modulo 100, as every replica and release must', () => {
    // The published FNV-1a vectors: "" → 0x811c9dc5, "a" → 0xe40c292c, "foobar" → 0xbf9cf968.
    expect(userBucket('')).toBe(0x811c9dc5 % 100);
    expect(userBucket('a')).toBe(0xe40c292c % 100);
    expect(userBucket('foobar')).toBe(0xbf9cf968 % 100);
    // Users' buckets as deployed: a change here moves these users to the other backend.
    expect(['1', '42', 'user-1', 'user-999', 'alice'].map(userBucket)).toEqual([44, 11, 0, 42, 79]);
  });

  it('moves users only towards the movies service as the percentage rises', () => {
    const users = Array.from({ length: 1000 }, (_, i) => `user-${i}`);
    let previous = users.map(() => false);
    for (let percent = 0; percent <= 100; percent += 10) {
      const route = createMigrationRouter({ gradualMigration: true, moviesPercent: percent });
      const onMovies = users.map((u) => route(u).backend === 'movies');
      onMovies.forEach((now, i) => previous[i] && expect(now).toBe(true));
      const share = onMovies.filter(Boolean).length / users.length;
      expect(Math.abs(share * 100 - percent)).toBeLessThan(6);
      previous = onMovies;
    }
  });
});
