import { z } from 'zod';
import { bodySchema, decimalField, freeTextField, textField } from '../contract/validation';

/**
 * A movie's own fields, validated alike wherever one is written or described: the monolith and
 * the movies service (new movies) and the events service (movie events) all use this schema.
 */
export const movieFields = z.object({
  title: textField('title', { max: 255 }),
  description: freeTextField('description', { max: 5000 }),
  genres: z
    .array(textField('genres[]', { max: 64 }), { error: 'genres must be an array of strings' })
    .max(20, { error: 'genres must have at most 20 entries' }),
  rating: decimalField('rating', { min: 0, max: 10, decimals: 1 }),
});

/**
 * A new movie as both backends accept it during the migration (REST body and the GraphQL
 * CreateMovieInput share these names), so the monolith and the movies service validate alike.
 */
export const newMovieInput = bodySchema({
  ...movieFields.shape,
  genres: movieFields.shape.genres.nullish().transform((genres) => genres ?? []),
});

export type NewMovieInput = z.output<typeof newMovieInput>;
