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

  it('gives a user a stable bucket, and a higher percentage never moves a user back', () => {
    const users = Array.from({ length: 1000 }, (_, i) => `user-${i}`);
    expect(users.map(userBucket)).toEqual(users.map(userBucket));
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
