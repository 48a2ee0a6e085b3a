import { ERRORS, errorCodeDef } from '@apollo/federation-internals';
import type { VariableDefinitions } from '@apollo/federation-internals';
import type { GraphQLDataSourceProcessOptions, ServiceMap } from '@apollo/gateway';
import { evaluateCondition } from '@apollo/query-planner';
import type { FetchNode, PlanNode, QueryPlan, ResponsePath } from '@apollo/query-planner';
import type {
  GatewayExecutionResult,
  GatewayGraphQLRequestContext,
} from '@apollo/server-gateway-interface';
import { GraphQLError } from 'graphql';
import type { GraphQLFormattedError, GraphQLSchema } from 'graphql';
import { inRecordedSpan, recordErrors } from './engineSpans';
import type { EngineTelemetry } from './engineSpans';
import {
  applyRewrites,
  deepMerge,
  entityPaths,
  representationOf,
  valuesAtPath,
} from './entityData';
import type { DataObject } from './entityData';
import type { IntrospectionAnswer, ResultShape } from './resultShape';

/**
 * Executes a query plan: its fetches in sequence and in parallel, each subgraph's reply merged
 * into the response at its flattened path, entity fetches sent the representations the data
 * built so far gives, then the response shaped by the operation's compiled ResultShape.
 *
 * It keeps `executeQueryPlan`'s semantics (errors with their subgraph and response path, data
 * rewrites, value completion) and leaves out what the gateway never asks of it: federated
 * traces (ftv1) and @defer, for which supportsOwnExecution sends a request to Apollo's.
 */

/** The request kind of a client operation's fetch: @apollo/gateway exports the enum's type only. */
const INCOMING_OPERATION = 'incoming operation' as Extract<
  GraphQLDataSourceProcessOptions['kind'],
  'incoming operation'
>;

/** An operation compiled once for execution (see executeOperation.ts's operation cache). */
export interface CompiledOperation {
  shape: ResultShape;
  /** What a plan's Condition nodes read `@skip` / `@include` variables' defaults from. */
  variableDefinitions: VariableDefinitions;
}

export interface PlanExecution {
  plan: QueryPlan;
  serviceMap: ServiceMap;
  request: GatewayGraphQLRequestContext;
  operation: CompiledOperation;
  /** The supergraph as graphql-js: type conditions of representations and rewrites. */
  supergraphSchema: GraphQLSchema;
  introspect: IntrospectionAnswer;
  telemetry: EngineTelemetry;
}

interface Cursor {
  path: ResponsePath;
  data: unknown;
  /** The whole response built so far: an entity error's path is found in it. */
  fullResult: DataObject;
}

interface Execution extends PlanExecution {
  errors: GraphQLError[];
}

const OWN_NODE_KINDS = new Set(['Sequence', 'Parallel', 'Flatten', 'Fetch', 'Condition']);
const planSupport = new WeakMap<QueryPlan, boolean>();

function nodesSupported(node: PlanNode): boolean {
  if (!OWN_NODE_KINDS.has(node.kind)) return false;
  switch (node.kind) {
    case 'Sequence':
    case 'Parallel':
      return node.nodes.every(nodesSupported);
    case 'Flatten':
      return nodesSupported(node.node);
    case 'Condition':
      return (
        (!node.ifClause || nodesSupported(node.ifClause)) &&
        (!node.elseClause || nodesSupported(node.elseClause))
      );
    default:
      return true;
  }
}

/**
 * Whether this executor runs the request: plans without @defer or a subscription root, for a
 * request that does not ask for federated traces (Apollo's usage reporting).
 */
export function supportsOwnExecution(plan: QueryPlan, request: GatewayGraphQLRequestContext) {
  if (request.metrics?.captureTraces) return false;
  let supported = planSupport.get(plan);
  if (supported === undefined) {
    supported = !plan.node || (plan.node.kind !== 'Subscription' && nodesSupported(plan.node));
    planSupport.set(plan, supported);
  }
  return supported;
}

