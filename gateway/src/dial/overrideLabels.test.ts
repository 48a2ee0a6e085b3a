import { evaluateOverrideLabel, migrationOfLabel } from './overrideLabels';
import { userBucket } from './userBucket';

const USERS = Array.from({ length: 1000 }, (_, i) => `user-${i}`);
const dial = (percentages: Record<string, number>) => (name: string) => percentages[name];

describe('evaluateOverrideLabel', () => {
  it('follows a migration label by the REST shim’s bucket, so both surfaces agree per user', () => {
    for (const percent of [0, 25, 50, 100]) {
      for (const userId of USERS) {
        const active = evaluateOverrideLabel('migration:movies', {
          userId,
          migrationPercent: dial({ movies: percent }),
          random: () => 0,
        });
        expect(active).toBe(userBucket(userId) < percent);
      }
    }
  });

  it('honours percent(N) sticky per user, N with decimals, about N % of users', () => {
    const share = (label: string) =>
      USERS.filter((userId) =>
        evaluateOverrideLabel(label, { userId, migrationPercent: dial({}), random: Math.random }),
      ).length;
    expect(share('percent(0)')).toBe(0);
    expect(share('percent(100)')).toBe(1000);
    expect(Math.abs(share('percent(25)') - 250)).toBeLessThanOrEqual(50);
    expect(share('percent(0.5)')).toBeLessThan(25);
    // The same user gets the same answer every time.
    const first = USERS.map((userId) =>
      evaluateOverrideLabel('percent(30)', {
        userId,
        migrationPercent: dial({}),
        random: Math.random,
      }),
    );
    const again = USERS.map((userId) =>
      evaluateOverrideLabel('percent(30)', {
        userId,
        migrationPercent: dial({}),
        random: Math.random,
      }),
    );
    expect(again).toEqual(first);
  });

  it('draws anonymous requests at random', () => {
    const draws = [0.1, 0.9];
    const context = {
      userId: undefined,
      migrationPercent: dial({ movies: 50 }),
      random: () => draws.shift() ?? 0,
    };
    expect(evaluateOverrideLabel('migration:movies', context)).toBe(true);
    expect(evaluateOverrideLabel('migration:movies', context)).toBe(false);
  });

  it.each([
    'feature:x',
    'migration:payments',
    'percent(101)',
    'percent(-1)',
    'percent(abc)',
    'Migration:movies',
  ])('knows nothing of %s: undefined, which the gateway treats as false', (label) => {
    expect(
      evaluateOverrideLabel(label, {
        userId: 'u',
        migrationPercent: dial({ movies: 100 }),
        random: () => 0,
      }),
    ).toBeUndefined();
  });

  it('names the migration of a migration label', () => {
    expect(migrationOfLabel('migration:movies')).toBe('movies');
    expect(migrationOfLabel('percent(5)')).toBeUndefined();
  });
});
