import type {
  GatewayExecutionResult,
  GatewayGraphQLRequestContext,
  GatewayInterface,
} from '@apollo/server-gateway-interface';
import { GraphQLError } from 'graphql';
import type { GraphQLSchema } from 'graphql';
import type { GatewayContext } from '../graphql/subgraphDataSource';
import { wrapExecutor } from '../graphql/wrapExecutor';
import { authorizeOperation, nullRemovedFields, rightsKey } from './authorizeOperation';
import type { AuthorizedOperation } from './authorizeOperation';
import type { SecurityIndex } from './securityDirectives';
import type { AuthzMode } from './authzMode';

export const UNAUTHORIZED_CODE = 'UNAUTHORIZED_FIELD_OR_TYPE';
const MAX_REMEMBERED = 2_000;

export interface FieldAuthorizationOptions {
  /** What the supergraph now loaded protects. */
  security: () => SecurityIndex;
  mode: AuthzMode;
  /** Called once per removed field of each operation, with its coordinate. */
  onUnauthorized?: (coordinate: string) => void;
}

function unauthorizedError(path: readonly string[]): GraphQLError {
  return new GraphQLError('Unauthorized field or type', {
    path,
    extensions: { code: UNAUTHORIZED_CODE },
  });
}

/**
 * The gateway with each operation cut, before planning, to what its caller may see (Apollo
 * Router's behaviour): the fields removed are answered with `null` and an
 * UNAUTHORIZED_FIELD_OR_TYPE error each, the rest is served. The cut operation is planned under
 * its own hash (the fields removed are part of it), so a plan is never shared across rights.
 */
export function enforceFieldAuthorization(
  gateway: GatewayInterface,
  { security, mode, onUnauthorized }: FieldAuthorizationOptions,
): GatewayInterface {
  let schema: GraphQLSchema | undefined;
  // By operation and rights: the work is done once per kind of caller, not per request.
  const remembered = new Map<string, AuthorizedOperation>();
  gateway.onSchemaLoadOrUpdate(({ apiSchema }) => {
    schema = apiSchema;
    remembered.clear();
  });

  function authorize(request: GatewayGraphQLRequestContext, index: SecurityIndex) {
    const caller = (request.context as Partial<GatewayContext> | undefined)?.caller;
    const key = `${request.queryHash}\u0000${request.operationName ?? ''}\u0000${rightsKey(caller)}`;
    let authorized = remembered.get(key);
    if (!authorized) {
      authorized = authorizeOperation(
        request.document,
        request.operationName,
        schema as GraphQLSchema,
        index,
        caller,
      );
      if (remembered.size >= MAX_REMEMBERED) remembered.clear();
      remembered.set(key, authorized);
    }
    return authorized;
  }

  return wrapExecutor(gateway, (executor) => async (request) => {
    const index = security();
    if (!schema || index.fields.size === 0) return executor(request);
    const authorized = authorize(request, index);
    if (authorized.removed.length === 0) return executor(request);
    for (const { coordinate } of authorized.removed) onUnauthorized?.(coordinate);
    if (mode === 'reject') {
      return {
        errors: [
          new GraphQLError(
            `Unauthorized field or type: ${authorized.removed.map((r) => r.coordinate).join(', ')}`,
            { extensions: { code: UNAUTHORIZED_CODE, http: { status: 403 } } },
          ),
        ],
      };
    }
    const errors = authorized.removed.map(({ path }) => unauthorizedError(path));
    if (!authorized.document || !authorized.operation) {
      return { data: nullRemovedFields({}, authorized.removed), errors };
    }
    const signature = authorized.removed.map(({ path }) => path.join('.')).join(',');
    const result: GatewayExecutionResult = await executor({
      ...request,
      document: authorized.document,
      operation: authorized.operation,
      queryHash: `${request.queryHash}\u0000unauthorized:${signature}`,
    });
    return {
      ...result,
      data: result.data ? nullRemovedFields(result.data, authorized.removed) : result.data,
      errors: [...(result.errors ?? []), ...errors],
    };
  });
}
