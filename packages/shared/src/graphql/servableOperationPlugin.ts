import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { GraphQLError } from 'graphql';
import type { OperationTypeNode } from 'graphql';

export interface ServableOperationOptions {
  /**
   * Operation types the schema has a root for that this transport does not run, each with where
   * they are served: a subscription POSTed to the gateway's `/graphql` is refused (400) saying
   * which transports carry it, never handed to an executor that would throw.
   */
  servedElsewhere?: Partial<Record<OperationTypeNode, string>>;
}

/** A request error: the client's operation is at fault, so the answer is HTTP 400. */
function requestError(message: string, code: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code, http: { status: 400 } } });
}

/**
 * Refuses, with HTTP 400, an operation the server cannot run, before it reaches the executor:
 * an `operationName` that names no operation of the document (the gateway's executor would
 * fail on it with a 500), and an operation type the schema has no root for, such as a
 * `subscription` on a graph that serves none, or one served only by another transport.
 */
export function servableOperationPlugin<TContext extends BaseContext>({
  servedElsewhere = {},
}: ServableOperationOptions = {}): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, request, schema }) {
          if (!operation) {
            const message = request.operationName
              ? `Unknown operation named "${request.operationName}".`
              : 'Must provide operation name if query contains multiple operations.';
            throw requestError(message, 'OPERATION_RESOLUTION_FAILURE');
          }
          if (!schema.getRootType(operation.operation)) {
            throw requestError(
              `this graph serves no ${operation.operation} operations`,
              'OPERATION_NOT_SUPPORTED',
            );
          }
          const elsewhere = servedElsewhere[operation.operation];
          if (elsewhere) {
            throw requestError(
              `${operation.operation} operations are not served here: ${elsewhere}`,
              'OPERATION_NOT_SUPPORTED',
            );
          }
        },
      };
    },
  };
}
