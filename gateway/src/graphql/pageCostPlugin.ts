import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { GraphQLError } from 'graphql';
import type { DocumentNode, GraphQLSchema } from 'graphql';
import { getComplexity, simpleEstimator } from 'graphql-query-complexity';
import type { ComplexityEstimator } from 'graphql-query-complexity';
import { readPage } from '@cinemaabyss/shared/graphql';
import type { Page, PageArgs } from '@cinemaabyss/shared/graphql';

/** A client's operation at fault: HTTP 400, before anything reaches a subgraph. */
function requestError(message: string): GraphQLError {
  return new GraphQLError(message, {
    extensions: { code: 'BAD_USER_INPUT', http: { status: 400 } },
  });
}

/**
 * A paginated list (a field with a `limit` argument) costs its selection once per item it may
 * return: its limit, as sent or as the schema's default. A limit out of range is refused here.
 */
const pagedListEstimator: ComplexityEstimator = ({ field, args, childComplexity }) => {
  if (!field.args.some((arg) => arg.name === 'limit')) return undefined;
  let page: Page;
  try {
    // The subgraphs' own check, run here so that a bad page costs no subgraph call.
    page = readPage(args as PageArgs);
  } catch (error) {
    throw requestError((error as Error).message);
  }
  return 1 + page.limit * childComplexity;
};

export interface CostedOperation {
  schema: GraphQLSchema;
  document: DocumentNode;
  operationName?: string | null;
  variables?: Record<string, unknown> | null;
}

/**
 * The gateway's cost limit, aware of pages: every field costs 1, and a paginated list
 * multiplies what it selects by its limit, so `users(limit: 500) { payments(limit: 500) … }`
 * costs what it may fetch. (graphql-armor's cost limit counts a list as one item.) Throws a
 * 400 GraphQLError for an operation over `maxCost` or a page out of range.
 */
export function checkPageCost(maxCost: number, operation: CostedOperation): void {
  let cost: number;
  try {
    cost = getComplexity({
      schema: operation.schema,
      query: operation.document,
      operationName: operation.operationName ?? undefined,
      variables: operation.variables ?? {},
      estimators: [pagedListEstimator, simpleEstimator({ defaultComplexity: 1 })],
    });
  } catch (error) {
    // Ours (a limit out of range), or variables that do not fit the operation.
    if (error instanceof GraphQLError && error.extensions.http) throw error;
    throw requestError(error instanceof Error ? error.message : String(error));
  }
  if (cost > maxCost) {
    throw requestError(
      `operation cost ${cost} exceeds the limit of ${maxCost}; ask for smaller pages (limit)`,
    );
  }
}

/** checkPageCost on every operation Apollo Server resolves (POST and GET /graphql). */
export function pageCostPlugin<TContext extends BaseContext>(
  maxCost: number,
): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, request, schema }) {
          checkPageCost(maxCost, {
            schema,
            document,
            operationName: request.operationName,
            variables: request.variables,
          });
        },
      };
    },
  };
}
