import { userBucket } from '../dial/userBucket';
import { createMigrationRouter } from './migrationRouter';

describe('migration router', () => {
  it('picks the monolith for everyone at 0 % and the movies service at 100 %', () => {
    const at0 = createMigrationRouter({ moviesPercent: () => 0, random: () => 0 });
    const at100 = createMigrationRouter({ moviesPercent: () => 100, random: () => 0.999 });
    expect(at0('u1')).toEqual({ backend: 'monolith', sticky: true });
    expect(at0(undefined)).toEqual({ backend: 'monolith', sticky: false });
    expect(at100('u1')).toEqual({ backend: 'movies', sticky: true });
    expect(at100(undefined)).toEqual({ backend: 'movies', sticky: false });
  });

  it('routes anonymous requests by the random draw', () => {
    const draws = [0.1, 0.6];
    const route = createMigrationRouter({
      moviesPercent: () => 50,
      random: () => draws.shift() ?? 0,
    });
    expect(route(undefined)).toEqual({ backend: 'movies', sticky: false });
    expect(route(undefined)).toEqual({ backend: 'monolith', sticky: false });
  });

  it('reads the percentage on every request, so a change of the dial applies to the next one', () => {
    let percent = 0;
    const route = createMigrationRouter({ moviesPercent: () => percent });
    expect(route('alice').backend).toBe('monolith');
    percent = 100;
    expect(route('alice').backend).toBe('movies');
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
      const route = createMigrationRouter({ moviesPercent: () => percent });
      const onMovies = users.map((u) => route(u).backend === 'movies');
      onMovies.forEach((now, i) => previous[i] && expect(now).toBe(true));
      const share = onMovies.filter(Boolean).length / users.length;
      expect(Math.abs(share * 100 - percent)).toBeLessThan(6);
      previous = onMovies;
    }
  });
});
