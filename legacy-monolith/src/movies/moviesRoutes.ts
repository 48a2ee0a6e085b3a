import type { FastifyInstance } from 'fastify';
import { withTransaction } from '@cinemaabyss/shared/db';
import type { Pool } from '@cinemaabyss/shared/db';
import { movieCreatedEvent } from '@cinemaabyss/shared/events';
import { registerPath } from '@cinemaabyss/shared/http';
import { newMovieInput, parseMovieLookup } from '@cinemaabyss/shared/movies';
import type { Movie } from '@cinemaabyss/shared/movies';
import { insertOutboxEvent } from '@cinemaabyss/shared/outbox';
import { parseInput } from '@cinemaabyss/shared/validation';
import { monolithErrors } from '../errors';

/**
 * The monolith's movie row: its genres gathered by a correlated sub-select, in the order they
 * were given. (The movies service answers the same contract with its own repository.)
 */
const MOVIE_ROW = `
  SELECT id, title, description, rating::float8 AS rating,
         ARRAY(SELECT genre FROM movie_genres WHERE movie_id = movies.id ORDER BY position) AS genres
    FROM movies`;

/**
 * `GET/POST /api/movies` as the legacy monolith has always served it: one SQL statement per
 * request, written in the route.
 */
export function registerMoviesRoutes(app: FastifyInstance, pool: Pool): void {
  registerPath(app, '/api/movies', {
    GET: async (request) => {
      const lookup = parseMovieLookup(request.query);
      if (lookup.by === 'id') {
        const { rows } = await pool.query<Movie>(`${MOVIE_ROW} WHERE id = $1`, [lookup.id]);
        if (rows.length === 0) throw monolithErrors.movieNotFound(lookup.id);
        return rows[0];
      }
      const { rows } =
        lookup.by === 'ids'
          ? await pool.query<Movie>(`${MOVIE_ROW} WHERE id = ANY($1::int[]) ORDER BY id`, [
              lookup.ids,
            ])
          : await pool.query<Movie>(`${MOVIE_ROW} ORDER BY id`);
      return rows;
    },
    POST: async (request, reply) => {
      const input = parseInput(newMovieInput, request.body);
      const genres = [...new Set(input.genres)];
      // The movie and its genres in one statement, its `created` event in the same transaction.
      const movie = await withTransaction(pool, async (client) => {
        const { rows } = await client.query<Omit<Movie, 'genres'>>(
          `WITH movie AS (
             INSERT INTO movies (title, description, rating) VALUES ($1, $2, $3)
             RETURNING id, title, description, rating::float8 AS rating
           ), listed AS (
             INSERT INTO movie_genres (movie_id, genre, position)
             SELECT movie.id, given.genre, given.n - 1
               FROM movie, unnest($4::text[]) WITH ORDINALITY AS given(genre, n)
           )
           SELECT * FROM movie`,
          [input.title, input.description, input.rating, genres],
        );
        const created: Movie = { ...(rows[0] as Omit<Movie, 'genres'>), genres };
        await insertOutboxEvent(client, movieCreatedEvent(created));
        return created;
      });
      reply.code(201);
      return movie;
    },
  });
}
