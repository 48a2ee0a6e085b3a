import { randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';
import pg from 'pg';
import { dropDatabase, withDatabaseName } from '@cinemaabyss/shared/db';
import { TEST_SERVER_ENV } from '@cinemaabyss/shared/testing';
import { MIGRATIONS_DIR, prepareDatabase, seedIfEmpty } from './prepareDatabase';

async function query<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

describe('prepareDatabase', () => {
  const url = withDatabaseName(
    process.env[TEST_SERVER_ENV] as string,
    `cinemaabyss_test_prepare_${randomBytes(4).toString('hex')}`,
  );
  afterAll(() => dropDatabase(url));

  it('creates a missing database, migrates it and loads the seed data', async () => {
    await prepareDatabase(url);
    const counts = await query<{
      users: number;
      movies: number;
      genres: number;
      payments: number;
      subscriptions: number;
    }>(
      url,
      `SELECT (SELECT count(*)::int FROM users) AS users, (SELECT count(*)::int FROM movies) AS movies,
              (SELECT count(*)::int FROM movie_genres) AS genres, (SELECT count(*)::int FROM payments) AS payments,
              (SELECT count(*)::int FROM subscriptions) AS subscriptions`,
    );
    expect(counts[0]).toEqual({ users: 3, movies: 5, genres: 10, payments: 3, subscriptions: 3 });
  });

  it('is idempotent: preparing again (twice at once) applies nothing and seeds nothing', async () => {
    await Promise.all([prepareDatabase(url), prepareDatabase(url)]);
    const [row] = await query<{ users: number; migrations: number }>(
      url,
      'SELECT (SELECT count(*)::int FROM users) AS users, (SELECT count(*)::int FROM pgmigrations) AS migrations',
    );
    const migrationFiles = readdirSync(MIGRATIONS_DIR).filter((f) => f.endsWith('.sql'));
    expect(row).toEqual({ users: 3, migrations: migrationFiles.length });
  });

  it('never seeds a database that already has data', async () => {
    await query(url, 'DELETE FROM subscriptions; DELETE FROM payments; DELETE FROM movies');
    expect(await seedIfEmpty(url)).toBe(false);
    const [row] = await query<{ movies: number }>(
      url,
      'SELECT count(*)::int AS movies FROM movies',
    );
    expect(row?.movies).toBe(0);
  });

  it('keeps the constraints the contract implies', async () => {
    await expect(query(url, "INSERT INTO movies (title, rating) VALUES ('x', 11)")).rejects.toThrow(
      /movies_rating_range/,
    );
    await expect(
      query(url, 'INSERT INTO payments (user_id, amount) VALUES (1, 0)'),
    ).rejects.toThrow(/payments_amount_positive/);
    await expect(
      query(url, "INSERT INTO users (username, email) VALUES ('user1', 'other@example.com')"),
    ).rejects.toThrow(/users_username_key/);
  });
});
