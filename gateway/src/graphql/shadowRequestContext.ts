import type {
  GatewayCacheHint,
  GatewayCachePolicy,
  GatewayGraphQLRequestContext,
} from '@apollo/server-gateway-interface';
import { getOperationAST } from 'graphql';
import type { DocumentNode } from 'graphql';
import type { GatewayContext } from './subgraphDataSource';

/**
 * A cache policy of its own, for an execution the gateway starts itself (a shadow run, a
 * subscription's answer to an event): its subgraph hints restrict it, not a client request's.
 */
export function ownCachePolicy(): GatewayCachePolicy {
  const policy: GatewayCachePolicy = {
    replace(hint: GatewayCacheHint) {
      policy.maxAge = hint.maxAge;
      policy.scope = hint.scope;
    },
    restrict(hint: GatewayCacheHint) {
      if (
        hint.maxAge !== undefined &&
        (policy.maxAge === undefined || hint.maxAge < policy.maxAge)
      ) {
        policy.maxAge = hint.maxAge;
      }
      if (hint.scope === 'PRIVATE') policy.scope = 'PRIVATE';
      else if (hint.scope !== undefined && policy.scope === undefined) policy.scope = hint.scope;
    },
    policyIfCacheable: () =>
      policy.maxAge ? { maxAge: policy.maxAge, scope: policy.scope ?? 'PUBLIC' } : null,
  };
  return policy;
}

/** The operation a shadow run asks instead of the client's: a cut-down copy of it. */
export interface ShadowOperation {
  document: DocumentNode;
  /** Tells its query plans apart from the client operation's in the plan cache. */
  queryHash: string;
}

/**
 * A copy of a client's request context for a shadow run: the same variables and operation (or
 * `operation`, a cut-down copy), but its own context (marked `shadow`, so its subgraph calls
 * carry x-shadow-request and are never joined with the client's), cache policy, metrics and
 * errors. Nothing the shadow run records reaches the client's answer.
 */
export function shadowRequestContext(
  request: GatewayGraphQLRequestContext,
  operation?: ShadowOperation,
): GatewayGraphQLRequestContext<GatewayContext> {
  const context = request.context as Partial<GatewayContext>;
  const definition = operation && getOperationAST(operation.document, request.operationName);
  return {
    ...request,
    ...(operation &&
      definition && {
        document: operation.document,
        queryHash: operation.queryHash,
        operation: definition,
      }),
    // The same caller: the other side is asked what this caller would have been answered.
    context: {
      requestId: context.requestId ?? 'shadow',
      shadow: true,
      ...(context.caller && { caller: context.caller }),
    },
    metrics: {},
    overallCachePolicy: ownCachePolicy(),
    errors: undefined,
    response: undefined,
    debug: false,
  };
}
