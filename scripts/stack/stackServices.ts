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

/** The documented ports of ARCHITECTURE.md; later services join this list. */
export const STACK_SERVICES: readonly StackService[] = [
  {
    name: 'legacy-monolith',
    dir: 'legacy-monolith',
    entry: 'src/index.ts',
    port: 8080,
    healthPath: '/health',
    env: () => ({ PORT: '8080' }),
  },
  {
    name: 'movies-service',
    dir: 'subgraphs/movies',
    entry: 'src/index.ts',
    port: 8081,
    healthPath: '/api/movies/health',
    env: () => ({ PORT: '8081' }),
  },
  {
    // After the monolith, which migrates the outbox and processed_events tables it relies on.
    name: 'events-service',
    dir: 'events',
    entry: 'src/index.ts',
    port: 8082,
    healthPath: '/api/events/health',
    env: ({ kafkaBrokers }) => ({ PORT: '8082', KAFKA_BROKERS: kafkaBrokers }),
  },
  {
    name: 'monolith-subgraph',
    dir: 'subgraphs/monolith',
    entry: 'src/index.ts',
    port: 8083,
    healthPath: '/health',
    env: () => ({ PORT: '8083', MONOLITH_URL: 'http://127.0.0.1:8080' }),
  },
  {
    name: 'gateway',
    dir: 'gateway',
    entry: 'src/index.ts',
    port: 8000,
    healthPath: '/health',
    env: () => ({
      PORT: '8000',
      MONOLITH_URL: 'http://127.0.0.1:8080',
      MOVIES_SERVICE_URL: 'http://127.0.0.1:8081',
      EVENTS_SERVICE_URL: 'http://127.0.0.1:8082',
      MONOLITH_SUBGRAPH_URL: 'http://127.0.0.1:8083/graphql',
    }),
  },
];
