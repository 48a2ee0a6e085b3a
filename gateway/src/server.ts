import { createHttpApp, listenOn } from '@cinemaabyss/shared/http';
import type { Logger } from '@cinemaabyss/shared/logging';
import type { GatewayConfig } from './config';
import { mountGateway } from './graphql/mountGateway';
import { createGatewayMetrics } from './metrics';
import { registerPlayground } from './playground';
import { checkReadiness } from './readiness';
import { createBackendClient } from './rest/backendClient';
import { createMigrationRouter } from './rest/migrationRouter';
import { registerRestShim } from './rest/registerRestShim';

export interface GatewayDeps {
  logger: Logger;
}

export interface GatewayServer {
  listen(port?: number, host?: string): Promise<string>;
  close(): Promise<void>;
}

/** The gateway: federated /graphql, the REST strangler shim, /health, /ready and /metrics. */
export async function createServer(
  config: GatewayConfig,
  { logger }: GatewayDeps,
): Promise<GatewayServer> {
  const app = createHttpApp({ logger });
  const metrics = createGatewayMetrics();
  const client = createBackendClient({ timeoutMs: config.backendTimeoutMs });

  app.get('/health', async () => ({ status: true }));
  app.get('/ready', async (_request, reply) => {
    const result = await checkReadiness(
      {
        monolith: `${config.monolithUrl}/health`,
        movies: `${config.moviesServiceUrl}/api/movies/health`,
        events: `${config.eventsServiceUrl}/api/events/health`,
        'monolith-subgraph': config.subgraphUrls.monolith?.replace(/\/graphql$/, '/health') ?? '',
      },
      { dispatcher: client.dispatcher },
    );
    if (!result.ready) reply.code(503);
    return result;
  });
  app.get('/metrics', async (_request, reply) => {
    reply.header('content-type', metrics.registry.contentType);
    return metrics.registry.metrics();
  });

  await registerRestShim(app, {
    backends: {
      monolith: config.monolithUrl,
      movies: config.moviesServiceUrl,
      events: config.eventsServiceUrl,
    },
    client,
    route: createMigrationRouter({
      gradualMigration: config.gradualMigration,
      moviesPercent: config.moviesMigrationPercent,
    }),
    metrics,
  });
  // Before Apollo: a browser's GET /graphql gets the playground, API clients get Apollo.
  // Production turns introspection off, which leaves the playground without docs: skip it.
  if (!config.production) await registerPlayground(app, { endpoint: '/graphql' });
  await mountGateway(app, {
    supergraphPath: config.supergraphPath,
    subgraphUrls: config.subgraphUrls,
    timeoutMs: config.backendTimeoutMs,
    introspection: !config.production,
    deduplicateInFlight: config.deduplicateInFlight,
    logger,
    metrics,
  });
  app.addHook('onClose', async () => {
    await client.close();
  });

  return {
    listen: (port = config.port, host = config.host) => listenOn(app, port, host),
    close: () => app.close(),
  };
}
