/**
 * `npm run -s token -- --sub 1 --scopes users:read,payments:read`: a bearer token for the dev
 * stack's gateway, signed with the key `npm start` keeps in the cache folder. Only the token goes
 * to stdout, so `TOKEN=$(npm run -s token -- --sub 1)` works.
 */
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ensureDevSigningKey, signDevToken } from '@cinemaabyss/local-infra';

const USAGE =
  'usage: npm run -s token -- --sub <user id> [--scopes a:read,b:write] [--expires <seconds>]';

async function main() {
  const { values } = parseArgs({
    options: {
      sub: { type: 'string' },
      scopes: { type: 'string', default: '' },
      expires: { type: 'string', default: '3600' },
    },
    strict: true,
  });
  const subject = values.sub?.trim();
  const expiresInSeconds = Number(values.expires);
  if (!subject || !Number.isInteger(expiresInSeconds) || expiresInSeconds <= 0) {
    process.stderr.write(`${USAGE}\n`);
    process.exit(2);
  }
  const cacheDir =
    process.env.CINEMAABYSS_CACHE_DIR ?? path.join(os.homedir(), '.cache', 'cinemaabyss');
  const files = await ensureDevSigningKey(cacheDir);
  const scopes = values.scopes
    .split(',')
    .map((scope) => scope.trim())
    .filter(Boolean);
  process.stdout.write(`${await signDevToken(files, { subject, scopes, expiresInSeconds })}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n${USAGE}\n`);
  process.exit(2);
});
