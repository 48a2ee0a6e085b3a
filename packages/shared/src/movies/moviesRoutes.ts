import type { FastifyInstance } from 'fastify';
import { parseIdListParam, parseIdParam, parseInput } from '../contract/validation';
import { badUserInput, notFound } from '../http/errors';
import { registerPath } from '../http/routes';
import type { MoviesRepository } from './moviesRepository';
import { newMovieInput } from './newMovieInput';

/**
 * `GET/POST /api/movies` of the REST contract. The legacy monolith and the movies service
 * mount this same handler over the same tables while the strangler moves traffic between them.
 */
export function registerMoviesRoutes(app: FastifyInstance, movies: MoviesRepository): void {
  registerPath(app, '/api/movies', {
    GET: async (request) => {
      const id = parseIdParam(request.query, 'id');
      // `?ids=1,2,3`: a batch lookup for GraphQL entity resolution; unknown ids are absent.
      const ids = parseIdListParam(request.query, 'ids');
      if (ids !== undefined) {
        if (id !== undefined) throw badUserInput('query parameters id and ids cannot be combined');
        return movies.findByIds(ids);
      }
      if (id === undefined) return movies.list();
      const movie = await movies.findById(id);
      if (!movie) throw notFound(`movie ${id} not found`);
      return movie;
    },
    POST: async (request, reply) => {
      const input = parseInput(newMovieInput, request.body);
      reply.code(201);
      return movies.create(input);
    },
  });
}
