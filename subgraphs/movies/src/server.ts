import path from 'node:path';
import { createHttpApp, listenOn, registerHealthRoute } from '@cinemaabyss/shared/http';
import { injectedOrOwnPool, isDatabaseReachable } from '@cinemaabyss/shared/db';
import type { Logger } from '@cinemaabyss/shared/logging';
import type { Pool } from '@cinemaabyss/shared/db';
import { mountSubgraph } from '@cinemaabyss/shared/graphql';
import type { MoviesConfig } from './config';
import { createMoviesLoaders } from './graphql/loaders';
import { createMoviesRepository } from './movies/moviesRepository';
import { registerMoviesRoutes } from './movies/moviesRoutes';
import { resolvers } from './graphql/resolvers';
import type { MoviesContext } from './graphql/context';
import { callerFromHeaders } from '@cinemaabyss/shared/identity';
import { createRatingsRepository } from './ratings/ratingsRepository';

/** The SDL that supergraph.yaml composes; the server loads the very same file. */
export const MOVIES_SDL_PATH = path.resolve(__dirname, '../schema.graphql');

export interface MoviesDeps {
  logger: Logger;
  /** Injected so tests can count or break queries; created from config when absent. */
  pool?: Pool;
}

export interface MoviesServer {
  listen(port?: number, host?: string): Promise<string>;
  close(): Promise<void>;
}

/** REST `/api/movies` and the movies subgraph on one port, over the shared movie tables. */
export async function createServer(config: MoviesConfig, deps: MoviesDeps): Promise<MoviesServer> {
  const { pool, release: releasePool } = injectedOrOwnPool(deps.pool, {
    connectionString: config.dbConnectionString,
    applicationName: 'movies-service',
    logger: deps.logger,
  });
  const movies = createMoviesRepository(pool);
  const ratings = createRatingsRepository(pool);
  const app = createHttpApp({ logger: deps.logger });

  registerHealthRoute(
    app,
    '/api/movies/health',
    () => isDatabaseReachable(pool),
    'database unreachable',
  );
  registerMoviesRoutes(app, movies);
  await mountSubgraph<MoviesContext>(app, {
    sdlPath: MOVIES_SDL_PATH,
    resolvers,
    logger: deps.logger,
    context: async (request) => ({
      movies,
      ratings,
      loaders: createMoviesLoaders(movies, ratings),
      caller: callerFromHeaders(request.headers),
    }),
  });

  return {
    listen: (port = config.port, host = config.host) => listenOn(app, port, host),
    async close() {
      await app.close();
      await releasePool();
    },
  };
}
