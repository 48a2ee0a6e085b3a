import { collectDefaultMetrics, Counter, Gauge, Registry } from 'prom-client';
import { registerTracingMetrics } from '@cinemaabyss/shared/tracing';

/** The service's Prometheus metrics, in a registry of its own so several servers can coexist in tests. */
export function createEventsMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  registerTracingMetrics(registry);
  return {
    registry,
    produced: new Counter({
      name: 'events_produced_total',
      help: 'Records acknowledged by Kafka, by topic and source (rest or outbox)',
      labelNames: ['topic', 'source'] as const,
      registers: [registry],
    }),
    consumed: new Counter({
      name: 'events_consumed_total',
      help: 'Records consumed, by topic and outcome (processed, duplicate, dead_lettered)',
      labelNames: ['topic', 'outcome'] as const,
      registers: [registry],
    }),
    consumerLag: new Gauge({
      name: 'events_consumer_lag',
      help: 'Records behind the end of each partition after the last handled batch',
      labelNames: ['topic', 'partition'] as const,
      registers: [registry],
    }),
    deadLettered: new Counter({
      name: 'events_dead_lettered_total',
      help: 'Records sent to the dead-letter topic, by source topic and reason (invalid or failed)',
      labelNames: ['topic', 'reason'] as const,
      registers: [registry],
    }),
  };
}

export type EventsMetrics = ReturnType<typeof createEventsMetrics>;
