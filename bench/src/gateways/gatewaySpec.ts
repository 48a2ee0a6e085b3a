import { loadConfig } from '@cinemaabyss/gateway/config';
import type { AuthConfig } from '@cinemaabyss/gateway/config';
/** Where a gateway under test finds the supergraph and the backends (passed as JSON in argv). */
export interface GatewaySpec {
  supergraphPath: string;
  /** By subgraph name, as in the supergraph's join__Graph. */
  subgraphUrls: Record<string, string>;
  /** REST backends, for our gateway's strangler shim. */
  monolithUrl: string;
  moviesServiceUrl: string;
  eventsServiceUrl: string;
  /** The database of our gateway's live migration dial (the bench's throw-away one). */
  dbConnectionString: string;
  /** Our gateway's subscriptions: the broker and topic prefix of the bench's events. */
  subscriptions?: { brokers: string[]; topicPrefix: string };
  /** The key our gateway verifies the bench caller's token with (the others ignore tokens). */
  auth?: { jwksFile: string; issuer: string; audience: string };
}

/** Our gateway's token settings for the bench caller's key (none: the documented defaults). */
export function benchGatewayAuth(auth: GatewaySpec['auth']): { auth?: AuthConfig } {
  if (!auth) return {};
  return {
    auth: {
      ...loadConfig({}).auth,
      jwksFile: auth.jwksFile,
      issuers: [auth.issuer],
      audiences: [auth.audience],
    },
  };
}

export function readGatewaySpec(): GatewaySpec {
  const raw = process.argv[2];
  if (!raw) throw new Error('expected the gateway spec as JSON in argv[2]');
  return JSON.parse(raw) as GatewaySpec;
}
