import { moviesErrors } from '../errors';
import {
  PG_FOREIGN_KEY_VIOLATION,
  violatedConstraint,
  withTransaction,
} from '@cinemaabyss/shared/db';
import type { Pool } from '@cinemaabyss/shared/db';
import { movieRatedEvent } from '@cinemaabyss/shared/events';
import { insertOutboxEvent } from '@cinemaabyss/shared/outbox';

export interface Rating {
  userId: number;
  movieId: number;
  score: number;
  review: string | null;
}

const COLUMNS = 'user_id AS "userId", movie_id AS "movieId", score, review';

export function createRatingsRepository(pool: Pool) {
  return {
    /** Every rating of the given users in one statement, for DataLoader batches. */
    async listByUserIds(userIds: readonly number[]): Promise<Rating[]> {
      const { rows } = await pool.query<Rating>(
        `SELECT ${COLUMNS} FROM user_ratings WHERE user_id = ANY($1::int[]) ORDER BY id`,
        [userIds],
      );
      return rows;
    },

    /** Mean score per movie for the given movies in one statement; unrated movies are absent. */
    async averageByMovieIds(movieIds: readonly number[]): Promise<Map<number, number>> {
      const { rows } = await pool.query<{ movieId: number; average: number }>(
        `SELECT movie_id AS "movieId", avg(score)::float8 AS average
           FROM user_ratings WHERE movie_id = ANY($1::int[]) GROUP BY movie_id`,
        [movieIds],
      );
      return new Map(rows.map((r) => [r.movieId, r.average]));
    },

    /**
     * Inserts or replaces the user's rating of the movie, with its `rated` event, atomically;
     * an unknown user or movie is a 400.
     */
    async rate(rating: Rating): Promise<Rating> {
      try {
        return await withTransaction(pool, async (client) => {
          // The upsert locks the rating row first, so two ratings of one movie by one user
          // commit in the order their outbox rows get their ids.
          const { rows } = await client.query<Rating>(
            `INSERT INTO user_ratings (user_id, movie_id, score, review) VALUES ($1, $2, $3, $4)
             ON CONFLICT (user_id, movie_id)
             DO UPDATE SET score = EXCLUDED.score, review = EXCLUDED.review, created_at = now()
             RETURNING ${COLUMNS}`,
            [rating.userId, rating.movieId, rating.score, rating.review],
          );
          const saved = rows[0] as Rating;
          await insertOutboxEvent(client, movieRatedEvent(saved));
          return saved;
        });
      } catch (err) {
        const constraint = violatedConstraint(err, PG_FOREIGN_KEY_VIOLATION);
        if (constraint === 'user_ratings_user_id_fkey') {
          throw moviesErrors.unknownUser(rating.userId);
        }
        if (constraint === 'user_ratings_movie_id_fkey') {
          throw moviesErrors.unknownMovie(rating.movieId);
        }
        throw err;
      }
    },
  };
}

export type RatingsRepository = ReturnType<typeof createRatingsRepository>;
