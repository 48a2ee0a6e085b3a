import { createHttpApp, listenOn, registerHealthRoute } from '@cinemaabyss/shared/http';
import { injectedOrOwnPool, isDatabaseReachable } from '@cinemaabyss/shared/db';
import type { Logger } from '@cinemaabyss/shared/logging';
import type { Pool } from '@cinemaabyss/shared/db';
import type { MonolithConfig } from './config';
import { prepareDatabase } from './db/prepareDatabase';
import { registerMoviesRoutes } from './movies/moviesRoutes';
import { createPaymentsRepository } from './payments/paymentsRepository';
import { registerPaymentsRoutes } from './payments/paymentsRoutes';
import { createSubscriptionsRepository } from './subscriptions/subscriptionsRepository';
import { registerSubscriptionsRoutes } from './subscriptions/subscriptionsRoutes';
import { createUsersRepository } from './users/usersRepository';
import { registerUsersRoutes } from './users/usersRoutes';

export interface MonolithDeps {
  logger: Logger;
  /** Injected so tests can share or break it; created from config when absent. */
  pool?: Pool;
}

export interface MonolithServer {
  /** Listens on the configured host (or host) and resolves the base URL, e.g. http://127.0.0.1:8080. */
  listen(port?: number, host?: string): Promise<string>;
  /** Drains HTTP, then ends the pool if this server created it. */
  close(): Promise<void>;
  readonly pool: Pool;
}

/**
 * The legacy REST API over PostgreSQL. All its start-up work is done here: the database it
 * owns is created, migrated and seeded when empty (an injected pool's database is the caller's,
 * already prepared); nothing is served until listen().
 */
export async function createServer(
  config: MonolithConfig,
  deps: MonolithDeps,
): Promise<MonolithServer> {
  if (!deps.pool) await prepareDatabase(config.dbConnectionString, deps.logger);
  const { pool, release: releasePool } = injectedOrOwnPool(deps.pool, {
    connectionString: config.dbConnectionString,
    applicationName: 'legacy-monolith',
    logger: deps.logger,
  });
  const app = createHttpApp({ logger: deps.logger });

  registerHealthRoute(app, '/health', () => isDatabaseReachable(pool), 'database unreachable');
  registerUsersRoutes(app, createUsersRepository(pool));
  registerMoviesRoutes(app, pool);
  registerPaymentsRoutes(app, createPaymentsRepository(pool));
  registerSubscriptionsRoutes(app, createSubscriptionsRepository(pool));

  return {
    pool,
    listen: (port = config.port, host = config.host) => listenOn(app, port, host),
    async close() {
      await app.close();
      await releasePool();
    },
  };
}
