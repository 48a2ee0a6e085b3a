import { createPool } from '@cinemaabyss/shared/db';
import { createHttpApp, listenOn } from '@cinemaabyss/shared/http';
import type { Logger } from '@cinemaabyss/shared/logging';
import type { GatewayConfig } from './config';
import { registerAdminApi } from './dial/adminApi';
import { createMigrationDial } from './dial/migrationDial';
import { createMigrationStore } from './dial/migrationStore';
import { prepareGatewayDatabase } from './dial/prepareGatewayDatabase';
import { MOVIES_MIGRATION, seedMigrations } from './dial/seedMigrations';
import { mountGateway } from './graphql/mountGateway';
import { createFiguresStore } from './figures/figuresStore';
import { useMigrationFigures } from './figures/useMigrationFigures';
import { createMismatchStore } from './shadow/mismatchStore';
import { createRestShadow } from './shadow/restShadow';
import { createGraphqlShadow } from './shadow/graphqlShadow';
import { createNoiseStore } from './shadow/noiseStore';
import type { ShadowResult, Side, Surface } from './figures/figuresRecorder';
import { createGatewayMetrics } from './metrics';
import { createRolloutAnnouncer } from './rollout/announceRollout';
import { createRolloutDriver, transitionEvent } from './rollout/rolloutDriver';
import { createRolloutStore } from './rollout/rolloutStore';
import { registerPlayground } from './playground';
import { registerStatusPage } from './statusPage/registerStatusPage';
import { checkReadiness } from './readiness';
import { createBackendClient } from './rest/backendClient';
import { createMigrationRouter } from './rest/migrationRouter';
import { registerRestShim } from './rest/registerRestShim';
import { registerAuthentication } from './auth/registerAuthentication';
import { createSubscriptions } from './subscriptions/createSubscriptions';
import { registerSse } from './subscriptions/registerSse';
import { registerWebSocket } from './subscriptions/registerWebSocket';
import { verifierFromConfig } from './auth/verifierFromConfig';

export interface GatewayDeps {
  logger: Logger;
}

export interface GatewayServer {
  listen(port?: number, host?: string): Promise<string>;
  close(): Promise<void>;
}

/**
 * The live migration dial over the gateway's own tables: migrated, seeded from the environment
 * where no setting exists, read once. Start-up fails if the database cannot be reached; after
 * that the dial outlives database outages on its last known settings.
 */
async function startMigrationDial(config: GatewayConfig, logger: Logger) {
  await prepareGatewayDatabase(config.dbConnectionString, logger);
  // Small and quick to give up: the dial re-reads on its own schedule, requests never wait on it.
  const pool = createPool({
    connectionString: config.dbConnectionString,
    applicationName: 'gateway',
    logger,
    max: 4,
    connectionTimeoutMillis: 2_000,
    statementTimeoutMillis: 2_000,
  });
  try {
    const store = createMigrationStore(pool);
    await seedMigrations(store, config, logger);
    const dial = createMigrationDial({
      store,
      connectionString: config.dbConnectionString,
      refreshMs: config.migrationRefreshMs,
      logger,
    });
    await dial.start();
    return { pool, store, dial };
  } catch (err) {
    await pool.end();
    throw err;
  }
}

/**
 * The gateway: federated /graphql, the REST strangler shim on the live migration dial, the
 * admin API, /health, /ready and /metrics.
 */
