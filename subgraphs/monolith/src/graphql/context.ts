import type { Caller } from '@cinemaabyss/shared/identity';
import type { LegacyApi } from '../legacy/legacyClient';
import type { LegacyLoaders } from './loaders';

/** What every resolver of one GraphQL request shares. */
export interface MonolithContext {
  /** The REST API, carrying this request's x-request-id. */
  legacy: LegacyApi;
  /** Fresh per request, so nothing is cached across requests or users. */
  loaders: LegacyLoaders;
  /** One clock reading per request, so `active` is consistent within an answer. */
  now: Date;
  /** Who the gateway says is asking (x-auth-subject / x-auth-scopes); undefined: anonymous. */
  caller: Caller | undefined;
}
