import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import fastifyApollo from '@as-integrations/fastify';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import type { Logger } from '@cinemaabyss/shared/logging';
import { servableOperationPlugin } from '@cinemaabyss/shared/graphql';
import type { FastifyInstance } from 'fastify';
import type { GatewayMetrics } from '../metrics';
import { collapseInFlightQueries } from './collapseInFlightQueries';
import { formatGatewayError, metricsPlugin } from './gatewayPlugins';
import { createKeepAliveAgent } from '@cinemaabyss/shared/http-client';
import { SubgraphDataSource } from './subgraphDataSource';
import type { GatewayContext } from './subgraphDataSource';
import { pageCostPlugin } from './pageCostPlugin';
import { evaluateProgressiveOverride } from './progressiveOverride';
import type { GraphqlShadow } from '../shadow/graphqlShadow';
import { countGraphqlServed } from '../figures/graphqlServed';
import type { MigrationFigures } from '../figures/useMigrationFigures';
import { watchSupergraph } from './watchSupergraph';
import { securedSupergraph } from '../authz/securedSupergraph';
import { enforceFieldAuthorization } from '../authz/enforceFieldAuthorization';
import type { AuthzMode } from '../authz/authzMode';
import type { SecurityIndex } from '../authz/securityDirectives';
import type { GatewayExecutor } from '@apollo/server-gateway-interface';
import type { GraphQLSchema } from 'graphql';
import {
  EVENTS_SUBGRAPH,
  createEventsDataSource,
  eventsSubgraphSchema,
  planSubscriptionAsSequence,
} from '../subscriptions/eventsSubgraph';
import type { SubscriptionEngine } from '../subscriptions/prepareSubscription';
import type { SubscriptionHub } from '../subscriptions/subscriptionHub';
import { wrapExecutor } from './wrapExecutor';
import { createSupergraphEngine } from '../engine/supergraphEngine';

/** Where subscriptions are served: not over plain POST /graphql, whose executor cannot run them. */
export const SUBSCRIPTIONS_SERVED =
  'subscribe over WebSocket (graphql-ws) at /graphql or over Server-Sent Events at POST /graphql/stream';

/** Limits that keep one operation from exhausting the gateway or the subgraphs behind it. */
export const OPERATION_LIMITS = {
  maxDepth: 15,
  maxAliases: 15,
  maxDirectives: 50,
  maxTokens: 2_000,
  /**
   * Fields an operation may ask for, a paginated list counting its selection once per item
   * of its limit (pageCostPlugin): 500 users with their default pages of payments,
   * subscriptions and ratings cost about 143,000.
   */
  maxCost: 200_000,
};

export interface MountGatewayOptions {
  supergraphPath: string;
  subgraphUrls: Readonly<Record<string, string>>;
  timeoutMs: number;
  introspection: boolean;
  /** Collapse identical in-flight query operations and subgraph query fetches. */
  deduplicateInFlight: boolean;
  logger: Logger;
  metrics: GatewayMetrics;
  /** The live dial's percentage of a migration, for `migration:<name>` override labels. */
  migrationPercent(name: string): number | undefined;
  /** Compares a sampled share of migrated queries with the other side's plan. */
  shadow?: Pick<GraphqlShadow, 'consider'>;
  /** The fleet figures each operation on a migration label counts in, per side. */
  figures?: Pick<MigrationFigures, 'served'>;
  /** Subscribers fed by the event topics; without it the gateway serves no subscription. */
  subscriptions?: SubscriptionHub;
  /** What a caller gets for fields it may not see: nulls and errors, or a 403. @default 'filter' */
  authzMode?: AuthzMode;
}

/**
 * Serves the federated graph at /graphql: the supergraph engine over the watched file,
 * Apollo Server with operation limits (graphql-armor), CSRF prevention and masked errors.
 */
