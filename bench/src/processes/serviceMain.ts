import { createSilentLogger } from '@cinemaabyss/shared/logging';
import { createServer as createMonolith } from '@cinemaabyss/legacy-monolith';
import { loadConfig as monolithConfig } from '@cinemaabyss/legacy-monolith/config';
import { createServer as createMoviesService } from '@cinemaabyss/movies-service';
import { loadConfig as moviesConfig } from '@cinemaabyss/movies-service/config';
import { createServer as createMonolithSubgraph } from '@cinemaabyss/monolith-subgraph';
import { loadConfig as monolithSubgraphConfig } from '@cinemaabyss/monolith-subgraph/config';
import { createServer as createEventsService } from '@cinemaabyss/events-service';
import { loadConfig as eventsConfig } from '@cinemaabyss/events-service/config';
import type { ChildServer } from './childProtocol';
import { serveAsChild } from './serveAsChild';

/** What the bench passes (as JSON in argv) to start one backend service in this process. */
export type ServiceSpec =
  | { kind: 'monolith'; db: string }
  | { kind: 'movies'; db: string }
  | { kind: 'monolith-subgraph'; monolithUrl: string }
  | {
      kind: 'events';
      db: string;
      brokers: string[];
      topicPrefix: string;
      groupId: string;
      /** Overrides the outbox relay's rows per batch (its default otherwise). */
      relayBatchSize?: number;
    };

/**
 * One service as deployed: its own config loader's defaults (read from these variables
 * only, not the bench's environment), an ephemeral port, and no logging.
 */
async function startService(spec: ServiceSpec): Promise<ChildServer> {
  const logger = createSilentLogger();
  switch (spec.kind) {
    case 'monolith': {
      const config = {
        ...monolithConfig({ DB_CONNECTION_STRING: spec.db }),
        port: 0,
        host: '127.0.0.1',
      };
      const server = await createMonolith(config, { logger });
      return { url: await server.listen(0), stop: () => server.close() };
    }
    case 'movies': {
      const config = {
        ...moviesConfig({ DB_CONNECTION_STRING: spec.db }),
        port: 0,
        host: '127.0.0.1',
      };
      const server = await createMoviesService(config, { logger });
      return { url: await server.listen(0), stop: () => server.close() };
    }
    case 'monolith-subgraph': {
      const env = { MONOLITH_URL: spec.monolithUrl };
      const server = await createMonolithSubgraph(
        { ...monolithSubgraphConfig(env), port: 0, host: '127.0.0.1' },
        { logger },
      );
      return { url: await server.listen(0), stop: () => server.close() };
    }
    case 'events': {
      const env = { DB_CONNECTION_STRING: spec.db, KAFKA_BROKERS: spec.brokers.join(',') };
      const config = {
        ...eventsConfig(env),
        port: 0,
        host: '127.0.0.1',
        topicPrefix: spec.topicPrefix,
        consumerGroupId: spec.groupId,
      };
      const relay = spec.relayBatchSize ? { batchSize: spec.relayBatchSize } : undefined;
      const server = await createEventsService(config, { logger, relay });
      return { url: await server.listen(0), stop: () => server.close() };
    }
  }
}

serveAsChild(() => startService(JSON.parse(process.argv[2] ?? '{}') as ServiceSpec));
