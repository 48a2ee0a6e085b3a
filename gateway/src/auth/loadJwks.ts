import { readFile } from 'node:fs/promises';
import { request } from 'undici';
import { withDeadline } from '@cinemaabyss/shared/deadline';

/** A key set larger than this is refused: a real one holds a handful of public keys. */
const MAX_JWKS_BYTES = 256 * 1024;

/** Reads a key set from somewhere; rejects when it cannot (the caller keeps the keys it has). */
export type LoadJwks = () => Promise<unknown>;

/** The JSON Web Key Set served at `url` (an identity provider's jwks_uri), within `timeoutMs`. */
export function jwksFromUrl(url: string, { timeoutMs }: { timeoutMs: number }): LoadJwks {
  return () =>
    withDeadline(
      timeoutMs,
      async (signal) => {
        const response = await request(url, {
          signal,
          headers: { accept: 'application/jwk-set+json, application/json' },
        });
        if (response.statusCode !== 200) {
          await response.body.dump();
          throw new Error(`the JWKS endpoint answered ${response.statusCode}`);
        }
        const text = await response.body.text();
        if (text.length > MAX_JWKS_BYTES) throw new Error('the key set is too large');
        return JSON.parse(text) as unknown;
      },
      'the JWKS fetch',
    );
}

/** The JSON Web Key Set in a file, read again on every load (a rotated file is picked up). */
export function jwksFromFile(path: string): LoadJwks {
  return async () => {
    const text = await readFile(path, 'utf8');
    if (text.length > MAX_JWKS_BYTES) throw new Error('the key set is too large');
    return JSON.parse(text) as unknown;
  };
}
