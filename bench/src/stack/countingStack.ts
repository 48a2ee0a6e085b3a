import { createSilentLogger } from '@cinemaabyss/shared/logging';
import { createServer as createMonolith } from '@cinemaabyss/legacy-monolith';
import { loadConfig as monolithConfig } from '@cinemaabyss/legacy-monolith/config';
import { createServer as createMoviesService } from '@cinemaabyss/movies-service';
import { loadConfig as moviesConfig } from '@cinemaabyss/movies-service/config';
import { startMonolithSubgraph } from '@cinemaabyss/monolith-subgraph/testing';
import { startGateway } from '@cinemaabyss/gateway/testing';
import { benchGatewayAuth } from '../gateways/gatewaySpec';
import type { GatewaySpec } from '../gateways/gatewaySpec';
import { createAccessLogCounter } from './accessLogCounter';
import type { AccessLogCounter } from './accessLogCounter';
import { createCountingPool } from './countingPool';
import type { CountingPool } from './countingPool';

export interface CountingStack {
  gatewayUrl: string;
  monolithUrl: string;
  moviesUrl: string;
  /** REST requests the monolith answered. */
  monolithRequests: AccessLogCounter;
  monolithSql: CountingPool;
  moviesSql: CountingPool;
  stop(): Promise<void>;
}

/**
 * The platform in this process, instrumented to count rather than to time: the monolith's
 * access log and both services' SQL statements, behind our gateway.
 */
export async function startCountingStack(
  db: string,
  auth?: GatewaySpec['auth'],
): Promise<CountingStack> {
  const monolithRequests = createAccessLogCounter('monolith');
  const monolithSql = createCountingPool(db, 'bench-monolith');
  const moviesSql = createCountingPool(db, 'bench-movies');
  const monolith = await createMonolith(
    { ...monolithConfig({ DB_CONNECTION_STRING: db }), port: 0, host: '127.0.0.1' },
    { logger: monolithRequests.logger, pool: monolithSql.pool },
  );
  const monolithUrl = await monolith.listen(0);
  const movies = await createMoviesService(
    { ...moviesConfig({ DB_CONNECTION_STRING: db }), port: 0, host: '127.0.0.1' },
    { logger: createSilentLogger(), pool: moviesSql.pool },
  );
  const moviesUrl = await movies.listen(0);
  const subgraph = await startMonolithSubgraph({ monolithUrl });
  const gateway = await startGateway({
    monolithUrl,
    moviesServiceUrl: moviesUrl,
    eventsServiceUrl: 'http://127.0.0.1:9',
    subgraphUrls: { monolith: subgraph.graphqlUrl, movies: `${moviesUrl}/graphql` },
    dbConnectionString: db,
    // The migrated state, as the other gateways of the bench: movies from the movies service.
    gradualMigration: true,
    moviesMigrationPercent: 100,
    ...benchGatewayAuth(auth),
  });
  return {
    gatewayUrl: `${gateway.url}/graphql`,
    monolithUrl,
    moviesUrl,
    monolithRequests,
    monolithSql,
    moviesSql,
    async stop() {
      await gateway.stop();
      await subgraph.stop();
      await movies.close();
      await monolith.close();
      await Promise.all([monolithSql.pool.end(), moviesSql.pool.end()]);
    },
  };
}
