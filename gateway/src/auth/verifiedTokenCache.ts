import { LRUCache } from 'lru-cache';
import type { Caller } from '@cinemaabyss/shared/identity';

interface Verified {
  caller: Caller;
  /** Past this instant the token would no longer verify (its `exp` plus the clock tolerance). */
  expiresAtMs: number;
  /** The key set it was verified with: a rotation makes every entry verify again. */
  keysVersion: number;
}

export interface VerifiedTokenCache {
  /** The caller a token was verified as, while unexpired and under the same key set. */
  get(token: string, keysVersion: number): Caller | undefined;
  set(token: string, verified: Verified): void;
}

/**
 * Tokens already verified, by their exact text: a client sends the same token for its lifetime,
 * and checking its signature again every request costs the gateway more than the rest of
 * authentication together (as Envoy's jwt_authn keeps a cache of verified tokens). Bounded,
 * least recently used out first; an entry never outlives the token's `exp` or its key set.
 */
export function createVerifiedTokenCache(
  maxEntries: number,
  now: () => number = Date.now,
): VerifiedTokenCache {
  const entries = new LRUCache<string, Verified>({ max: maxEntries });
  return {
    get(token, keysVersion) {
      const entry = entries.get(token);
      if (!entry) return undefined;
      if (entry.keysVersion !== keysVersion || now() >= entry.expiresAtMs) {
        entries.delete(token);
        return undefined;
      }
      return entry.caller;
    },
    set(token, verified) {
      entries.set(token, verified);
    },
  };
}
