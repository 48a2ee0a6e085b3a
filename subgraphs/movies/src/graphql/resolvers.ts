import { forbidden } from '@cinemaabyss/shared/http';
import { mayActFor } from '@cinemaabyss/shared/identity';
import { moviesErrors } from '../errors';
import { parseInput, unstorableTextProblem } from '@cinemaabyss/shared/validation';
import { pageOf, parseEntityId, readMoviesArgs, readPage } from '@cinemaabyss/shared/graphql';
import { newMovieInput } from '@cinemaabyss/shared/movies';
import type { Resolvers } from './generated/resolverTypes';

/** The scope that lets a caller rate movies for any user. */
const RATE_FOR_ANYONE = 'ratings:write:any';

const MAX_REVIEW_LENGTH = 2000;

/** Text arguments go into SQL parameters; what PostgreSQL cannot store is the client's mistake. */
function checkStorable(field: string, text: string | null | undefined): void {
  const problem = text == null ? undefined : unstorableTextProblem(field, text);
  if (problem) throw moviesErrors.unstorableText(problem);
}

function checkRating(score: number, review: string | null | undefined): void {
  if (score < 1 || score > 10) throw moviesErrors.scoreOutOfRange();
  if (review && review.length > MAX_REVIEW_LENGTH) {
    throw moviesErrors.reviewTooLong(MAX_REVIEW_LENGTH);
  }
  checkStorable('review', review);
}

export const resolvers: Resolvers = {
  Query: {
    async movies(_root, args, { movies, loaders }) {
      const page = await movies.list(readMoviesArgs(args));
      for (const movie of page) loaders.movie.prime(movie.id, movie);
      return page;
    },
    movie(_root, { id }, { loaders }) {
      return loaders.movie.load(parseEntityId(id, 'id'));
    },
  },
  Mutation: {
    createMovie(_root, { input }, { movies }) {
      // The generated input type says what GraphQL checked; the shared schema checks the rest.
      return movies.create(parseInput(newMovieInput, input));
    },
    rateMovie(_root, args, { ratings, caller }) {
      checkRating(args.score, args.review);
      const userId = parseEntityId(args.userId, 'userId');
      // One rates as oneself; for another user only with ratings:write:any.
      if (!mayActFor(caller, userId, RATE_FOR_ANYONE)) {
        throw forbidden(
          `a rating of user ${userId}: only that user, or a caller with ${RATE_FOR_ANYONE}`,
        );
      }
      return ratings.rate({
        userId,
        movieId: parseEntityId(args.movieId, 'movieId'),
        score: args.score,
        review: args.review ?? null,
      });
    },
  },
  Movie: {
    __resolveReference(reference, { loaders }) {
      return loaders.movie.load(parseEntityId(reference.id, 'Movie.id'));
    },
    averageRating(movie, _args, { loaders }) {
      return loaders.averageRating.load(movie.id);
    },
  },
  User: {
    // Users live in the monolith subgraph; here a reference only carries the id.
    __resolveReference(reference) {
      return { id: String(reference.id) };
    },
    async ratings(user, args, { loaders }) {
      const [id, page] = [parseEntityId(user.id, 'User.id'), readPage(args)];
      return pageOf(await loaders.ratingsByUser.load(id), page);
    },
  },
  Rating: {
    async movie(rating, _args, { loaders }) {
      const movie = await loaders.movie.load(rating.movieId);
      if (!movie) throw moviesErrors.ratedMovieMissing(rating.movieId);
      return movie;
    },
  },
};
