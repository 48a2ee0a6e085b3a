import DataLoader from 'dataloader';
import type { Movie } from '@cinemaabyss/shared/movies';
import type { MoviesRepository } from '../movies/moviesRepository';
import type { Rating, RatingsRepository } from '../ratings/ratingsRepository';

export interface MoviesLoaders {
  movie: DataLoader<number, Movie | null>;
  averageRating: DataLoader<number, number | null>;
  ratingsByUser: DataLoader<number, Rating[]>;
}

/** Groups rows by key in the order DataLoader asked for the keys. */
function byKey<T>(keys: readonly number[], rows: T[], keyOf: (row: T) => number): T[][] {
  const groups = new Map<number, T[]>(keys.map((k) => [k, []]));
  for (const row of rows) groups.get(keyOf(row))?.push(row);
  return keys.map((k) => groups.get(k) ?? []);
}

/**
 * Loaders live for one request: every Movie or User the request touches, through queries or
 * entity references from the gateway, costs one SQL statement per kind, not one per entity.
 */
export function createMoviesLoaders(
  movies: MoviesRepository,
  ratings: RatingsRepository,
): MoviesLoaders {
  return {
    movie: new DataLoader(async (ids) => {
      const found = await movies.findByIds(ids);
      return byKey(ids, found, (m) => m.id).map((group) => group[0] ?? null);
    }),
    averageRating: new DataLoader(async (ids) => {
      const averages = await ratings.averageByMovieIds(ids);
      return ids.map((id) => averages.get(id) ?? null);
    }),
    ratingsByUser: new DataLoader(async (userIds) =>
      byKey(userIds, await ratings.listByUserIds(userIds), (r) => r.userId),
    ),
  };
}
