import { withTransaction } from '@cinemaabyss/shared/db';
import type { Pool } from '@cinemaabyss/shared/db';
import { movieCreatedEvent } from '@cinemaabyss/shared/events';
import type { Movie, NewMovieInput } from '@cinemaabyss/shared/movies';
import { insertOutboxEvent } from '@cinemaabyss/shared/outbox';

export interface MovieListOptions {
  /** Only movies with this genre (case-insensitive). */
  genre?: string;
  limit?: number;
  offset?: number;
}

/** Movies with their genres in one statement: no query per movie. */
const SELECT_MOVIES = `
  SELECT m.id, m.title, m.description, m.rating::float8 AS rating,
         COALESCE(array_agg(g.genre ORDER BY g.position) FILTER (WHERE g.genre IS NOT NULL), '{}') AS genres
    FROM movies m
    LEFT JOIN movie_genres g ON g.movie_id = m.id`;

/** The movies service's data access: listing with filters and paging, and batch lookups by id. */
export function createMoviesRepository(pool: Pool) {
  return {
    /** One statement whatever the filter; no limit means every movie (the REST contract). */
    async list({ genre, limit, offset = 0 }: MovieListOptions = {}): Promise<Movie[]> {
      const { rows } = await pool.query<Movie>(
        `${SELECT_MOVIES}
          WHERE $1::text IS NULL
             OR EXISTS (SELECT 1 FROM movie_genres f WHERE f.movie_id = m.id AND lower(f.genre) = lower($1))
          GROUP BY m.id ORDER BY m.id
          LIMIT $2 OFFSET $3`,
        [genre ?? null, limit ?? null, offset],
      );
      return rows;
    },

    async findById(id: number): Promise<Movie | undefined> {
      const { rows } = await pool.query<Movie>(`${SELECT_MOVIES} WHERE m.id = $1 GROUP BY m.id`, [
        id,
      ]);
      return rows[0];
    },

    /** Any number of movies in one statement, by id; unknown ids are absent. */
    async findByIds(ids: readonly number[]): Promise<Movie[]> {
      const { rows } = await pool.query<Movie>(
        `${SELECT_MOVIES} WHERE m.id = ANY($1::int[]) GROUP BY m.id ORDER BY m.id`,
        [ids],
      );
      return rows;
    },

    /**
     * Inserts the movie, its genres and its `created` event atomically; duplicate genres are
     * stored once.
     */
    async create(movie: NewMovieInput): Promise<Movie> {
      const genres = [...new Set(movie.genres)];
      return withTransaction(pool, async (client) => {
        const { rows } = await client.query<Omit<Movie, 'genres'>>(
          `INSERT INTO movies (title, description, rating) VALUES ($1, $2, $3)
           RETURNING id, title, description, rating::float8 AS rating`,
          [movie.title, movie.description, movie.rating],
        );
        const created = rows[0] as Omit<Movie, 'genres'>;
        if (genres.length) {
          await client.query(
            `INSERT INTO movie_genres (movie_id, genre, position)
             SELECT $1, genre, ordinality - 1 FROM unnest($2::text[]) WITH ORDINALITY AS g(genre, ordinality)`,
            [created.id, genres],
          );
        }
        const movieWithGenres = { ...created, genres };
        await insertOutboxEvent(client, movieCreatedEvent(movieWithGenres));
        return movieWithGenres;
      });
    },
  };
}

export type MoviesRepository = ReturnType<typeof createMoviesRepository>;
