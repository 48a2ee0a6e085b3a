import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { registerTracingMetrics } from '@cinemaabyss/shared/tracing';
import { ROLLOUT_STATES } from './rollout/rolloutStore';

export interface GatewayMetricsSources {
  /** The live dial's percentages by migration, read when /metrics is scraped. */
  migrationPercentages: () => Record<string, number>;
  /** Each migration's newest rollout as this replica last read it: state and 1-based step. */
  rollouts?: () => { migration: string; state: string; step: number }[];
}

/** Every Prometheus series the gateway exposes at GET /metrics, in one registry per server. */
export function createGatewayMetrics({
  migrationPercentages,
  rollouts = () => [],
}: GatewayMetricsSources) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  registerTracingMetrics(registry);
  const latencyBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];
  return {
    registry,
    restRequests: new Counter({
      name: 'gateway_rest_requests_total',
      help: 'REST requests by route, backend and status',
      labelNames: ['route', 'backend', 'status'] as const,
      registers: [registry],
    }),
    restLatency: new Histogram({
      name: 'gateway_rest_request_duration_seconds',
      help: 'REST request latency through the gateway',
      labelNames: ['route', 'backend'] as const,
      buckets: latencyBuckets,
      registers: [registry],
    }),
    migrationPercent: new Gauge({
      name: 'gateway_migration_percent',
      help: "Share of users (0-100) a migration's new backend serves, as this replica applies it",
      labelNames: ['migration'] as const,
      registers: [registry],
      collect() {
        for (const [migration, percent] of Object.entries(migrationPercentages())) {
          this.set({ migration }, percent);
        }
      },
    }),
    rolloutState: new Gauge({
      name: 'gateway_rollout_state',
      help: "1 for the state (running, paused, completed, rolled_back, aborted) of a migration's newest rollout, 0 for the others",
      labelNames: ['migration', 'state'] as const,
      registers: [registry],
      collect() {
        for (const rollout of rollouts()) {
          for (const state of ROLLOUT_STATES) {
            this.set({ migration: rollout.migration, state }, state === rollout.state ? 1 : 0);
          }
        }
      },
    }),
    rolloutStep: new Gauge({
      name: 'gateway_rollout_step',
      help: "The step (1-based) a migration's newest rollout serves or stopped at",
      labelNames: ['migration'] as const,
      registers: [registry],
      collect() {
        for (const rollout of rollouts()) this.set({ migration: rollout.migration }, rollout.step);
      },
    }),
    authRequests: new Counter({
      name: 'gateway_auth_requests_total',
      help: 'Requests by how their bearer token was judged: anonymous (none), valid, invalid (401), unavailable (no keys to verify it, 503)',
      labelNames: ['surface', 'result'] as const,
      registers: [registry],
    }),
    subscriptionsActive: new Gauge({
      name: 'gateway_subscriptions_active',
      help: 'Subscriptions open on this replica, by transport and field',
      labelNames: ['transport', 'field'] as const,
      registers: [registry],
    }),
    subscriptionEvents: new Counter({
      name: 'gateway_subscription_events_total',
      help: 'Events per subscriber: delivered, filtered out, or dropped from a full queue',
      labelNames: ['field', 'result'] as const,
      registers: [registry],
    }),
    subscriptionEventAge: new Histogram({
      name: 'gateway_subscription_event_age_seconds',
      help: "From an event's Kafka timestamp to its hand-over to the subscribers",
      labelNames: ['field'] as const,
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    unauthorizedFields: new Counter({
      name: 'gateway_unauthorized_fields_total',
      help: 'Fields removed from operations because the caller may not see them, by coordinate',
      labelNames: ['coordinate'] as const,
      registers: [registry],
    }),
    migrationDecisions: new Counter({
      name: 'gateway_migration_decisions_total',
      help: 'Migration routing decisions by migration, surface (rest, graphql) and chosen backend',
      labelNames: ['migration', 'surface', 'backend'] as const,
      registers: [registry],
    }),
    fallbacks: new Counter({
      name: 'gateway_movies_fallbacks_total',
      help: 'GET /api/movies answered by the monolith after the movies service failed',
      labelNames: ['reason'] as const,
      registers: [registry],
    }),
    shadowComparisons: new Counter({
      name: 'gateway_shadow_comparisons_total',
      help: 'Shadow comparisons by migration, surface and result (match, mismatch, noise, error, skipped)',
      labelNames: ['migration', 'surface', 'result'] as const,
      registers: [registry],
    }),
    shadowDuration: new Histogram({
      name: 'gateway_shadow_duration_seconds',
      help: 'Latency of shadow calls, by migration and the side they went to (old, new)',
      labelNames: ['migration', 'side'] as const,
      buckets: latencyBuckets,
      registers: [registry],
    }),
    graphqlOperations: new Counter({
      name: 'gateway_graphql_operations_total',
      help: 'GraphQL operations by type and outcome',
      labelNames: ['operation', 'outcome'] as const,
      registers: [registry],
    }),
    graphqlErrors: new Counter({
      name: 'gateway_graphql_errors_total',
      help: 'GraphQL errors by code',
      labelNames: ['code'] as const,
      registers: [registry],
    }),
    subgraphLatency: new Histogram({
      name: 'gateway_subgraph_request_duration_seconds',
      help: 'Latency of subgraph fetches',
      labelNames: ['subgraph', 'outcome'] as const,
      buckets: latencyBuckets,
      registers: [registry],
    }),
    queryPlansBuilt: new Counter({
      name: 'gateway_query_plans_built_total',
      help: 'Query plans built (plan cache misses); plans are cached per operation and active override labels',
      registers: [registry],
    }),
    inFlightShared: new Counter({
      name: 'gateway_inflight_shared_total',
      help: 'Work joined while an identical one was in flight: whole query operations, subgraph fetches',
      labelNames: ['level'] as const,
      registers: [registry],
    }),
  };
}

export type GatewayMetrics = ReturnType<typeof createGatewayMetrics>;
