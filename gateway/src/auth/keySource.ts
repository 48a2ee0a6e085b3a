import { createLocalJWKSet, errors } from 'jose';
import type { JSONWebKeySet, JWTVerifyGetKey } from 'jose';
import type { Logger } from '@cinemaabyss/shared/logging';
import type { LoadJwks } from './loadJwks';

/** No key has ever been loaded: tokens cannot be judged at all (503, not 401). */
export class KeysUnavailableError extends Error {
  constructor() {
    super('no keys to verify tokens with');
  }
}

export interface KeySourceOptions {
  load: LoadJwks;
  /** Where the keys come from, for the log. */
  origin: string;
  /**
   * The least time between two loads a request can cause (a token with an unknown `kid`, or no
   * keys yet): a flood of forged kids never becomes a flood of fetches.
   */
  cooldownMs: number;
  /** Keys are re-read this often in the background, so removed keys stop verifying. */
  refreshMs: number;
  logger: Logger;
}

export interface KeySource {
  /** For jose's jwtVerify: the key a token's header names. */
  getKey: JWTVerifyGetKey;
  /** The first load; a failure is logged, not thrown (requests with tokens get 503 meanwhile). */
  start(): Promise<void>;
  stop(): void;
  /** How many keys are held (0: none loaded yet). */
  keyCount(): number;
  /** Changes whenever a load brings a different key set: what was verified before may not verify now. */
  version(): number;
}

function isKeySet(value: unknown): value is JSONWebKeySet {
  return (
    typeof value === 'object' &&
    value !== null &&
    Array.isArray((value as { keys?: unknown }).keys) &&
    (value as { keys: unknown[] }).keys.every((key) => typeof key === 'object' && key !== null)
  );
}

/**
 * The verification keys of a JWKS (an endpoint or a file): loaded at start, re-read in the
 * background and when a token names a key id it does not hold (a rotation), at most once per
 * cool-down. A failed load keeps the keys already held, so an identity provider's outage does
 * not log anyone out.
 */
export function createKeySource(options: KeySourceOptions): KeySource {
  const { load, origin, cooldownMs, refreshMs, logger } = options;
  let keys: ReturnType<typeof createLocalJWKSet> | undefined;
  let count = 0;
  let loadedText = '';
  let version = 0;
  let lastAttempt = -Infinity;
  let loading: Promise<void> | undefined;
  let timer: NodeJS.Timeout | undefined;

  /** One load at a time; concurrent callers wait for the same one. */
  function reload(): Promise<void> {
    lastAttempt = Date.now();
    loading ??= (async () => {
      try {
        const set = await load();
        if (!isKeySet(set)) throw new Error('not a JSON Web Key Set ({"keys": [...]})');
        keys = createLocalJWKSet(set);
        const text = JSON.stringify(set);
        if (text !== loadedText) version += 1;
        loadedText = text;
        if (set.keys.length !== count)
          logger.info({ origin, keys: set.keys.length }, 'JWKS loaded');
        count = set.keys.length;
      } catch (err) {
        // The reason only: an error here never holds key material.
        logger.warn(
          { origin, err: err instanceof Error ? err.message : String(err), keptKeys: count },
          'could not load the JWKS; keeping the keys already held',
        );
      } finally {
        loading = undefined;
      }
    })();
    return loading;
  }

  const coolingDown = () => Date.now() - lastAttempt < cooldownMs;

  /** The keys held now, loading them first when there are none and the cool-down allows. */
  async function current() {
    if (!keys && !coolingDown()) await reload();
    if (!keys) throw new KeysUnavailableError();
    return keys;
  }

  const getKey: JWTVerifyGetKey = async (header, token) => {
    try {
      return await (
        await current()
      )(header, token);
    } catch (err) {
      if (!(err instanceof errors.JWKSNoMatchingKey) || coolingDown()) throw err;
      // A key id we do not hold: perhaps the provider rotated its keys since the last load.
      await reload();
      return (await current())(header, token);
    }
  };

  return {
    getKey,
    start: async () => {
      await reload();
      timer = setInterval(() => void reload(), refreshMs);
      timer.unref();
    },
    stop: () => clearInterval(timer),
    keyCount: () => count,
    version: () => version,
  };
}
