import { badUserInput, notFound } from '@cinemaabyss/shared/http';

/**
 * Every failure the movies service reports to a client, each an AppError (GraphQL
 * `extensions.code`, REST `{"error": message}`). Malformed movie fields are reported by the
 * shared validation; these are the service's own.
 */
export const moviesErrors = {
  movieNotFound: (movieId: number) => notFound(`movie ${movieId} not found`),
  /** Text PostgreSQL cannot store; `problem` names the field. */
  unstorableText: (problem: string) => badUserInput(problem),
  scoreOutOfRange: () => badUserInput('score must be between 1 and 10'),
  reviewTooLong: (max: number) => badUserInput(`review must be at most ${max} characters`),
  unknownUser: (userId: number) => badUserInput(`user ${userId} does not exist`),
  unknownMovie: (movieId: number) => badUserInput(`movie ${movieId} does not exist`),
  /** A rating whose movie is gone: the foreign key forbids it, so this is broken data. */
  ratedMovieMissing: (movieId: number) => notFound(`movie ${movieId} not found`),
};
