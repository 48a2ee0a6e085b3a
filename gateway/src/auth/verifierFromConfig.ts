import type { Logger } from '@cinemaabyss/shared/logging';
import type { AuthConfig } from '../config';
import { createKeySource } from './keySource';
import type { KeySource } from './keySource';
import { jwksFromFile, jwksFromUrl } from './loadJwks';
import { createTokenVerifier } from './tokenVerifier';
import type { TokenVerifier } from './tokenVerifier';

/** The token verifier the configuration describes, and its key source (none configured: undefined). */
export function verifierFromConfig(
  auth: AuthConfig,
  logger: Logger,
): { verifier: TokenVerifier; keys: KeySource | undefined } {
  const load = auth.jwksUrl
    ? jwksFromUrl(auth.jwksUrl, { timeoutMs: auth.jwksTimeoutMs })
    : auth.jwksFile
      ? jwksFromFile(auth.jwksFile)
      : undefined;
  const keys =
    load &&
    createKeySource({
      load,
      origin: auth.jwksUrl ?? auth.jwksFile ?? '',
      cooldownMs: auth.jwksCooldownMs,
      refreshMs: auth.jwksRefreshMs,
      logger,
    });
  const verifier = createTokenVerifier({
    keys,
    issuers: auth.issuers,
    audiences: auth.audiences,
    algorithms: auth.algorithms,
    clockToleranceSeconds: auth.clockToleranceSeconds,
    cacheSize: auth.verifiedTokenCacheSize,
  });
  return { verifier, keys };
}
