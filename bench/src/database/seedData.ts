import type { Pool } from '@cinemaabyss/shared/db';

/** The generated data set: every bench user has the same, realistic amount of nested data. */
export const DATA_SHAPE = {
  movies: 50,
  genresPerMovie: 2,
  paymentsPerUser: 3,
  subscriptionsPerUser: 1,
  ratingsPerUser: 3,
} as const;

const GENRES = ['Drama', 'Crime', 'Action', 'Comedy', 'Romance', 'Sci-Fi', 'Horror', 'Animation'];

async function count(pool: Pool, table: 'users' | 'movies'): Promise<number> {
  const { rows } = await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`);
  return rows[0]?.n ?? 0;
}

/** Adds generated movies (each with genres) until the catalogue holds DATA_SHAPE.movies. */
export async function seedMovies(pool: Pool): Promise<void> {
  const have = await count(pool, 'movies');
  if (have >= DATA_SHAPE.movies) return;
  await pool.query(
    `WITH added AS (
       INSERT INTO movies (title, description, rating)
       SELECT 'Bench movie ' || n, 'A generated film for the benchmark, number ' || n || '.',
              round((4 + (n % 60) / 10.0)::numeric, 1)
         FROM generate_series($1::int, $2::int) AS n
       RETURNING id)
     INSERT INTO movie_genres (movie_id, genre, position)
     SELECT a.id, ($3::text[])[1 + (a.id + p) % cardinality($3::text[])], p
       FROM added a, generate_series(0, $4::int - 1) AS p`,
    [have + 1, DATA_SHAPE.movies, GENRES, DATA_SHAPE.genresPerMovie],
  );
}

/**
 * Grows the user base to `total` users, each new one with payments, a subscription and
 * ratings of distinct movies, in one transaction. Existing users are left as they are.
 */
export async function growUsersTo(pool: Pool, total: number): Promise<void> {
  const have = await count(pool, 'users');
  if (have >= total) return;
  await pool.query(
    `WITH new_users AS (
       INSERT INTO users (username, email)
       SELECT 'bench_user_' || n, 'bench_user_' || n || '@example.com'
         FROM generate_series($1::int, $2::int) AS n
       RETURNING id),
     new_payments AS (
       INSERT INTO payments (user_id, amount, paid_at)
       SELECT u.id, 4.99 + (u.id * 7 + k) % 40, now() - make_interval(days => k)
         FROM new_users u, generate_series(1, $3::int) AS k),
     new_subscriptions AS (
       INSERT INTO subscriptions (user_id, plan_type, start_date, end_date)
       SELECT u.id, (ARRAY['basic', 'premium', 'family'])[1 + (u.id + k) % 3],
              date_trunc('day', now()) - make_interval(days => k * 30),
              date_trunc('day', now()) + make_interval(days => 30 - k * 30)
         FROM new_users u, generate_series(0, $4::int - 1) AS k)
     INSERT INTO user_ratings (user_id, movie_id, score, review)
     SELECT u.id, 1 + (u.id * 7 + k * 13) % $6::int, 1 + (u.id + k) % 10,
            CASE WHEN k = 0 THEN 'Generated review of user ' || u.id END
       FROM new_users u, generate_series(0, $5::int - 1) AS k`,
    [
      have + 1,
      total,
      DATA_SHAPE.paymentsPerUser,
      DATA_SHAPE.subscriptionsPerUser,
      DATA_SHAPE.ratingsPerUser,
      DATA_SHAPE.movies,
    ],
  );
}
