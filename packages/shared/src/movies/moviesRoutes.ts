import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import {
  bodySchema,
  decimalField,
  notFound,
  parseIdParam,
  parseInput,
  registerPath,
  textField,
} from '@cinemaabyss/shared';
import type { MoviesRepository } from './moviesRepository';

const newMovieBody = bodySchema({
  title: textField('title', { max: 255 }),
  description: z
    .string({
      error: (i) => (i.input == null ? 'description is required' : 'description must be a string'),
    })
    .max(5000, { error: 'description must be at most 5000 characters' }),
  genres: z
    .array(textField('genres[]', { max: 64 }), { error: 'genres must be an array of strings' })
    .max(20, { error: 'genres must have at most 20 entries' })
    .optional()
    .default([]),
  rating: decimalField('rating', { min: 0, max: 10, decimals: 1 }),
});

export function registerMoviesRoutes(app: FastifyInstance, movies: MoviesRepository): void {
  registerPath(app, '/api/movies', {
    GET: async (request) => {
      const id = parseIdParam(request.query, 'id');
      if (id === undefined) return movies.list();
      const movie = await movies.findById(id);
      if (!movie) throw notFound(`movie ${id} not found`);
      return movie;
    },
    POST: async (request, reply) => {
      const input = parseInput(newMovieBody, request.body);
      reply.code(201);
      return movies.create(input);
    },
  });
}
