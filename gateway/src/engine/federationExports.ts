import {
  ERRORS,
  Supergraph,
  errorCodeDef,
  isSubtype,
  operationFromDocument,
} from '@apollo/federation-internals';
import { buildOperationContext, executeQueryPlan } from '@apollo/gateway';
import { QueryPlanner, evaluateCondition } from '@apollo/query-planner';

/**
 * The public exports of Apollo Federation the engine is built from, and only these: the
 * gateway reads no private field of ApolloGateway.
 */
export const federation = {
  Supergraph,
  QueryPlanner,
  operationFromDocument,
  buildOperationContext,
  executeQueryPlan,
  // What executePlan and resultShape call beside them.
  evaluateCondition,
  errorCodeDef,
  isSubtype,
  ERRORS,
};

type Federation = typeof federation;

/** Each function the engine calls, with the fewest parameters it must declare. */
function expectedFunctions(api: Federation): [string, unknown, number][] {
  return [
    ['Supergraph.build', api.Supergraph?.build, 1],
    ['Supergraph#apiSchema', api.Supergraph?.prototype?.apiSchema, 0],
    ['Supergraph#subgraphsMetadata', api.Supergraph?.prototype?.subgraphsMetadata, 0],
    ['QueryPlanner', api.QueryPlanner, 1],
    ['QueryPlanner#buildQueryPlan', api.QueryPlanner?.prototype?.buildQueryPlan, 2],
    ['operationFromDocument', api.operationFromDocument, 2],
    ['buildOperationContext', api.buildOperationContext, 1],
    ['executeQueryPlan', api.executeQueryPlan, 6],
    ['evaluateCondition', api.evaluateCondition, 3],
    ['errorCodeDef', api.errorCodeDef, 1],
    ['isSubtype', api.isSubtype, 2],
    ['ERRORS.INVALID_GRAPHQL.err', api.ERRORS?.INVALID_GRAPHQL?.err, 1],
    ['ERRORS.DOWNSTREAM_SERVICE_ERROR.err', api.ERRORS?.DOWNSTREAM_SERVICE_ERROR?.err, 1],
  ];
}

/** The names of the exports that are missing or shaped differently; empty when all fit. */
export function mismatchedExports(api: Federation = federation): string[] {
  return expectedFunctions(api)
    .filter(([, value, arity]) => typeof value !== 'function' || value.length < arity)
    .map(([name]) => name);
}

/**
 * Checked once as the engine loads: if an upgrade renames or reshapes one, the gateway refuses
 * to start, naming it, instead of failing on its first request.
 */
export function assertFederationExports(api: Federation = federation): void {
  const mismatched = mismatchedExports(api);
  if (mismatched.length > 0) {
    throw new Error(
      `Apollo Federation's public exports changed: ${mismatched.join(', ')} no longer fit ` +
        'the gateway engine',
    );
  }
}
