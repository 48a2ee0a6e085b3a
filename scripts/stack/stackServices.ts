import { findFreePort } from '@cinemaabyss/local-infra';

/** One service of the local stack, started in this order, each after the previous is healthy. */
export interface StackService {
  name: string;
  /** Workspace folder, relative to the repository root. */
  dir: string;
  entry: string;
  port: number;
  healthPath: string;
  env: (stack: { kafkaBrokers: string }) => Record<string, string>;
}

/** Where each service listens. */
export interface StackPorts {
  monolith: number;
  movies: number;
  events: number;
  monolithSubgraph: number;
  gateway: number;
}

/** The documented ports of ARCHITECTURE.md. */
export const DOCUMENTED_PORTS: StackPorts = {
  monolith: 8080,
  movies: 8081,
  events: 8082,
  monolithSubgraph: 8083,
  gateway: 8000,
};

/**
 * The whole stack as processes, each told where the others listen: on the documented ports for
 * `npm start`, on free ones for tests that run the real entry points.
 */
export function stackServices(ports: StackPorts = DOCUMENTED_PORTS): StackService[] {
  const local = (port: number) => `http://127.0.0.1:${port}`;
  return [
    {
      name: 'legacy-monolith',
      dir: 'legacy-monolith',
      entry: 'src/index.ts',
      port: ports.monolith,
      healthPath: '/health',
      env: () => ({ PORT: String(ports.monolith) }),
    },
    {
      name: 'movies-service',
      dir: 'subgraphs/movies',
      entry: 'src/index.ts',
      port: ports.movies,
      healthPath: '/api/movies/health',
      env: () => ({ PORT: String(ports.movies) }),
    },
    {
      // After the monolith, which migrates the outbox and processed_events tables it relies on.
      name: 'events-service',
      dir: 'events',
      entry: 'src/index.ts',
      port: ports.events,
      healthPath: '/api/events/health',
      env: ({ kafkaBrokers }) => ({ PORT: String(ports.events), KAFKA_BROKERS: kafkaBrokers }),
    },
    {
      name: 'monolith-subgraph',
      dir: 'subgraphs/monolith',
      entry: 'src/index.ts',
      port: ports.monolithSubgraph,
      healthPath: '/health',
      env: () => ({ PORT: String(ports.monolithSubgraph), MONOLITH_URL: local(ports.monolith) }),
    },
    {
      name: 'gateway',
      dir: 'gateway',
      entry: 'src/index.ts',
      port: ports.gateway,
      healthPath: '/health',
      env: () => ({
        PORT: String(ports.gateway),
        MONOLITH_URL: local(ports.monolith),
        MOVIES_SERVICE_URL: local(ports.movies),
        EVENTS_SERVICE_URL: local(ports.events),
        MONOLITH_SUBGRAPH_URL: `${local(ports.monolithSubgraph)}/graphql`,
      }),
    },
  ];
}

/** A free port for each service, for a stack beside `npm start`'s (tests, the production check). */
export async function freeStackPorts(): Promise<StackPorts> {
  return {
    monolith: await findFreePort(),
    movies: await findFreePort(),
    events: await findFreePort(),
    monolithSubgraph: await findFreePort(),
    gateway: await findFreePort(),
  };
}

/** The stack of `npm start`. */
export const STACK_SERVICES: readonly StackService[] = stackServices();
