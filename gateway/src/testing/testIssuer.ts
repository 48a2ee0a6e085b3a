import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignJWT, exportJWK, generateKeyPair } from 'jose';
import type { CryptoKey, JSONWebKeySet, JWK, JWTPayload } from 'jose';

export const TEST_ISSUER = 'https://issuer.test';
export const TEST_AUDIENCE = 'cinemaabyss-tests';

interface SigningKey {
  kid: string;
  privateKey: CryptoKey;
  publicJwk: JWK;
}

async function newKey(): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair('ES256');
  const kid = randomUUID();
  return { kid, privateKey, publicJwk: { ...(await exportJWK(publicKey)), kid, alg: 'ES256' } };
}

export interface SignOptions {
  subject?: string;
  scope?: string;
  claims?: JWTPayload;
  issuer?: string;
  audience?: string;
  /** Seconds from now; negative: already expired. */
  expiresIn?: number;
}

/**
 * An identity provider for tests: ES256 keys it can rotate, tokens signed with the current one,
 * and its public JWKS, which `serve()` offers over real HTTP as a provider's jwks_uri does.
 */
export async function createTestIssuer() {
  let current = await newKey();
  const published: SigningKey[] = [current];

  const issuer = {
    jwks: (): JSONWebKeySet => ({ keys: published.map((key) => key.publicJwk) }),
    currentKid: () => current.kid,
    /** A new key, published beside the old ones (as providers do) and signing from now on. */
    async rotate() {
      current = await newKey();
      published.push(current);
    },
    sign({
      subject = '1',
      scope,
      claims = {},
      issuer: iss = TEST_ISSUER,
      audience = TEST_AUDIENCE,
      expiresIn = 600,
    }: SignOptions = {}): Promise<string> {
      const now = Math.floor(Date.now() / 1000);
      return new SignJWT({ ...(scope !== undefined && { scope }), ...claims })
        .setProtectedHeader({ alg: 'ES256', kid: current.kid, typ: 'JWT' })
        .setSubject(subject)
        .setIssuer(iss)
        .setAudience(audience)
        .setIssuedAt(now)
        .setExpirationTime(now + expiresIn)
        .sign(current.privateKey);
    },
    /** Its JWKS at `${url}/jwks.json` over HTTP, counting fetches; `close()` takes it down. */
    async serve() {
      let fetches = 0;
      const server = createServer((request, response) => {
        if (request.url !== '/jwks.json') return void response.writeHead(404).end();
        fetches += 1;
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(JSON.stringify(issuer.jwks()));
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const { port } = server.address() as AddressInfo;
      return {
        url: `http://127.0.0.1:${port}/jwks.json`,
        fetches: () => fetches,
        close: () =>
          new Promise<void>((resolve) => {
            server.closeAllConnections();
            server.close(() => resolve());
          }),
      };
    },
  };
  return issuer;
}

export type TestIssuer = Awaited<ReturnType<typeof createTestIssuer>>;

/** A token whose header says `alg: none`, unsigned: a classic forgery every verifier must refuse. */
export function unsignedToken(payload: JWTPayload): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg: 'none', typ: 'JWT' })}.${part(payload)}.`;
}
