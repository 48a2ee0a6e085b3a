import { Supergraph } from '@apollo/federation-internals';
import type { Experimental_DidResolveQueryPlanCallback, GraphQLDataSource } from '@apollo/gateway';
import type { PlanNode, QueryPlan } from '@apollo/query-planner';
import { execute, parse } from 'graphql';
import type { GraphQLSchema } from 'graphql';
import type { GatewayContext } from '../graphql/subgraphDataSource';
import type { RoutedEvent } from './eventRouting';

/** The schema-only subgraph that owns the Subscription root (subgraphs/events/schema.graphql). */
export const EVENTS_SUBGRAPH = 'events';

/** What a subscription's execution for one event carries in its GraphQL context. */
export interface SubscriptionEventContext extends GatewayContext {
  /** The event the events subgraph's fetch is answered from. */
  subscriptionEvent?: RoutedEvent;
}

/** The events subgraph's own schema, as the supergraph holds it; undefined without one. */
export function eventsSubgraphSchema(supergraphSdl: string): GraphQLSchema | undefined {
  const subgraph = Supergraph.build(supergraphSdl).subgraphs().get(EVENTS_SUBGRAPH);
  return subgraph?.schema.toGraphQLJSSchema();
}

/**
 * ApolloGateway plans a subscription as its first fetch (to the events subgraph) then the rest,
 * but will not execute such a plan. Run in sequence, the first fetch answered by the event
 * (createEventsDataSource) and the rest as any query plan: entity fetches to the subgraphs.
 * The plan is rewritten in place, so the cached plan is rewritten once.
 */
export const planSubscriptionAsSequence: Experimental_DidResolveQueryPlanCallback = ({
  queryPlan,
}) => {
  const node = queryPlan.node;
  if (node?.kind !== 'Subscription') return;
  const sequence: PlanNode = node.rest
    ? { kind: 'Sequence', nodes: [node.primary, node.rest] }
    : node.primary;
  (queryPlan as { node?: QueryPlan['node'] }).node = sequence;
};

/**
 * The events subgraph's data source: no server, the fetch is answered from the event in the
 * context by executing the fetch's own operation (aliases, `__typename` and variables as the
 * planner wrote them) against the subgraph's schema with the event as the root value.
 */
export function createEventsDataSource(
  schema: () => GraphQLSchema | undefined,
): GraphQLDataSource<SubscriptionEventContext> {
  return {
    async process({ request, context }) {
      const routed = context.subscriptionEvent;
      const current = schema();
      if (!routed || !current || !request.query) {
        return {
          errors: [
            {
              message: 'the events subgraph answers subscriptions only',
              extensions: { code: 'OPERATION_NOT_SUPPORTED' },
            },
          ],
        };
      }
      const result = await execute({
        schema: current,
        document: parse(request.query),
        rootValue: { [routed.field]: routed.value },
        variableValues: request.variables ?? {},
        operationName: request.operationName,
      });
      return result as Awaited<ReturnType<GraphQLDataSource['process']>>;
    },
  };
}