/** A subgraph's error as the client sees it: its message, subgraph and response path. */
function downstreamError(
  error: GraphQLFormattedError,
  serviceName: string,
  path: ResponsePath | undefined,
): GraphQLError {
  const message = error.message || `Error while fetching subquery from service "${serviceName}"`;
  const options = {
    originalError: error as unknown as Error,
    path,
    extensions: { ...error.extensions, serviceName },
  };
  const code = errorCodeDef(error);
  if (!code && error.extensions?.code) return new GraphQLError(message, options);
  return (code ?? ERRORS.DOWNSTREAM_SERVICE_ERROR).err(message, options);
}

/** Where a subgraph's error lands in the response: under the fetch's path, entities resolved. */
function errorPathsFor(fetch: FetchNode, cursor: Cursor) {
  let entities: ResponsePath[] | undefined;
  return (errorPath: readonly (string | number)[] | undefined): ResponsePath | undefined => {
    const index = errorPath?.[1];
    if (fetch.requires && typeof index === 'number') {
      entities ??= entityPaths(cursor.path, cursor.fullResult);
      return [...(entities[index] ?? []), ...(errorPath as ResponsePath).slice(2)];
    }
    return errorPath ? [...cursor.path, ...errorPath] : undefined;
  };
}

async function send(
  execution: Execution,
  fetch: FetchNode,
  cursor: Cursor,
  variables: Record<string, unknown>,
): Promise<DataObject | undefined | null> {
  const { request } = execution;
  const service = execution.serviceMap[fetch.serviceName];
  if (!service) throw new Error(`Couldn't find service with name "${fetch.serviceName}"`);
  const response = await service.process({
    kind: INCOMING_OPERATION,
    request: { query: fetch.operation, variables, operationName: fetch.operationName },
    incomingRequestContext: request,
    context: request.context,
    document: fetch.operationDocumentNode,
    pathInIncomingRequest: cursor.path,
  });
  if (response.errors) {
    const pathOf = errorPathsFor(fetch, cursor);
    for (const error of response.errors) {
      execution.errors.push(downstreamError(error, fetch.serviceName, pathOf(error.path)));
    }
    // What Apollo's usage reporting reads when a subgraph sends no trace of its own.
    const metrics = request.metrics as { nonFtv1ErrorPaths?: object[] } | undefined;
    if (metrics) {
      const paths = response.errors.map((error) => ({
        subgraph: fetch.serviceName,
        path: error.path,
      }));
      metrics.nonFtv1ErrorPaths = [...(metrics.nonFtv1ErrorPaths ?? []), ...paths];
    }
  }
  return response.data as DataObject | undefined | null;
}

async function executeFetch(execution: Execution, fetch: FetchNode, cursor: Cursor) {
  const entities = (Array.isArray(cursor.data) ? cursor.data : [cursor.data]).filter(
    (entity): entity is DataObject => entity !== null && entity !== undefined,
  );
  if (entities.length === 0) return;
  const provided = execution.request.request.variables;
  const variables = Object.create(null) as Record<string, unknown>;
  for (const name of fetch.variableUsages ?? []) {
    if (provided && Object.hasOwn(provided, name) && provided[name] !== undefined) {
      variables[name] = provided[name];
    }
  }
  const schema = execution.supergraphSchema;
  if (!fetch.requires) {
    const received = await send(execution, fetch, cursor, variables);
    if (received) applyRewrites(schema, fetch.outputRewrites, received);
    for (const entity of entities) deepMerge(entity, received);
    return;
  }
  const representations: DataObject[] = [];
  const representedEntities: DataObject[] = [];
  for (const entity of entities) {
    const representation = representationOf(schema, entity, fetch.requires);
    if (representation?.['__typename']) {
      applyRewrites(schema, fetch.inputRewrites, representation);
      representations.push(representation);
      representedEntities.push(entity);
    }
  }
  if (representations.length === 0) return;
  if ('representations' in variables) {
    throw new Error('Variables cannot contain key "representations"');
  }
  const received = await send(execution, fetch, cursor, { ...variables, representations });
  if (!received) return;
  const answered = received['_entities'];
  if (!Array.isArray(answered)) {
    throw new Error('Expected "data._entities" in response to be an array');
  }
  if (answered.length !== representations.length) {
    throw new Error(`Expected "data._entities" to contain ${representations.length} elements`);
  }
  answered.forEach((answer: unknown, index) => {
    const entity = representedEntities[index] as DataObject;
    if (answer && typeof answer === 'object' && !(answer as DataObject)['__typename']) {
      (answer as DataObject)['__typename'] = entity['__typename'];
    }
    applyRewrites(schema, fetch.outputRewrites, answer);
    deepMerge(entity, answer);
  });
}

