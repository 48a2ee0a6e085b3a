import type { Schema, Supergraph } from '@apollo/federation-internals';
import type { Experimental_DidResolveQueryPlanCallback, ServiceMap } from '@apollo/gateway';
import type { QueryPlan, QueryPlanner } from '@apollo/query-planner';
import type {
  GatewayExecutionResult,
  GatewayGraphQLRequestContext,
} from '@apollo/server-gateway-interface';
import { GraphQLError, getVariableValues } from 'graphql';
import type { GraphQLSchema } from 'graphql';
import { introspectionAnswer } from './compiledOperations';
import type { OperationCache, OperationContext } from './compiledOperations';
import { inRecordedSpan, recordErrors } from './engineSpans';
import type { EngineTelemetry } from './engineSpans';
import { executePlan, supportsOwnExecution } from './executePlan';
import type { CompiledOperation } from './executePlan';
import { federation } from './federationExports';
import type { PlanCache } from './planCache';

export type { EngineTelemetry } from './engineSpans';

/** One loaded version of the supergraph: what an operation started on is finished on. */
export interface LoadedSupergraph {
  supergraph: Supergraph;
  /** The API schema as the planner and executeQueryPlan read it. */
  apiSchema: Schema;
  /** The API schema as graphql-js: what clients' operations are validated against. */
  schema: GraphQLSchema;
  supergraphSchema: GraphQLSchema;
  planner: QueryPlanner;
  serviceMap: ServiceMap;
  /** Operations compiled for execution against this version. */
  operations: OperationCache;
}

/** Progressive-override label conditions to plan with: each selected label, active or not. */
export type LabelConditions = ReadonlyMap<string, boolean>;

export interface OperationExecutionOptions {
  planCache: PlanCache;
  telemetry: EngineTelemetry;
  /** May rewrite a plan once, as it is resolved (subscriptions run theirs as a sequence). */
  didResolveQueryPlan?: Experimental_DidResolveQueryPlanCallback;
  /** Called for every plan built (a cache miss), with the labels it was built with as active. */
  onPlanBuilt?(activeLabels: string[]): void;
}

const NO_CONDITIONS: LabelConditions = new Map();

function activeLabelsOf(conditions: LabelConditions): string[] {
  const active: string[] = [];
  for (const [label, on] of conditions) if (on) active.push(label);
  return active;
}

function planOf(
  loaded: LoadedSupergraph,
  request: GatewayGraphQLRequestContext,
  conditions: LabelConditions,
  options: OperationExecutionOptions,
): QueryPlan {
  const activeLabels = activeLabelsOf(conditions);
  const key = {
    operationHash: request.queryHash,
    operationName: request.request.operationName ?? undefined,
    activeLabels,
  };
  // Caches key by the operation's hash; a request without one is planned for itself alone.
  const cacheable = Boolean(request.queryHash);
  const cached = cacheable ? options.planCache.get(key) : undefined;
  if (cached) return cached;
  const plan = inRecordedSpan('gateway.plan', options.telemetry, (span) => {
    if (request.operationName) span?.setAttribute('graphql.operation.name', request.operationName);
    const operation = federation.operationFromDocument(loaded.apiSchema, request.document, {
      operationName: request.request.operationName ?? undefined,
    });
    // Only the labels the operation selects are passed: any other is false, as stock.
    return loaded.planner.buildQueryPlan(operation, {
      overrideConditions: new Map(conditions),
    });
  });
  options.onPlanBuilt?.(activeLabels);
  if (cacheable) options.planCache.set(key, plan);
  return plan;
}

/** The plan run by executePlan, on the operation as compiled once for this supergraph. */
function executeOwn(
  loaded: LoadedSupergraph,
  request: GatewayGraphQLRequestContext,
  plan: QueryPlan,
  operationContext: OperationContext,
  telemetry: EngineTelemetry,
): Promise<GatewayExecutionResult> | GatewayExecutionResult {
  let operation: CompiledOperation;
  try {
    // Keyed as plans are: every layer that cuts a document (authorization, shadow evidence)
    // gives it a hash of its own; without a hash, compiled for this request alone.
    const key = request.queryHash
      ? `${request.queryHash}\u0000${request.request.operationName ?? ''}`
      : undefined;
    operation = loaded.operations.get(key, operationContext);
  } catch (err) {
    // A document the operation cannot be built from: the client learns why, as from Apollo's.
    if (err instanceof GraphQLError) return { errors: [err] };
    throw err;
  }
  return executePlan({
    plan,
    serviceMap: loaded.serviceMap,
    request,
    operation,
    supergraphSchema: loaded.supergraphSchema,
    introspect: introspectionAnswer(loaded.schema, operationContext, request.request.variables),
    telemetry,
  });
}

/**
 * Runs one operation on a loaded supergraph with Apollo Federation's public pieces: the
 * operation context, the variables checked against the API schema, a plan from the cache or
 * the planner (with the request's override conditions), then executeQueryPlan.
 */
export async function executeOperation(
  loaded: LoadedSupergraph,
  request: GatewayGraphQLRequestContext,
  options: OperationExecutionOptions,
  conditions: LabelConditions = NO_CONDITIONS,
): Promise<GatewayExecutionResult> {
  return inRecordedSpan('gateway.request', options.telemetry, async (span) => {
    if (span && request.operationName) {
      span.setAttribute('graphql.operation.name', request.operationName);
    }
    if (span && options.telemetry.includeDocument && request.source) {
      span.setAttribute('graphql.document', request.source);
    }
    const operationContext = federation.buildOperationContext({
      schema: loaded.schema,
      operationDocument: request.document,
      operationName: request.request.operationName ?? undefined,
    });
    const variables = operationContext.operation.variableDefinitions;
    if (variables && variables.length > 0) {
      const { errors } = getVariableValues(
        loaded.schema,
        variables,
        request.request.variables ?? {},
      );
      if (errors) {
        recordErrors(span, errors, options.telemetry);
        return { errors };
      }
    }
    const queryPlan = planOf(loaded, request, conditions, options);
    options.didResolveQueryPlan?.({
      queryPlan,
      serviceMap: loaded.serviceMap,
      requestContext: request,
      operationContext,
    });
    const result = supportsOwnExecution(queryPlan, request)
      ? await executeOwn(loaded, request, queryPlan, operationContext, options.telemetry)
      : await federation.executeQueryPlan(
          queryPlan,
          loaded.serviceMap,
          request,
          operationContext,
          loaded.supergraphSchema,
          loaded.apiSchema,
          options.telemetry,
        );
    if (result.errors) recordErrors(span, result.errors, options.telemetry);
    return result;
  });
}
