import type { FastifyInstance } from 'fastify';
import { registerPath } from '@cinemaabyss/shared/http';
import { newMovieInput, parseMovieLookup } from '@cinemaabyss/shared/movies';
import { parseInput } from '@cinemaabyss/shared/validation';
import { moviesErrors } from '../errors';
import type { MoviesRepository } from './moviesRepository';

/**
 * `GET/POST /api/movies` of the REST contract, the movies service's side: over its repository.
 * The legacy monolith answers the same contract with its own code; one contract suite
 * (`describeMoviesRestContract`) runs against both.
 */
export function registerMoviesRoutes(app: FastifyInstance, movies: MoviesRepository): void {
  registerPath(app, '/api/movies', {
    GET: async (request) => {
      const lookup = parseMovieLookup(request.query);
      switch (lookup.by) {
        case 'all':
          return movies.list();
        case 'ids':
          return movies.findByIds(lookup.ids);
        case 'id': {
          const movie = await movies.findById(lookup.id);
          if (!movie) throw moviesErrors.movieNotFound(lookup.id);
          return movie;
        }
      }
    },
    POST: async (request, reply) => {
      const input = parseInput(newMovieInput, request.body);
      reply.code(201);
      return movies.create(input);
    },
  });
}
