import { createHash } from 'node:crypto';
import { HEALTH_CHECK_QUERY } from '@apollo/gateway';
import type {
  GraphQLDataSource,
  GraphQLDataSourceProcessOptions,
  ServiceEndpointDefinition,
  ServiceMap,
  SupergraphSdlHook,
  Experimental_DidResolveQueryPlanCallback,
} from '@apollo/gateway';
import type {
  GatewayExecutionResult,
  GatewayExecutor,
  GatewayGraphQLRequestContext,
  GatewayInterface,
  GatewaySchemaLoadOrUpdateCallback,
} from '@apollo/server-gateway-interface';
import type { Logger } from '@cinemaabyss/shared/logging';
import { createOperationCache } from './compiledOperations';
import { executeOperation } from './executeOperation';
import type { EngineTelemetry, LabelConditions, LoadedSupergraph } from './executeOperation';
import { assertFederationExports, federation } from './federationExports';
import { createPlanCache, DEFAULT_PLAN_CACHE_MIB } from './planCache';

export interface SupergraphEngineOptions {
  /** Where the supergraph comes from, and its later versions (a file watcher). */
  supergraphSdl: SupergraphSdlHook;
  /** The data source of each subgraph, made once per subgraph name and URL. */
  buildService(definition: ServiceEndpointDefinition): GraphQLDataSource;
  logger: Logger;
  /** Spans' content. @default {} */
  telemetry?: EngineTelemetry;
  /** May rewrite a plan once, as it is resolved. */
  didResolveQueryPlan?: Experimental_DidResolveQueryPlanCallback;
  /** Called for every plan built, with the labels it was built with as active. */
  onPlanBuilt?(activeLabels: string[]): void;
  /** The plan cache's budget. @default 30 */
  planCacheMiB?: number;
  /** Check the supergraph's own consistency as it loads. @default NODE_ENV !== 'production' */
  validateSupergraph?: boolean;
}

/** The gateway's engine: what Apollo Server loads, plus runs with other label conditions. */
export interface SupergraphEngine extends GatewayInterface {
  /** Runs an operation with these override conditions instead of none (every label false). */
  execute(
    request: GatewayGraphQLRequestContext,
    conditions?: LabelConditions,
  ): Promise<GatewayExecutionResult>;
}

/** The health check's request kind: @apollo/gateway exports its enum's type, not its value. */
const HEALTH_CHECK_KIND = 'health check' as Extract<
  GraphQLDataSourceProcessOptions['kind'],
  'health check'
>;

const sdlId = (sdl: string) => createHash('sha256').update(sdl).digest('hex');

/**
 * The federation engine, built from Apollo Federation's public exports (the supergraph, the
 * query planner, the operation context builder, executeQueryPlan) instead of ApolloGateway:
 * it loads the supergraph and its later versions, keeps a data source per subgraph and its own
 * plan cache keyed by operation, rights and override labels. An operation finishes on the
 * supergraph it started on.
 */
export function createSupergraphEngine(options: SupergraphEngineOptions): SupergraphEngine {
  assertFederationExports();
  const { logger } = options;
  const validateSupergraph = options.validateSupergraph ?? process.env.NODE_ENV !== 'production';
  const planCache = createPlanCache(options.planCacheMiB ?? DEFAULT_PLAN_CACHE_MIB);
  const execution = {
    planCache,
    telemetry: options.telemetry ?? {},
    didResolveQueryPlan: options.didResolveQueryPlan,
    onPlanBuilt: options.onPlanBuilt,
  };
  const listeners = new Set<GatewaySchemaLoadOrUpdateCallback>();
  const dataSources = new Map<string, { url: string | undefined; source: GraphQLDataSource }>();
  let loaded: LoadedSupergraph | undefined;
  let loadedId: string | undefined;
  let cleanup: (() => Promise<void>) | undefined;
  let stopped = false;

  function dataSourceFor(definition: ServiceEndpointDefinition): GraphQLDataSource {
    const known = dataSources.get(definition.name);
    if (known && known.url === definition.url) return known.source;
    const source = options.buildService(definition);
    dataSources.set(definition.name, { url: definition.url, source });
    return source;
  }

  function subgraphsOf(sdl: string): ServiceEndpointDefinition[] {
    return federation.Supergraph.build(sdl)
      .subgraphsMetadata()
      .map(({ name, url }) => ({ name, url }));
  }

  function apply(sdl: string): void {
    if (stopped) throw new Error('the gateway engine is stopped');
    const id = sdlId(sdl);
    if (id === loadedId) return;
    const supergraph = federation.Supergraph.build(sdl, { validateSupergraph });
    const serviceMap: ServiceMap = Object.create(null) as ServiceMap;
    for (const { name, url } of supergraph.subgraphsMetadata()) {
      serviceMap[name] = dataSourceFor({ name, url });
    }
    const apiSchema = supergraph.apiSchema();
    const next: LoadedSupergraph = {
      supergraph,
      apiSchema,
      schema: apiSchema.toGraphQLJSSchema(),
      supergraphSchema: supergraph.schema.toGraphQLJSSchema(),
      planner: new federation.QueryPlanner(supergraph),
      serviceMap,
      operations: createOperationCache(apiSchema),
    };
    if (loaded) logger.info({ from: loadedId, to: id }, 'supergraph version loaded');
    planCache.clear();
    loaded = next;
    loadedId = id;
    for (const listener of listeners) {
      try {
        listener({ apiSchema: next.schema, coreSupergraphSdl: sdl });
      } catch (err) {
        logger.error({ err }, 'a supergraph listener failed; the supergraph is loaded anyway');
      }
    }
  }

  /** Every subgraph of a new version answers `{ __typename }` before it is swapped in. */
  async function healthCheck(sdl: string): Promise<void> {
    const checks = subgraphsOf(sdl).map(async (definition) => {
      try {
        await options.buildService(definition).process({
          kind: HEALTH_CHECK_KIND,
          request: { query: HEALTH_CHECK_QUERY },
          context: {},
        });
      } catch (err) {
        throw new Error(`subgraph ${definition.name} failed its health check: ${String(err)}`);
      }
    });
    await Promise.all(checks);
  }

  const execute: SupergraphEngine['execute'] = (request, conditions) => {
    if (!loaded) return Promise.reject(new Error('the gateway engine has not loaded'));
    return executeOperation(loaded, request, execution, conditions);
  };
  const executor: GatewayExecutor = (request) => execute(request);

  return {
    execute,
    onSchemaLoadOrUpdate(callback) {
      listeners.add(callback);
      return () => listeners.delete(callback);
    },
    async load() {
      const source = await options.supergraphSdl({
        update: apply,
        healthCheck,
        getDataSource: dataSourceFor,
      });
      cleanup = source.cleanup;
      try {
        apply(source.supergraphSdl);
      } catch (err) {
        await cleanup?.();
        throw err;
      }
      return { executor };
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      await cleanup?.();
    },
  };
}