export async function createServer(
  config: GatewayConfig,
  { logger }: GatewayDeps,
): Promise<GatewayServer> {
  const { pool, store, dial } = await startMigrationDial(config, logger);
  if (!config.adminToken) logger.info('admin API is off: set ADMIN_TOKEN to turn it on');
  const auth = verifierFromConfig(config.auth, logger);
  if (!auth.keys) {
    logger.info('no JWKS configured (JWT_JWKS_URL or JWT_JWKS_FILE): bearer tokens get 503');
  }
  const app = createHttpApp({ logger });
  const rollouts = createRolloutStore(pool);
  const announce = createRolloutAnnouncer({ logger, webhookUrl: config.rolloutWebhookUrl });
  const figuresStore = createFiguresStore(pool);
  const driver = createRolloutDriver({
    connectionString: config.dbConnectionString,
    rollouts,
    figures: figuresStore,
    tickMs: config.rolloutTickMs,
    logger,
    onTransition: (rollout, transition) => {
      // This replica applies the new percentage at once; the others on its notification.
      void dial.refresh();
      announce(rollout, transitionEvent(rollout, transition.kind));
    },
  });
  const metrics = createGatewayMetrics({
    migrationPercentages: dial.percentages,
    rollouts: () =>
      driver.latest().map(({ migration, state, step }) => ({ migration, state, step: step + 1 })),
  });
  const client = createBackendClient({ timeoutMs: config.backendTimeoutMs });
  const figures = useMigrationFigures({
    store: figuresStore,
    logger,
    windowMs: config.figuresWindowMs,
    flushMs: config.figuresFlushMs,
  });
  const mismatches = createMismatchStore(pool);
  const noise = createNoiseStore(pool, { logger, expiryMs: config.shadowNoiseExpiryMs });
  /** The shadow comparison of one surface of the movies migration, on the shared limits. */
  const shadowOptions = (surface: Surface) => ({
    migration: MOVIES_MIGRATION,
    settings: () => dial.setting(MOVIES_MIGRATION),
    figures,
    mismatches,
    noise,
    logger,
    maxInFlight: config.shadowMaxInFlight,
    timeoutMs: config.shadowTimeoutMs,
    observe: ({
      result,
      side,
      durationMs,
    }: {
      result: ShadowResult;
      side: Side;
      durationMs?: number;
    }) => {
      metrics.shadowComparisons.inc({ migration: MOVIES_MIGRATION, surface, result });
      if (durationMs !== undefined) {
        metrics.shadowDuration.observe({ migration: MOVIES_MIGRATION, side }, durationMs / 1000);
      }
    },
  });
  const subscriptions = createSubscriptions(config.subscriptions, { metrics, logger });
  const shadow = createRestShadow(shadowOptions('rest'));
  const graphqlShadow = createGraphqlShadow(shadowOptions('graphql'));
  app.addHook('onClose', async () => {
    try {
      await client.close();
      await subscriptions?.feed.stop();
    } finally {
      auth.keys?.stop();
      await Promise.all([figures.stop(), dial.stop(), noise.stop(), driver.stop()]).finally(() =>
        pool.end(),
      );
    }
  });
  try {
    await registerRoutes();
  } catch (err) {
    await app.close();
    throw err;
  }

  return {
    listen: (port = config.port, host = config.host) => listenOn(app, port, host),
    close: () => app.close(),
  };

  async function registerRoutes() {
    // What other replicas learned of noise, read again every few seconds.
    await noise.start();
    // A JWKS that cannot be read yet is no reason not to start: anonymous callers are served.
    await auth.keys?.start();
    driver.start();
    subscriptions?.feed.start();
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
      // Not a reason to leave the load balancer: stale settings still route every request.
      return {
        ...result,
        migrationDial: dial.status(),
        rolloutLeader: driver.isLeader(),
        ...(auth.keys && { jwksKeys: auth.keys.keyCount() }),
        ...(subscriptions && {
          subscriptions: {
            feed: subscriptions.feed.status(),
            active: subscriptions.hub.count(),
            replayable: subscriptions.hub.replayable(),
          },
        }),
      };
    });
    app.get('/metrics', async (_request, reply) => {
      reply.header('content-type', metrics.registry.contentType);
      return metrics.registry.metrics();
    });

    // Before the routes it guards: /graphql always, /api/* as REST_AUTH says.
    registerAuthentication(app, {
      verifier: auth.verifier,
      restMode: config.auth.restMode,
      metrics,
    });
    await registerAdminApi(app, {
      token: config.adminToken,
      store,
      dial,
      figures: figuresStore,
      mismatches,
      noise,
      rollouts,
      onRolloutCommand: (rollout, event) => announce(rollout, event),
      logger,
      statusPage: config.adminToken !== undefined,
    });
    // The migration status page, only where the admin API it reads is on.
    if (config.adminToken) await registerStatusPage(app);
    await registerRestShim(app, {
      backends: {
        monolith: config.monolithUrl,
        movies: config.moviesServiceUrl,
        events: config.eventsServiceUrl,
      },
      client,
      route: createMigrationRouter({ moviesPercent: () => dial.percent(MOVIES_MIGRATION) }),
      metrics,
      figures,
      shadow,
    });
    // Before Apollo: a browser's GET /graphql gets the playground, API clients get Apollo.
    // Production turns introspection off, which leaves the playground without docs: skip it.
    if (!config.production) await registerPlayground(app, { endpoint: '/graphql' });
    const { subscriptionEngine } = await mountGateway(app, {
      supergraphPath: config.supergraphPath,
      subgraphUrls: config.subgraphUrls,
      timeoutMs: config.backendTimeoutMs,
      introspection: !config.production,
      deduplicateInFlight: config.deduplicateInFlight,
      logger,
      metrics,
      migrationPercent: dial.find,
      shadow: graphqlShadow,
      figures,
      authzMode: config.auth.authzMode,
      subscriptions: subscriptions?.hub,
    });
    registerSse(app, () => subscriptionEngine);
    const webSocket = registerWebSocket(app, {
      engine: () => subscriptionEngine,
      verifier: auth.verifier,
      metrics,
      perConnection: config.subscriptions.perConnection,
    });
    // Before the server stops listening: every subscription completes (SSE `complete`,
    // graphql-ws `complete`), then the sockets close with 1001, so no long-lived connection
    // holds up the drain.
    app.addHook('preClose', async () => {
      await subscriptions?.hub.drain(1_000);
      await webSocket.close();
    });
  }
}
