import { createHttpApp, listenOn, registerHealthRoute } from '@cinemaabyss/shared/http';
import { injectedOrOwnPool, isDatabaseReachable } from '@cinemaabyss/shared/db';
import type { Logger } from '@cinemaabyss/shared/logging';
import type { Pool } from '@cinemaabyss/shared/db';
import type { MonolithConfig } from './config';
import { createMoviesRepository, registerMoviesRoutes } from '@cinemaabyss/shared/movies';

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
  /** Listens on 127.0.0.1 (or host) and resolves the base URL, e.g. http://127.0.0.1:8080. */
  listen(port?: number, host?: string): Promise<string>;
  /** Drains HTTP, then ends the pool if this server created it. */
  close(): Promise<void>;
  readonly pool: Pool;
}

/** The legacy REST API over PostgreSQL. Side-effect free until listen(). */
export function createServer(config: MonolithConfig, deps: MonolithDeps): MonolithServer {
  const { pool, release: releasePool } = injectedOrOwnPool(deps.pool, {
    connectionString: config.dbConnectionString,
    applicationName: 'legacy-monolith',
    logger: deps.logger,
  });
  const app = createHttpApp({ logger: deps.logger });

  registerHealthRoute(app, '/health', () => isDatabaseReachable(pool), 'database unreachable');
  registerUsersRoutes(app, createUsersRepository(pool));
  registerMoviesRoutes(app, createMoviesRepository(pool));
  registerPaymentsRoutes(app, createPaymentsRepository(pool));
  registerSubscriptionsRoutes(app, createSubscriptionsRepository(pool));

  return {
    pool,
    listen: (port = config.port, host = '127.0.0.1') => listenOn(app, port, host),
    async close() {
      await app.close();
      await releasePool();
    },
  };
}
