import { startEventsService } from '@cinemaabyss/events-service/testing';
import type { RunningEventsService } from '@cinemaabyss/events-service/testing';
import { startMonolith } from '@cinemaabyss/legacy-monolith/testing';
import type { RunningMonolith } from '@cinemaabyss/legacy-monolith/testing';
import { startMoviesService } from '@cinemaabyss/movies-service/testing';
import type { RunningMoviesService } from '@cinemaabyss/movies-service/testing';
import { startMonolithSubgraph } from '@cinemaabyss/monolith-subgraph/testing';
import type { RunningMonolithSubgraph } from '@cinemaabyss/monolith-subgraph/testing';
import { TEST_ADMIN_TOKEN, startGateway } from '@cinemaabyss/gateway/testing';
import type { RunningGateway } from '@cinemaabyss/gateway/testing';
import { loadConfig } from '@cinemaabyss/gateway/config';
import type { AuthConfig, GatewayConfig, SubscriptionsConfig } from '@cinemaabyss/gateway/config';
import { TEST_AUDIENCE, TEST_ISSUER, createTestIssuer } from '@cinemaabyss/gateway/testing/issuer';
import type { SignOptions, TestIssuer } from '@cinemaabyss/gateway/testing/issuer';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Logger } from '@cinemaabyss/shared/logging';

/** Every scope a field of the platform asks for: a caller allowed everything. */
export const EVERY_SCOPE =
  'users:read payments:read subscriptions:read payments:write subscriptions:write ratings:write:any';

export interface Stack {
  monolith: RunningMonolith;
  movies: RunningMoviesService;
  monolithSubgraph: RunningMonolithSubgraph;
  gateway: RunningGateway;
  /** Only when started `withEventsService`; else the gateway's events backend is closed. */
  events?: RunningEventsService;
  /** The identity provider every gateway of the stack trusts (its JWKS in a file). */
  issuer: TestIssuer;
  /** The token settings the stack's gateways start with, trusting `issuer`. */
  auth: AuthConfig;
  /** What the stack's gateways read subscriptions' events with (when `withSubscriptions`). */
  subscriptions?: SubscriptionsConfig;
  /** `{ authorization: 'Bearer …' }` for a token of that provider. */
  bearer(options?: SignOptions): Promise<{ authorization: string }>;
  /** Another gateway over the same backends, with other settings; stopped with the stack. */
  startGateway(
    overrides: Partial<GatewayConfig>,
    options?: { logger?: Logger },
  ): Promise<RunningGateway>;
  stop(): Promise<void>;
}

export interface StackOptions {
  /** Also run the events service (Kafka producers, consumers, the outbox relay). @default false */
  withEventsService?: boolean;
  /**
   * Also feed the gateway's subscriptions from the stack's event topics (the events service
   * relays the writes' outbox there, so it runs too). @default false
   */
  withSubscriptions?: boolean;
  /** The Kafka brokers of the events service and the subscriptions. @default KAFKA_BROKERS */
  brokers?: string[];
}

/**
 * Every service in-process on ephemeral ports, over one fresh database, with the gateway in
 * front: the whole platform as the tests see it.
 */
export async function startStack(
  gatewayOverrides: Partial<GatewayConfig> = {},
  { withEventsService = false, withSubscriptions = false, brokers }: StackOptions = {},
): Promise<Stack> {
  const monolith = await startMonolith();
  const movies = await startMoviesService({ db: monolith.db });
  const monolithSubgraph = await startMonolithSubgraph({ monolithUrl: monolith.url });
  // Topics of the stack's own, so test files sharing the broker never read each other's events.
  const topicPrefix = `test-${randomBytes(4).toString('hex')}.`;
  const events =
    withEventsService || withSubscriptions
      ? await startEventsService({ db: monolith.db, topicPrefix, ...(brokers && { brokers }) })
      : undefined;
  const gateways: RunningGateway[] = [];
  const issuer = await createTestIssuer();
  const authDir = await mkdtemp(path.join(os.tmpdir(), 'stack-jwks-'));
  const jwksFile = path.join(authDir, 'jwks.json');
  await writeFile(jwksFile, JSON.stringify(issuer.jwks()));
  const auth: AuthConfig = {
    ...loadConfig({}).auth,
    jwksFile,
    issuers: [TEST_ISSUER],
    audiences: [TEST_AUDIENCE],
  };
  const subscriptions: SubscriptionsConfig | undefined =
    withSubscriptions && events
      ? { ...loadConfig({}).subscriptions, kafkaBrokers: events.brokers, topicPrefix }
      : undefined;
  const launch = async (overrides: Partial<GatewayConfig>, options: { logger?: Logger } = {}) => {
    const gateway = await startGateway(
      {
        monolithUrl: monolith.url,
        moviesServiceUrl: movies.url,
        eventsServiceUrl: events?.url ?? 'http://127.0.0.1:9',
        subgraphUrls: { movies: `${movies.url}/graphql`, monolith: monolithSubgraph.graphqlUrl },
        // Every gateway of the stack shares one live migration dial, as replicas do.
        dbConnectionString: monolith.db.connectionString,
        adminToken: TEST_ADMIN_TOKEN,
        auth,
        ...(subscriptions && { subscriptions }),
        ...gatewayOverrides,
        ...overrides,
      },
      options,
    );
    gateways.push(gateway);
    return gateway;
  };
  const gateway = await launch({});
  return {
    monolith,
    movies,
    monolithSubgraph,
    gateway,
    events,
    issuer,
    auth,
    ...(subscriptions && { subscriptions }),
    bearer: async (options) => ({ authorization: `Bearer ${await issuer.sign(options)}` }),
    startGateway: launch,
    async stop() {
      for (const g of gateways) await g.stop();
      await events?.stop();
      await monolithSubgraph.stop();
      await movies.stop();
      await monolith.stop();
      await rm(authDir, { recursive: true, force: true });
    },
  };
}