async function executeNode(execution: Execution, node: PlanNode, cursor: Cursor): Promise<void> {
  switch (node.kind) {
    case 'Sequence':
      for (const child of node.nodes) await executeNode(execution, child, cursor);
      return;
    case 'Parallel':
      await Promise.all(node.nodes.map((child) => executeNode(execution, child, cursor)));
      return;
    case 'Flatten': {
      const data = valuesAtPath(cursor.data, node.path);
      if (!data) return;
      await executeNode(execution, node.node, {
        path: [...cursor.path, ...node.path],
        data,
        fullResult: cursor.fullResult,
      });
      return;
    }
    case 'Fetch':
      try {
        await inRecordedSpan(
          'gateway.fetch',
          execution.telemetry,
          () => executeFetch(execution, node, cursor),
          { service: node.serviceName },
        );
      } catch (error) {
        execution.errors.push(error as GraphQLError);
      }
      return;
    case 'Condition': {
      const branch = evaluateCondition(
        node,
        execution.operation.variableDefinitions,
        execution.request.request.variables,
      )
        ? node.ifClause
        : node.elseClause;
      if (branch) await executeNode(execution, branch, cursor);
      return;
    }
    default:
      throw new Error(`${node.kind} nodes are executed by executeQueryPlan`);
  }
}

/** The shaped response, or the error post-processing met, as a client result. */
function shapeResponse(execution: Execution, data: DataObject): GatewayExecutionResult {
  return inRecordedSpan('gateway.postprocessing', execution.telemetry, (span) => {
    try {
      const shaped = execution.operation.shape.apply(
        data,
        execution.request.request.variables,
        execution.introspect,
      );
      if (execution.errors.length === 0 && shaped.errors.length > 0) {
        recordErrors(span, shaped.errors, execution.telemetry);
        return { extensions: { valueCompletion: shaped.errors }, data: shaped.data };
      }
      return execution.errors.length === 0
        ? { data: shaped.data }
        : { errors: execution.errors, data: shaped.data };
    } catch (error) {
      recordErrors(span, [error as Error], execution.telemetry);
      if (error instanceof GraphQLError) return { errors: [error] };
      const message =
        error instanceof Error ? error.message : 'Unexpected error during query plan execution';
      return {
        errors: [new GraphQLError(message, error instanceof Error ? { originalError: error } : {})],
      };
    }
  });
}

/** Runs a plan supportsOwnExecution accepted; the result is what executeQueryPlan's would be. */
export function executePlan(input: PlanExecution): Promise<GatewayExecutionResult> {
  return inRecordedSpan('gateway.execute', input.telemetry, async (span) => {
    const execution: Execution = { ...input, errors: [] };
    const data = Object.create(null) as DataObject;
    const root = input.plan.node;
    if (root) {
      await executeNode(execution, root as PlanNode, { path: [], data, fullResult: data });
    }
    const result = shapeResponse(execution, data);
    if (result.errors) recordErrors(span, result.errors, input.telemetry);
    return result;
  });
}
