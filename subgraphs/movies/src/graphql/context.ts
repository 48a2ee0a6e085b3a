import type { Caller } from '@cinemaabyss/shared/identity';
import type { MoviesRepository } from '../movies/moviesRepository';
import type { RatingsRepository } from '../ratings/ratingsRepository';
import type { MoviesLoaders } from './loaders';

/** What every resolver of one GraphQL request shares. */
export interface MoviesContext {
  loaders: MoviesLoaders;
  movies: MoviesRepository;
  ratings: RatingsRepository;
  /** Who the gateway says is asking (x-auth-subject / x-auth-scopes); undefined: anonymous. */
  caller: Caller | undefined;
}

/** A user as this subgraph knows one: the monolith subgraph owns users, a reference has the id. */
export interface UserReference {
  id: string;
}
