import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { GraphQLError, getVariableValues, visit } from 'graphql';
import type { DocumentNode, GraphQLSchema, OperationDefinitionNode, ValueNode } from 'graphql';
import { LRUCache } from 'lru-cache';
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
  const cost = pageCostOf(operation);
  if (cost > maxCost) throw overCost(cost, maxCost);
}

function overCost(cost: number, maxCost: number): GraphQLError {
  return requestError(
    `operation cost ${cost} exceeds the limit of ${maxCost}; ask for smaller pages (limit)`,
  );
}

/** The operation's page-aware cost; throws a 400 GraphQLError for a page out of range. */
export function pageCostOf(operation: CostedOperation): number {
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
  return cost;
}

/** The variables a page's cost depends on, and those only checked for range (offsets). */
export interface CostVariables {
  /** In `limit` arguments and in `@include`/`@skip`: their values change the cost. */
  exact: string[];
  /** In `offset` arguments only: the cost is the same for every offset readPage accepts. */
  offsets: string[];
}

const CONDITIONS = new Set(['include', 'skip']);

function variablesIn(value: ValueNode, into: Set<string>): void {
  visit(value, { Variable: (node) => void into.add(node.name.value) });
}

/**
 * The variables an operation's cost depends on. Any other variable (an id, a filter) changes
 * no page and so no cost; an offset changes none either, only whether the page is accepted.
 */
export function costVariablesOf(document: DocumentNode): CostVariables {
  const exact = new Set<string>();
  const offsets = new Set<string>();
  visit(document, {
    Field(field) {
      for (const arg of field.arguments ?? []) {
        if (arg.name.value === 'limit') variablesIn(arg.value, exact);
        if (arg.name.value === 'offset') variablesIn(arg.value, offsets);
      }
    },
    Directive(directive) {
      if (!CONDITIONS.has(directive.name.value)) return;
      for (const arg of directive.arguments ?? []) variablesIn(arg.value, exact);
    },
  });
  return {
    exact: [...exact].sort(),
    offsets: [...offsets].filter((name) => !exact.has(name)).sort(),
  };
}

/** An offset as readPage judges it: absent, negative (refused) or any accepted value. */
function offsetClass(value: unknown): string {
  if (value == null) return 'none';
  return typeof value === 'number' && value < 0 ? 'negative' : 'accepted';
}

/** Operations whose costs are remembered, per schema; past this the least recent go. */
const REMEMBERED_COSTS = 5_000;

type CostOutcome = { cost: number } | { error: string };

/**
 * checkPageCost, remembered per operation and the values of its cost variables: the cost
 * analysis walks the whole operation with type information, while a request whose page
 * variables were seen before only has its variables coerced. Requests whose variables do not
 * fit the operation take the full check, which names the problem as it always did. An offset
 * counts only as accepted or refused: its value changes no cost.
 */
export function createPageCostCheck(maxCost: number) {
  const variablesByDocument = new WeakMap<DocumentNode, CostVariables>();
  const costsBySchema = new WeakMap<GraphQLSchema, LRUCache<string, CostOutcome>>();

  function outcomeOf(operation: CostedOperation): CostOutcome {
    try {
      return { cost: pageCostOf(operation) };
    } catch (error) {
      return { error: (error as Error).message };
    }
  }

  return function check(
    operation: CostedOperation & {
      queryHash: string;
      definition: OperationDefinitionNode | undefined;
    },
  ): void {
    const { schema, document, variables, definition } = operation;
    const { coerced, errors } = definition
      ? getVariableValues(schema, definition.variableDefinitions ?? [], variables ?? {})
      : { coerced: undefined, errors: undefined };
    if (errors || !coerced) {
      checkPageCost(maxCost, operation);
      return;
    }
    let names = variablesByDocument.get(document);
    if (!names) {
      names = costVariablesOf(document);
      variablesByDocument.set(document, names);
    }
    const pages = JSON.stringify([
      names.exact.map((name) => coerced[name]),
      names.offsets.map((name) => offsetClass(coerced[name])),
    ]);
    const key = `${operation.queryHash}\u0000${operation.operationName ?? ''}\u0000${pages}`;
    let costs = costsBySchema.get(schema);
    if (!costs) {
      costs = new LRUCache({ max: REMEMBERED_COSTS });
      costsBySchema.set(schema, costs);
    }
    let outcome = costs.get(key);
    if (!outcome) {
      outcome = outcomeOf(operation);
      costs.set(key, outcome);
    }
    if ('error' in outcome) throw requestError(outcome.error);
    if (outcome.cost > maxCost) throw overCost(outcome.cost, maxCost);
  };
}

/** The page-aware cost check on every operation Apollo Server resolves (POST and GET /graphql). */
export function pageCostPlugin<TContext extends BaseContext>(
  maxCost: number,
): ApolloServerPlugin<TContext> {
  const check = createPageCostCheck(maxCost);
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, request, schema, queryHash, operation }) {
          check({
            schema,
            document,
            operationName: request.operationName,
            variables: request.variables,
            queryHash,
            definition: operation,
          });
        },
      };
    },
  };
}
