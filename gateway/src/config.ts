import path from 'node:path';
import {
  ConfigError,
  boolean,
  host,
  hostList,
  httpUrl,
  integer,
  oneOf,
  parseEnv,
  port,
  postgresUrl,
  text,
} from '@cinemaabyss/shared/config';
import { REST_AUTH_MODES } from './auth/restAuthMode';
import type { RestAuthMode } from './auth/restAuthMode';
import { AUTHZ_MODES } from './authz/authzMode';
import type { AuthzMode } from './authz/authzMode';

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
  /** Shadow calls in flight at once on one replica; beyond, a sampled request is skipped. */
  readonly shadowMaxInFlight: number;
  /** The deadline of one shadow call, apart from the client's. */
  readonly shadowTimeoutMs: number;
  /** How long a path stays noise after its last noisy pair. */
  readonly shadowNoiseExpiryMs: number;
  /** The fleet figures' window, and how often each replica writes its counts. */
  readonly figuresWindowMs: number;
  readonly figuresFlushMs: number;
  /** How often the rollout driver looks at running rollouts (and a replica tries to lead). */
  readonly rolloutTickMs: number;
  /** Gets a small JSON POST per rollout state change; unset: none. */
  readonly rolloutWebhookUrl: string | undefined;
  /** How callers' bearer tokens are verified (docs/security.md). */
  readonly auth: AuthConfig;
  /** Where subscriptions' events come from (docs/events.md); no brokers: no subscriptions. */
  readonly subscriptions: SubscriptionsConfig;
}

export interface SubscriptionsConfig {
  /** The Kafka brokers the event topics live on; undefined turns subscriptions off. */
  readonly kafkaBrokers: readonly string[] | undefined;
  /** Prepended to the topic names (a shared broker's deployment prefix). */
  readonly topicPrefix: string;
  /** How far back a reconnecting subscription can resume (the feed starts this far back). */
  readonly replaySeconds: number;
  /** Events held for resuming, per topic, whatever their age. */
  readonly replayMaxEvents: number;
  /** Subscriptions one graphql-ws connection may hold. */
  readonly perConnection: number;
  /** Subscriptions one replica holds, over every transport. */
  readonly perReplica: number;
  /** Results a subscriber may have waiting to be sent before it is closed as too slow. */
  readonly sendQueue: number;
}

export interface AuthConfig {
  /** The identity provider's JWKS endpoint (cached, re-read on an unknown key id). */
  readonly jwksUrl: string | undefined;
  /** Or a JWKS file (the dev stack's key); neither: tokens cannot be verified (503). */
  readonly jwksFile: string | undefined;
  /** Accepted `iss` and `aud` values; empty: not checked. */
  readonly issuers: readonly string[];
  readonly audiences: readonly string[];
  /** Accepted signature algorithms: asymmetric ones unless told otherwise. */
  readonly algorithms: readonly string[];
  readonly clockToleranceSeconds: number;
  /** Deadline of one JWKS fetch; least time between fetches a request may cause; re-read period. */
  readonly jwksTimeoutMs: number;
  readonly jwksCooldownMs: number;
  readonly jwksRefreshMs: number;
  /** Verified tokens remembered until their `exp` or the next key set (0: none). */
  readonly verifiedTokenCacheSize: number;
  /** Whether the REST shim reads tokens: off (as legacy clients expect), verify or required. */
  readonly restMode: RestAuthMode;
  /** Fields a caller may not see: `filter` (null and an error each) or `reject` (403). */
  readonly authzMode: AuthzMode;
}

/** Signature algorithms a JWKS can verify; `none` is not one of them. */
const ASYMMETRIC_ALGORITHMS = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
  'Ed25519',
] as const;
const KNOWN_ALGORITHMS: readonly string[] = [...ASYMMETRIC_ALGORITHMS, 'HS256', 'HS384', 'HS512'];

/** A comma-separated list, entries trimmed and empty ones dropped; unset: empty. */
function list() {
  return text().transform((value) =>
    (value ?? '')
      .split(',')
      .map((entry) => entry.trim())
      .filter((entry) => entry !== ''),
  );
}

