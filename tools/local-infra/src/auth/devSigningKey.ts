import { randomUUID } from 'node:crypto';
import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { SignJWT, exportJWK, generateKeyPair, importJWK } from 'jose';
import type { JWK } from 'jose';

/** The issuer and audience of the dev stack's tokens, which its gateway is configured to accept. */
export const DEV_TOKEN_ISSUER = 'cinemaabyss-dev';
export const DEV_TOKEN_AUDIENCE = 'cinemaabyss';
const ALGORITHM = 'ES256';

/** Where the dev signing key lives: the private JWK, and the public JWKS the gateway reads. */
export interface DevSigningKeyFiles {
  privateKeyFile: string;
  jwksFile: string;
}

export function devSigningKeyFiles(cacheDir: string): DevSigningKeyFiles {
  const dir = path.join(cacheDir, 'dev-auth');
  return {
    privateKeyFile: path.join(dir, 'signing-key.jwk.json'),
    jwksFile: path.join(dir, 'jwks.json'),
  };
}

/** Writes `text` readable by its owner only, in one rename (a reader never sees half a file). */
async function writePrivate(file: string, text: string) {
  const partial = `${file}.${process.pid}.partial`;
  await writeFile(partial, text, { mode: 0o600 });
  await chmod(partial, 0o600);
  await rename(partial, file);
}

/**
 * The dev stack's ES256 signing key in the cache folder (never in the repository): created
 * once, then reused, so tokens printed earlier stay valid across restarts of `npm start`.
 */
export async function ensureDevSigningKey(cacheDir: string): Promise<DevSigningKeyFiles> {
  const files = devSigningKeyFiles(cacheDir);
  try {
    await readFile(files.jwksFile, 'utf8');
    await readFile(files.privateKeyFile, 'utf8');
    return files;
  } catch {
    // Missing: create both below.
  }
  await mkdir(path.dirname(files.privateKeyFile), { recursive: true, mode: 0o700 });
  const { privateKey, publicKey } = await generateKeyPair(ALGORITHM, { extractable: true });
  const kid = randomUUID();
  const privateJwk = { ...(await exportJWK(privateKey)), kid, alg: ALGORITHM, use: 'sig' };
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg: ALGORITHM, use: 'sig' };
  await writePrivate(files.privateKeyFile, JSON.stringify(privateJwk));
  await writePrivate(files.jwksFile, JSON.stringify({ keys: [publicJwk] }));
  return files;
}

/**
 * The gateway's token settings for the dev stack: its own key from the cache folder, unless the
 * developer's environment already points the gateway at an identity provider (then none).
 */
export async function devGatewayAuthEnv(
  cacheDir: string,
  env: Readonly<Record<string, string | undefined>> = process.env,
): Promise<Record<string, string>> {
  if (env.JWT_JWKS_URL?.trim() || env.JWT_JWKS_FILE?.trim()) return {};
  const { jwksFile } = await ensureDevSigningKey(cacheDir);
  return {
    JWT_JWKS_FILE: jwksFile,
    JWT_ISSUER: DEV_TOKEN_ISSUER,
    JWT_AUDIENCE: DEV_TOKEN_AUDIENCE,
  };
}

export interface DevTokenClaims {
  subject: string;
  scopes: readonly string[];
  /** Lifetime in seconds (default one hour). */
  expiresInSeconds?: number;
}

/** A token the dev stack's gateway accepts, signed with the key ensureDevSigningKey made. */
export async function signDevToken(
  files: Pick<DevSigningKeyFiles, 'privateKeyFile'>,
  { subject, scopes, expiresInSeconds = 3_600 }: DevTokenClaims,
): Promise<string> {
  const jwk = JSON.parse(await readFile(files.privateKeyFile, 'utf8')) as JWK;
  const key = await importJWK(jwk, ALGORITHM);
  return new SignJWT({ ...(scopes.length > 0 && { scope: scopes.join(' ') }) })
    .setProtectedHeader({ alg: ALGORITHM, typ: 'JWT', ...(jwk.kid && { kid: jwk.kid }) })
    .setSubject(subject)
    .setIssuer(DEV_TOKEN_ISSUER)
    .setAudience(DEV_TOKEN_AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(`${expiresInSeconds}s`)
    .sign(key);
}
