import { errors, jwtVerify } from 'jose';
import type { JWTPayload } from 'jose';
import type { Caller } from '@cinemaabyss/shared/identity';
import { KeysUnavailableError } from './keySource';
import type { KeySource } from './keySource';
import { createVerifiedTokenCache } from './verifiedTokenCache';

/** How a request's Authorization header was judged. */
export type Authentication =
  | { result: 'anonymous' }
  | { result: 'valid'; caller: Caller }
  /** `reason` is for the log only: what failed, never the token or a key. */
  | { result: 'invalid'; reason: string }
  /** No keys to judge a token with (none configured, or none loaded yet). */
  | { result: 'unavailable' };

export interface TokenVerifierOptions {
  /** Undefined: no JWKS configured, so a token cannot be verified (503), while anonymous works. */
  keys: Pick<KeySource, 'getKey' | 'version'> | undefined;
  /** Accepted `iss` values; empty: any. */
  issuers: readonly string[];
  /** Accepted `aud` values (a token needs one of them); empty: any. */
  audiences: readonly string[];
  /** Accepted `alg` header values; `none` is never accepted (jose refuses it). */
  algorithms: readonly string[];
  /** Leeway for `exp` and `nbf` against clock skew, in seconds. */
  clockToleranceSeconds: number;
  /** Verified tokens remembered (verifiedTokenCache.ts); 0: every token verified every time. */
  cacheSize: number;
}

/** RFC 6750 §2.1: `Bearer` and a token68. */
const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i;

/** Scopes from `scope` (space-separated, RFC 8693) and `scp` (an array, as Azure AD and Okta write). */
export function scopesOf(payload: JWTPayload): string[] {
  const scopes = new Set<string>();
  if (typeof payload.scope === 'string') {
    for (const scope of payload.scope.split(/\s+/)) if (scope) scopes.add(scope);
  }
  const scp = payload.scp;
  for (const scope of Array.isArray(scp) ? scp : typeof scp === 'string' ? scp.split(/\s+/) : []) {
    if (typeof scope === 'string' && scope) scopes.add(scope);
  }
  return [...scopes].sort();
}

/**
 * Judges the Authorization header of a request: no header is anonymous; a Bearer JWT signed by
 * a key of the JWKS with an accepted algorithm, issuer and audience, unexpired, with a `sub`,
 * is a caller; anything else is invalid.
 */
export function createTokenVerifier(options: TokenVerifierOptions) {
  const { keys, issuers, audiences, algorithms, clockToleranceSeconds, cacheSize } = options;
  const verified = cacheSize > 0 ? createVerifiedTokenCache(cacheSize) : undefined;
  return {
    async authenticate(authorization: string | undefined): Promise<Authentication> {
      if (authorization === undefined || authorization.trim() === '') {
        return { result: 'anonymous' };
      }
      const token = BEARER.exec(authorization)?.[1];
      if (!token) return { result: 'invalid', reason: 'not a Bearer token' };
      if (!keys) return { result: 'unavailable' };
      const keysVersion = keys.version();
      const known = verified?.get(token, keysVersion);
      if (known) return { result: 'valid', caller: known };
      try {
        const { payload } = await jwtVerify(token, keys.getKey, {
          algorithms: [...algorithms],
          ...(issuers.length > 0 && { issuer: [...issuers] }),
          ...(audiences.length > 0 && { audience: [...audiences] }),
          clockTolerance: clockToleranceSeconds,
          requiredClaims: ['sub', 'exp'],
        });
        if (typeof payload.sub !== 'string' || payload.sub.trim() === '') {
          return { result: 'invalid', reason: 'the "sub" claim is empty' };
        }
        const caller: Caller = { subject: payload.sub, scopes: scopesOf(payload) };
        verified?.set(token, {
          caller,
          expiresAtMs: ((payload.exp as number) + clockToleranceSeconds) * 1000,
          keysVersion,
        });
        return { result: 'valid', caller };
      } catch (err) {
        if (err instanceof KeysUnavailableError) return { result: 'unavailable' };
        if (err instanceof errors.JOSEError) return { result: 'invalid', reason: err.message };
        throw err;
      }
    },
  };
}

export type TokenVerifier = ReturnType<typeof createTokenVerifier>;