/** JWT_ALGORITHMS: names jose knows; symmetric (HS*) ones only when listed on purpose. */
const algorithms = list().refine(
  (values) => values.every((value) => KNOWN_ALGORITHMS.includes(value)),
  { error: `must be a comma-separated list of ${KNOWN_ALGORITHMS.join(', ')}` },
);

export const DEFAULT_DB_CONNECTION_STRING = 'postgres://postgres@127.0.0.1:5432/cinemaabyss';
export const MIN_ADMIN_TOKEN_LENGTH = 16;

/** ADMIN_TOKEN: unset (admin API off) or a secret long enough not to be guessed. */
const adminToken = text().refine(
  (value) => value === undefined || (value.length >= MIN_ADMIN_TOKEN_LENGTH && !/\s/.test(value)),
  {
    error: `must be at least ${MIN_ADMIN_TOKEN_LENGTH} characters without spaces (e.g. openssl rand -hex 32), or unset to turn the admin API off`,
  },
);

const DEFAULT_SUPERGRAPH = path.resolve(__dirname, '../../supergraph.graphql');

const ENV = {
  PORT: port(8000),
  HOST: host('0.0.0.0'),
  MONOLITH_URL: httpUrl('http://127.0.0.1:8080'),
  MOVIES_SERVICE_URL: httpUrl('http://127.0.0.1:8081'),
  EVENTS_SERVICE_URL: httpUrl('http://127.0.0.1:8082'),
  GRADUAL_MIGRATION: boolean(false),
  MOVIES_MIGRATION_PERCENT: integer(0, { min: 0, max: 100 }),
  DB_CONNECTION_STRING: postgresUrl(DEFAULT_DB_CONNECTION_STRING),
  ADMIN_TOKEN: adminToken,
  MIGRATION_REFRESH_MS: integer(1_000, { min: 100, max: 60_000 }),
  SUPERGRAPH_PATH: text(DEFAULT_SUPERGRAPH),
  // Unset: the movies service's own /graphql.
  MOVIES_SUBGRAPH_URL: httpUrl(),
  MONOLITH_SUBGRAPH_URL: httpUrl('http://127.0.0.1:8083/graphql'),
  BACKEND_TIMEOUT_MS: integer(5_000, { min: 100, max: 120_000 }),
  DEDUPLICATE_INFLIGHT_QUERIES: boolean(true),
  SHADOW_MAX_IN_FLIGHT: integer(32, { min: 1, max: 10_000 }),
  SHADOW_TIMEOUT_MS: integer(2_000, { min: 100, max: 120_000 }),
  SHADOW_NOISE_EXPIRY_MS: integer(600_000, { min: 1_000, max: 86_400_000 }),
  FIGURES_WINDOW_MS: integer(10_000, { min: 1_000, max: 60_000 }),
  FIGURES_FLUSH_MS: integer(5_000, { min: 100, max: 60_000 }),
  ROLLOUT_TICK_MS: integer(1_000, { min: 100, max: 60_000 }),
  ROLLOUT_WEBHOOK_URL: httpUrl(),
  KAFKA_BROKERS: hostList(),
  KAFKA_TOPIC_PREFIX: text(''),
  SUBSCRIPTION_REPLAY_SECONDS: integer(3_600, { min: 0, max: 7 * 86_400 }),
  SUBSCRIPTION_REPLAY_MAX_EVENTS: integer(100_000, { min: 0, max: 10_000_000 }),
  SUBSCRIPTIONS_PER_CONNECTION: integer(20, { min: 1, max: 1_000 }),
  SUBSCRIPTIONS_PER_REPLICA: integer(10_000, { min: 1, max: 1_000_000 }),
  SUBSCRIPTION_SEND_QUEUE: integer(100, { min: 1, max: 100_000 }),
  JWT_JWKS_URL: httpUrl(),
  JWT_JWKS_FILE: text(),
  JWT_ISSUER: list(),
  JWT_AUDIENCE: list(),
  JWT_ALGORITHMS: algorithms,
  JWT_CLOCK_TOLERANCE_S: integer(30, { min: 0, max: 600 }),
  JWKS_TIMEOUT_MS: integer(3_000, { min: 100, max: 60_000 }),
  JWKS_COOLDOWN_MS: integer(30_000, { min: 1_000, max: 3_600_000 }),
  JWKS_REFRESH_MS: integer(600_000, { min: 10_000, max: 86_400_000 }),
  JWT_CACHE_SIZE: integer(10_000, { min: 0, max: 1_000_000 }),
  REST_AUTH: oneOf(REST_AUTH_MODES, { expected: 'off, verify or required', fallback: 'off' }),
  AUTHZ_MODE: oneOf(AUTHZ_MODES, { expected: 'filter or reject', fallback: 'filter' }),
};

