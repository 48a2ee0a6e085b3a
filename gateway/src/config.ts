import path from 'node:path';
import {
  ConfigError,
  readBoolean,
  readHost,
  readHttpUrl,
  readInteger,
  readPort,
  readPostgresUrl,
} from '@cinemaabyss/shared/config';

export interface GatewayConfig {
  readonly port: number;
  /** Address to listen on (HOST): all interfaces by default, as a container needs. */
  readonly host: string;
  readonly monolithUrl: string;
  readonly moviesServiceUrl: string;
  readonly eventsServiceUrl: string;
  /**
   * With moviesMigrationPercent, the first setting of the `movies` migration: it seeds the dial
   * only when the database holds no setting yet (false seeds 0 %). A stored setting wins.
   */
  readonly gradualMigration: boolean;
  /** Share of /api/movies users (0–100) for the movies service in that first setting. */
  readonly moviesMigrationPercent: number;
  /** The database holding the live migration dial (the gateway's own schema). */
  readonly dbConnectionString: string;
  /** Bearer token of the admin API; undefined turns the admin API off. */
  readonly adminToken: string | undefined;
  /** How often each replica re-reads the dial, in case a change notification was lost. */
  readonly migrationRefreshMs: number;
  /** Composed supergraph the gateway serves, watched for changes. */
  readonly supergraphPath: string;
  /** Where each subgraph of the supergraph is called, by subgraph name. */
  readonly subgraphUrls: Readonly<Record<string, string>>;
  /** Per-call timeout towards REST backends and subgraphs. */
  readonly backendTimeoutMs: number;
  /** Introspection is off in production. */
  readonly production: boolean;
  /**
   * Identical query operations in flight at the same moment run once and share the result, and
   * identical subgraph query fetches share one HTTP call. Mutations always run one by one.
   */
  readonly deduplicateInFlight: boolean;
}

export const DEFAULT_DB_CONNECTION_STRING = 'postgres://postgres@127.0.0.1:5432/cinemaabyss';
export const MIN_ADMIN_TOKEN_LENGTH = 16;

/** ADMIN_TOKEN: unset (admin API off) or a secret long enough not to be guessed. */
function readAdminToken(env: NodeJS.ProcessEnv): string | undefined {
  const value = env.ADMIN_TOKEN?.trim();
  if (!value) return undefined;
  if (value.length < MIN_ADMIN_TOKEN_LENGTH || /\s/.test(value)) {
    throw new ConfigError(
      `ADMIN_TOKEN must be at least ${MIN_ADMIN_TOKEN_LENGTH} characters without spaces (e.g. openssl rand -hex 32), or unset to turn the admin API off`,
    );
  }
  return value;
}

const DEFAULT_SUPERGRAPH = path.resolve(__dirname, '../../supergraph.graphql');

/** Reads and validates the environment once; a bad variable stops start-up, named. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): GatewayConfig {
  const moviesServiceUrl = readHttpUrl(env, 'MOVIES_SERVICE_URL', 'http://127.0.0.1:8081');
  return Object.freeze({
    port: readPort(env, 'PORT', 8000),
    host: readHost(env, 'HOST', '0.0.0.0'),
    monolithUrl: readHttpUrl(env, 'MONOLITH_URL', 'http://127.0.0.1:8080'),
    moviesServiceUrl,
    eventsServiceUrl: readHttpUrl(env, 'EVENTS_SERVICE_URL', 'http://127.0.0.1:8082'),
    gradualMigration: readBoolean(env, 'GRADUAL_MIGRATION', false),
    moviesMigrationPercent: readInteger(env, 'MOVIES_MIGRATION_PERCENT', 0, { min: 0, max: 100 }),
    dbConnectionString: readPostgresUrl(env, 'DB_CONNECTION_STRING', DEFAULT_DB_CONNECTION_STRING),
    adminToken: readAdminToken(env),
    migrationRefreshMs: readInteger(env, 'MIGRATION_REFRESH_MS', 1_000, { min: 100, max: 60_000 }),
    supergraphPath: env.SUPERGRAPH_PATH?.trim() || DEFAULT_SUPERGRAPH,
    // The supergraph's routing URLs are for composition; deployments say where subgraphs run.
    subgraphUrls: Object.freeze({
      movies: readHttpUrl(env, 'MOVIES_SUBGRAPH_URL', `${moviesServiceUrl}/graphql`),
      monolith: readHttpUrl(env, 'MONOLITH_SUBGRAPH_URL', 'http://127.0.0.1:8083/graphql'),
    }),
    backendTimeoutMs: readInteger(env, 'BACKEND_TIMEOUT_MS', 5_000, { min: 100, max: 120_000 }),
    production: env.NODE_ENV === 'production',
    deduplicateInFlight: readBoolean(env, 'DEDUPLICATE_INFLIGHT_QUERIES', true),
  });
}