export async function mountGateway(app: FastifyInstance, options: MountGatewayOptions) {
  // One keep-alive pool for every subgraph call of the process.
  const agent = createKeepAliveAgent({ timeoutMs: options.timeoutMs, connections: 128 });
  let security: SecurityIndex = { fields: new Map() };
  let eventsSchema: GraphQLSchema | undefined;
  let apiSchema: GraphQLSchema | undefined;
  const gateway = createSupergraphEngine({
    // The planner refuses the security directives' links; the gateway reads them itself.
    supergraphSdl: securedSupergraph(
      watchSupergraph(options.supergraphPath, options.logger),
      (index) => {
        security = index;
        options.logger.info(
          { protectedFields: [...index.fields.keys()] },
          'supergraph security directives read',
        );
      },
    ),
    // Query plans are cached in a bounded LRU; this is its budget.
    planCacheMiB: 30,
    logger: options.logger,
    // Its plan, fetch and post-processing spans, without the operation's text (it can carry
    // inline arguments such as e-mail addresses); a failed fetch records its exception.
    telemetry: { includeDocument: false, recordExceptions: true },
    // Subscriptions: the events subgraph has no server; its fetch is answered from the event.
    didResolveQueryPlan: planSubscriptionAsSequence,
    onPlanBuilt: () => options.metrics.queryPlansBuilt.inc(),
    buildService: ({ name, url }) =>
      name === EVENTS_SUBGRAPH
        ? createEventsDataSource(() => eventsSchema)
        : new SubgraphDataSource({
            name,
            url: options.subgraphUrls[name] ?? (url as string),
            timeoutMs: options.timeoutMs,
            agent,
            metrics: options.metrics,
            deduplicateInFlight: options.deduplicateInFlight,
          }),
  });
  gateway.onSchemaLoadOrUpdate(({ apiSchema: schema, coreSupergraphSdl }) => {
    apiSchema = schema;
    eventsSchema = eventsSubgraphSchema(coreSupergraphSdl);
  });
  const armor = new ApolloArmor({
    maxDepth: { n: OPERATION_LIMITS.maxDepth },
    maxAliases: { n: OPERATION_LIMITS.maxAliases },
    maxDirectives: { n: OPERATION_LIMITS.maxDirectives },
    // graphql-armor counts tokens in a parsingDidStart hook, where its error (and any syntax
    // error it meets first) escapes Apollo as a 500; graphql-js's own limit, below, is a 400.
    maxTokens: { enabled: false },
    // Counts a list as one item; pageCostPlugin below counts pages.
    costLimit: { enabled: false },
    blockFieldSuggestion: { enabled: options.introspection === false },
  }).protect();
  const withLabels = evaluateProgressiveOverride(gateway, {
    migrationPercent: options.migrationPercent,
    logger: options.logger,
    onExecuted: (executed, durationMs) => {
      if (options.figures) {
        countGraphqlServed(options.figures, executed.decisions, executed.result, durationMs);
      }
      options.shadow?.consider(executed, durationMs);
    },
    onThrown: (decisions, durationMs) => {
      if (options.figures) countGraphqlServed(options.figures, decisions, undefined, durationMs);
    },
    onDecision: ({ migration, servedBy }) => {
      if (migration) {
        options.metrics.migrationDecisions.inc({
          migration,
          surface: 'graphql',
          backend: servedBy,
        });
      }
    },
  });
  // Before planning (outside label evaluation): the operation is cut to what the caller may see.
  const authorized = enforceFieldAuthorization(withLabels, {
    security: () => security,
    mode: options.authzMode ?? 'filter',
    onUnauthorized: (coordinate) => options.metrics.unauthorizedFields.inc({ coordinate }),
  });
  // Collapsing sits outside the rest: requests it joins share X-User-Id and the verified
  // caller, so their labels and their rights. It joins queries only.
  const layered = options.deduplicateInFlight
    ? collapseInFlightQueries(authorized, () =>
        options.metrics.inFlightShared.inc({ level: 'operation' }),
      )
    : authorized;
  // The executor Apollo loads, every layer included, kept for the subscriptions' events.
  let executor: GatewayExecutor | undefined;
  const apollo = new ApolloServer<GatewayContext>({
    gateway: wrapExecutor(layered, (loaded) => {
      executor = loaded;
      return loaded;
    }),
    ...armor,
    parseOptions: { maxTokens: OPERATION_LIMITS.maxTokens },
    introspection: options.introspection,
    csrfPrevention: true,
    formatError: formatGatewayError,
    logger: options.logger,
    stopOnTerminationSignals: false,
    plugins: [
      ...armor.plugins,
      servableOperationPlugin<GatewayContext>({
        servedElsewhere: { subscription: SUBSCRIPTIONS_SERVED },
      }),
      pageCostPlugin<GatewayContext>(OPERATION_LIMITS.maxCost),
      metricsPlugin(options.metrics),
      // Apollo's default landing page loads from a CDN; the gateway serves its own playground.
      ApolloServerPluginLandingPageDisabled(),
    ],
  });
  await apollo.start();
  app.addHook('onClose', async () => {
    await apollo.stop();
    await agent.close();
  });
  await app.register(fastifyApollo(apollo), {
    path: '/graphql',
    context: async (request) => ({ requestId: request.id, caller: request.caller }),
  });
  const hub = options.subscriptions;
  const subscriptionEngine: SubscriptionEngine | undefined = hub && {
    schema: () => apiSchema,
    security: () => security,
    authzMode: options.authzMode ?? 'filter',
    validationRules: armor.validationRules,
    maxTokens: OPERATION_LIMITS.maxTokens,
    maxCost: OPERATION_LIMITS.maxCost,
    executor: () => executor,
    labelsKey: (request) => withLabels.labelsKey(request),
    hub,
    logger: options.logger,
  };
  return { apollo, subscriptionEngine };
}
