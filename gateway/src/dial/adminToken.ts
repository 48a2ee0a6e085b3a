import { createHash, timingSafeEqual } from 'node:crypto';

const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();

/**
 * True when `Authorization: Bearer <token>` carries the configured token. Both sides are hashed
 * first so the comparison takes the same time whatever the length or content of a guess.
 */
export function bearerTokenMatches(authorization: string | undefined, expected: string): boolean {
  const match = /^Bearer +(\S+) *$/i.exec(authorization ?? '');
  const given = match?.[1] ?? '';
  // Compared even when absent, so a missing header costs what a wrong one does.
  const equal = timingSafeEqual(digest(given), digest(expected));
  return equal && match !== null;
}
