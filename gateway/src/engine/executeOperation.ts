import type { Schema, Supergraph } from '@apollo/federation-internals';
import type { Experimental_DidResolveQueryPlanCallback, ServiceMap } from '@apollo/gateway';
import type { QueryPlan, QueryPlanner } from '@apollo/query-planner';
import type {
  GatewayExecutionResult,
  GatewayGraphQLRequestContext,
} from '@apollo/server-gateway-interface';
import { SpanStatusCode, trace } from '@opentelemetry/api';
import type { Span } from '@opentelemetry/api';
import { getVariableValues } from 'graphql';
import type { GraphQLSchema } from 'graphql';
import { federation } from './federationExports';
import type { PlanCache } from './planCache';

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
}

/** Progressive-override label conditions to plan with: each selected label, active or not. */
export type LabelConditions = ReadonlyMap<string, boolean>;

/** Apollo's span options for its plan, fetch and post-processing spans. */
export interface EngineTelemetry {
  /** Put the operation's text on spans (it can carry inline arguments). @default false */
  includeDocument?: boolean;
  /** Record errors as span exceptions. @default false */
  recordExceptions?: boolean;
}

export interface OperationExecutionOptions {
  planCache: PlanCache;
  telemetry: EngineTelemetry;
  /** May rewrite a plan once, as it is resolved (subscriptions run theirs as a sequence). */
  didResolveQueryPlan?: Experimental_DidResolveQueryPlanCallback;
  /** Called for every plan built (a cache miss), with the labels it was built with as active. */
  onPlanBuilt?(activeLabels: string[]): void;
}

const tracer = trace.getTracer('cinemaabyss-gateway');
const NO_CONDITIONS: LabelConditions = new Map();

function activeLabelsOf(conditions: LabelConditions): string[] {
  const active: string[] = [];
  for (const [label, on] of conditions) if (on) active.push(label);
  return active;
}

function recordErrors(
  span: Span | undefined,
  errors: readonly Error[],
  telemetry: EngineTelemetry,
): void {
  if (!span) return;
  if (telemetry.recordExceptions) for (const error of errors) span.recordException(error);
  span.setStatus({ code: SpanStatusCode.ERROR });
}

/**
 * Runs `work` in a span of its own only inside a recorded one: an unsampled request (decided at
 * the edge by `@cinemaabyss/shared/tracing`) costs no span work here. The span ends when the
 * work settles; an error thrown is recorded on it.
 */
function inRecordedSpan<T>(
  name: string,
  telemetry: EngineTelemetry,
  work: (span: Span | undefined) => T,
): T {
  if (!trace.getActiveSpan()?.isRecording()) return work(undefined);
  return tracer.startActiveSpan(name, (span) => {
    const failed = (err: unknown) => {
      recordErrors(span, [err as Error], telemetry);
      span.end();
      throw err;
    };
    let result: T;
    try {
      result = work(span);
    } catch (err) {
      return failed(err);
    }
    if (result instanceof Promise) {
      return result.then((value: unknown) => {
        span.end();
        return value;
      }, failed) as T;
    }
    span.end();
    return result;
  });
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
  const cached = options.planCache.get(key);
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
  options.planCache.set(key, plan);
  return plan;
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
    const result = await federation.executeQueryPlan(
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
