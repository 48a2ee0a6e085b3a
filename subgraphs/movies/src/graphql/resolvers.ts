import { moviesErrors } from '../errors';
import { parseInput, unstorableTextProblem } from '@cinemaabyss/shared/validation';
import { parseEntityId } from '@cinemaabyss/shared/graphql';
import { newMovieInput } from '@cinemaabyss/shared/movies';
import type { Movie, MoviesRepository } from '@cinemaabyss/shared/movies';
import type { Rating, RatingsRepository } from '../ratings/ratingsRepository';
import type { MoviesLoaders } from './loaders';

export interface MoviesContext {
  loaders: MoviesLoaders;
  movies: MoviesRepository;
  ratings: RatingsRepository;
}

/** Bounds of `Query.movies(limit:)`, so one query cannot ask for the whole catalogue. */
export const MAX_MOVIES_LIMIT = 100;
const MAX_REVIEW_LENGTH = 2000;

interface MoviesArgs {
  genre?: string | null;
  limit: number;
  offset: number;
}

/** Text arguments go into SQL parameters; what PostgreSQL cannot store is the client's mistake. */
function checkStorable(field: string, text: string | null | undefined): void {
  const problem = text == null ? undefined : unstorableTextProblem(field, text);
  if (problem) throw moviesErrors.unstorableText(problem);
}

function checkPage({ genre, limit, offset }: MoviesArgs): void {
  checkStorable('genre', genre);
  if (limit < 1 || limit > MAX_MOVIES_LIMIT) {
    throw moviesErrors.limitOutOfRange(MAX_MOVIES_LIMIT);
  }
  if (offset < 0) throw moviesErrors.negativeOffset();
}

function checkRating(score: number, review: string | null | undefined): void {
  if (score < 1 || score > 10) throw moviesErrors.scoreOutOfRange();
  if (review && review.length > MAX_REVIEW_LENGTH) {
    throw moviesErrors.reviewTooLong(MAX_REVIEW_LENGTH);
  }
  checkStorable('review', review);
}

export const resolvers = {
  Query: {
    async movies(_: unknown, args: MoviesArgs, { movies, loaders }: MoviesContext) {
      checkPage(args);
      const page = await movies.list({
        genre: args.genre ?? undefined,
        limit: args.limit,
        offset: args.offset,
      });
      for (const movie of page) loaders.movie.prime(movie.id, movie);
      return page;
    },
    movie(_: unknown, { id }: { id: string }, { loaders }: MoviesContext) {
      return loaders.movie.load(parseEntityId(id, 'id'));
    },
  },
  Mutation: {
    createMovie(_: unknown, { input }: { input: unknown }, { movies }: MoviesContext) {
      return movies.create(parseInput(newMovieInput, input));
    },
    rateMovie(
      _: unknown,
      args: { userId: string; movieId: string; score: number; review?: string | null },
      { ratings }: MoviesContext,
    ) {
      checkRating(args.score, args.review);
      return ratings.rate({
        userId: parseEntityId(args.userId, 'userId'),
        movieId: parseEntityId(args.movieId, 'movieId'),
        score: args.score,
        review: args.review ?? null,
      });
    },
  },
  Movie: {
    __resolveReference(ref: { id: string }, { loaders }: MoviesContext) {
      return loaders.movie.load(parseEntityId(ref.id, 'Movie.id'));
    },
    averageRating(movie: Movie, _: unknown, { loaders }: MoviesContext) {
      return loaders.averageRating.load(movie.id);
    },
  },
  User: {
    // Users live in the monolith subgraph; here a reference only carries the id.
    __resolveReference(ref: { id: string }) {
      return { id: ref.id };
    },
    ratings(user: { id: string }, _: unknown, { loaders }: MoviesContext) {
      return loaders.ratingsByUser.load(parseEntityId(user.id, 'User.id'));
    },
  },
  Rating: {
    movie(rating: Rating, _: unknown, { loaders }: MoviesContext) {
      return loaders.movie.load(rating.movieId);
    },
  },
};