/** Reads and validates the environment once; a bad variable stops start-up, named. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): GatewayConfig {
  const vars = parseEnv(ENV, env);
  if (vars.JWT_JWKS_URL && vars.JWT_JWKS_FILE) {
    throw new ConfigError('JWT_JWKS_URL and JWT_JWKS_FILE: set one of them, not both');
  }
  return Object.freeze({
    port: vars.PORT,
    host: vars.HOST,
    monolithUrl: vars.MONOLITH_URL,
    moviesServiceUrl: vars.MOVIES_SERVICE_URL,
    eventsServiceUrl: vars.EVENTS_SERVICE_URL,
    gradualMigration: vars.GRADUAL_MIGRATION,
    moviesMigrationPercent: vars.MOVIES_MIGRATION_PERCENT,
    dbConnectionString: vars.DB_CONNECTION_STRING,
    adminToken: vars.ADMIN_TOKEN,
    migrationRefreshMs: vars.MIGRATION_REFRESH_MS,
    supergraphPath: vars.SUPERGRAPH_PATH,
    // The supergraph's routing URLs are for composition; deployments say where subgraphs run.
    subgraphUrls: Object.freeze({
      movies: vars.MOVIES_SUBGRAPH_URL ?? `${vars.MOVIES_SERVICE_URL}/graphql`,
      monolith: vars.MONOLITH_SUBGRAPH_URL,
    }),
    backendTimeoutMs: vars.BACKEND_TIMEOUT_MS,
    production: env.NODE_ENV === 'production',
    deduplicateInFlight: vars.DEDUPLICATE_INFLIGHT_QUERIES,
    shadowMaxInFlight: vars.SHADOW_MAX_IN_FLIGHT,
    shadowTimeoutMs: vars.SHADOW_TIMEOUT_MS,
    shadowNoiseExpiryMs: vars.SHADOW_NOISE_EXPIRY_MS,
    figuresWindowMs: vars.FIGURES_WINDOW_MS,
    figuresFlushMs: vars.FIGURES_FLUSH_MS,
    rolloutTickMs: vars.ROLLOUT_TICK_MS,
    rolloutWebhookUrl: vars.ROLLOUT_WEBHOOK_URL,
    auth: Object.freeze({
      jwksUrl: vars.JWT_JWKS_URL,
      jwksFile: vars.JWT_JWKS_FILE,
      issuers: vars.JWT_ISSUER,
      audiences: vars.JWT_AUDIENCE,
      algorithms: vars.JWT_ALGORITHMS.length > 0 ? vars.JWT_ALGORITHMS : ASYMMETRIC_ALGORITHMS,
      clockToleranceSeconds: vars.JWT_CLOCK_TOLERANCE_S,
      jwksTimeoutMs: vars.JWKS_TIMEOUT_MS,
      jwksCooldownMs: vars.JWKS_COOLDOWN_MS,
      jwksRefreshMs: vars.JWKS_REFRESH_MS,
      verifiedTokenCacheSize: vars.JWT_CACHE_SIZE,
      restMode: vars.REST_AUTH,
      authzMode: vars.AUTHZ_MODE,
    }),
    subscriptions: Object.freeze({
      kafkaBrokers: vars.KAFKA_BROKERS,
      topicPrefix: vars.KAFKA_TOPIC_PREFIX,
      replaySeconds: vars.SUBSCRIPTION_REPLAY_SECONDS,
      replayMaxEvents: vars.SUBSCRIPTION_REPLAY_MAX_EVENTS,
      perConnection: vars.SUBSCRIPTIONS_PER_CONNECTION,
      perReplica: vars.SUBSCRIPTIONS_PER_REPLICA,
      sendQueue: vars.SUBSCRIPTION_SEND_QUEUE,
    }),
  });
}
