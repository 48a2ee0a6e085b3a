import path from 'node:path';

/** The repository root, which is also the build context of every image. */
export const REPO_ROOT = path.resolve(__dirname, '..', '..');

/** One deployable service, as the image's build arguments, compose and the chart name it. */
export interface DeliveredService {
  /** Compose service, image and chart component name; also the name `npm start` logs with. */
  name: string;
  /** npm workspace name, installed alone in the image. */
  workspace: string;
  /** Workspace folder, relative to the repository root: the image's SERVICE_DIR. */
  dir: string;
  /** The key of the service in the chart's values.yaml. */
  valuesKey: string;
  port: number;
  healthPath: string;
  /** The variables ARCHITECTURE.md documents for it (compose sets each). */
  env: readonly string[];
}

/** The five services, in the order ARCHITECTURE.md's port table lists them. */
export const DELIVERED_SERVICES: readonly DeliveredService[] = [
  {
    name: 'gateway',
    workspace: '@cinemaabyss/gateway',
    dir: 'gateway',
    valuesKey: 'gateway',
    port: 8000,
    healthPath: '/health',
    env: [
      'PORT',
      'MONOLITH_URL',
      'MOVIES_SERVICE_URL',
      'EVENTS_SERVICE_URL',
      'MONOLITH_SUBGRAPH_URL',
      'GRADUAL_MIGRATION',
      'MOVIES_MIGRATION_PERCENT',
      // The live migration dial's database; ADMIN_TOKEN is optional (admin API off without it).
      'DB_CONNECTION_STRING',
      // The event topics its subscriptions are fed from.
      'KAFKA_BROKERS',
    ],
  },
  {
    name: 'legacy-monolith',
    workspace: '@cinemaabyss/legacy-monolith',
    dir: 'legacy-monolith',
    valuesKey: 'legacyMonolith',
    port: 8080,
    healthPath: '/health',
    env: ['PORT', 'DB_CONNECTION_STRING'],
  },
  {
    name: 'movies-service',
    workspace: '@cinemaabyss/movies-service',
    dir: 'subgraphs/movies',
    valuesKey: 'moviesService',
    port: 8081,
    healthPath: '/api/movies/health',
    env: ['PORT', 'DB_CONNECTION_STRING'],
  },
  {
    name: 'events-service',
    workspace: '@cinemaabyss/events-service',
    dir: 'events',
    valuesKey: 'eventsService',
    port: 8082,
    healthPath: '/api/events/health',
    env: ['PORT', 'KAFKA_BROKERS', 'DB_CONNECTION_STRING'],
  },
  {
    name: 'monolith-subgraph',
    workspace: '@cinemaabyss/monolith-subgraph',
    dir: 'subgraphs/monolith',
    valuesKey: 'monolithSubgraph',
    port: 8083,
    healthPath: '/health',
    env: ['PORT', 'MONOLITH_URL'],
  },
];

export function repoPath(...segments: string[]): string {
  return path.join(REPO_ROOT, ...segments);
}
