import type { FastifyInstance } from 'fastify';
import { registerPath } from '@cinemaabyss/shared/http';
import { eventsErrors } from '../errors';
import { isDatabaseReachable } from '@cinemaabyss/shared/db';
import type { Pool } from '@cinemaabyss/shared/db';
import type {
  EventBus,
  EventConsumer,
  EventProducer,
  RecordPosition,
} from '@cinemaabyss/shared/kafka';
import { listProcessedEvents } from '../consumer/processedEvents';
import type { EventsMetrics } from '../metrics';
import type { EventTopics } from '../topics';
import { eventFromRequest } from './eventInputs';
import type { RestEventKind } from './eventInputs';
import { parseListQuery } from './listQuery';

export interface EventsRoutesDeps {
  pool: Pool;
  bus: EventBus;
  /** Bounded in time, so an unreachable broker is a prompt 503 rather than a hanging request. */
  producer: EventProducer;
  /** Health turns 503 when it has stopped for good, so an orchestrator restarts the service. */
  consumer: EventConsumer;
  topics: EventTopics;
  metrics: EventsMetrics;
}

const KINDS: readonly RestEventKind[] = ['movie', 'user', 'payment'];

export function registerEventsRoutes(app: FastifyInstance, deps: EventsRoutesDeps): void {
  const { pool, bus, producer, consumer, topics, metrics } = deps;

  for (const kind of KINDS) {
    registerPath(app, `/api/events/${kind}`, {
      POST: async (request, reply) => {
        const { key, event } = eventFromRequest(kind, request.body);
        const topic = topics[kind];
        let position: RecordPosition | undefined;
        try {
          [position] = await producer.send([{ topic, key, value: JSON.stringify(event) }]);
        } catch (err) {
          request.log.warn({ err: (err as Error).message, topic }, 'event not produced');
          throw eventsErrors.notAcknowledged();
        }
        if (!position) throw new Error('Kafka acknowledged the send without a record position');
        metrics.produced.inc({ topic, source: 'rest' });
        reply.code(201);
        const { id, type, timestamp, payload } = event;
        return {
          status: 'success',
          partition: position.partition,
          offset: position.offset,
          event: { id, type, timestamp, payload },
        };
      },
    });
  }

  registerPath(app, '/api/events', {
    GET: async (request) => listProcessedEvents(pool, parseListQuery(request.query)),
  });

  /** Why the service cannot do its work right now, or undefined when it can. */
  const healthProblem = async (): Promise<string | undefined> => {
    const [kafka, database] = await Promise.all([bus.isReachable(), isDatabaseReachable(pool)]);
    if (!kafka) return 'kafka unreachable';
    if (!database) return 'database unreachable';
    if (consumer.hasStopped()) return 'event consumer stopped';
    return undefined;
  };

  registerPath(app, '/api/events/health', {
    GET: async (_request, reply) => {
      const error = await healthProblem();
      if (!error) return { status: true };
      reply.code(503);
      return { status: false, error };
    },
  });

  registerPath(app, '/metrics', {
    GET: async (_request, reply) => {
      reply.header('content-type', metrics.registry.contentType);
      return metrics.registry.metrics();
    },
  });
}
