import path from 'node:path';
import { createHttpApp, listenOn, registerHealthRoute } from '@cinemaabyss/shared/http';
import type { Logger } from '@cinemaabyss/shared/logging';
import { mountSubgraph } from '@cinemaabyss/shared/graphql';
import type { MonolithSubgraphConfig } from './config';
import type { MonolithContext } from './graphql/context';
import { callerFromHeaders } from '@cinemaabyss/shared/identity';
import { createLoaders } from './graphql/loaders';
import { resolvers } from './graphql/resolvers';
import type { Dispatcher } from '@cinemaabyss/shared/http-client';
import { createLegacyClient } from './legacy/legacyClient';

/** The SDL that supergraph.yaml composes; the server loads the very same file. */
export const MONOLITH_SDL_PATH = path.resolve(__dirname, '../schema.graphql');

export interface MonolithSubgraphDeps {
  logger: Logger;
  /** What calls to the legacy monolith go through (tests: a mock); a keep-alive agent when absent. */
  legacyDispatcher?: Dispatcher;
}

export interface MonolithSubgraphServer {
  /** Listens on the configured host (or host) and resolves the base URL, e.g. http://127.0.0.1:8083. */
  listen(port?: number, host?: string): Promise<string>;
  /** Drains HTTP (and Apollo), then closes the REST connection pool if this server made it. */
  close(): Promise<void>;
}

/** The legacy REST API as a Federation 2 subgraph at /graphql, plus GET /health. */
export async function createServer(
  config: MonolithSubgraphConfig,
  deps: MonolithSubgraphDeps,
): Promise<MonolithSubgraphServer> {
  const legacyClient = createLegacyClient({
    baseUrl: config.monolithUrl,
    timeoutMs: config.monolithTimeoutMs,
    logger: deps.logger,
    dispatcher: deps.legacyDispatcher,
  });
  const app = createHttpApp({ logger: deps.logger });

  // Healthy means able to answer: this subgraph holds no data of its own.
  registerHealthRoute(
    app,
    '/health',
    (request) => legacyClient.forRequest(request.id).isHealthy(),
    'legacy monolith unreachable',
  );
  await mountSubgraph<MonolithContext>(app, {
    sdlPath: MONOLITH_SDL_PATH,
    resolvers,
    logger: deps.logger,
    context: async (request) => {
      const legacy = legacyClient.forRequest(request.id);
      return {
        legacy,
        loaders: createLoaders(legacy),
        now: new Date(),
        caller: callerFromHeaders(request.headers),
      };
    },
  });

  return {
    listen: (port = config.port, host = config.host) => listenOn(app, port, host),
    async close() {
      await app.close();
      await legacyClient.close();
    },
  };
}
