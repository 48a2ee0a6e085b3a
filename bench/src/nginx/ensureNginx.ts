import { execFile } from 'node:child_process';
import { access, constants } from 'node:fs/promises';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Where Debian's package puts it, then the PATH. */
const CANDIDATES = ['/usr/sbin/nginx', '/usr/local/sbin/nginx', '/usr/local/bin/nginx'];

export const INSTALL_NGINX_HINT =
  "Install Debian's nginx with `apt-get update && apt-get install -y nginx` (as root; .ci/run does), " +
  'or leave part 2 out with --only=gateways,tracing,nplus1,events';

async function executable(file: string): Promise<boolean> {
  return access(file, constants.X_OK).then(
    () => true,
    () => false,
  );
}

export async function findNginx(): Promise<string | undefined> {
  for (const file of CANDIDATES) if (await executable(file)) return file;
  for (const dir of (process.env.PATH ?? '').split(':').filter(Boolean)) {
    if (await executable(`${dir}/nginx`)) return `${dir}/nginx`;
  }
  return undefined;
}

/**
 * The nginx binary part 2 measures against. Missing, it is installed from Debian's packages as
 * CI installs Chromium (root and apt-get only); otherwise the error says exactly how: the part
 * is never skipped quietly.
 */
export async function ensureNginx(log: (line: string) => void): Promise<string> {
  const found = await findNginx();
  if (found) return found;
  const root = process.getuid?.() === 0;
  if (!root || !(await executable('/usr/bin/apt-get'))) {
    throw new Error(`nginx is not installed. ${INSTALL_NGINX_HINT}`);
  }
  log("nginx is not installed: installing Debian's package (apt-get install -y nginx)");
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const timeout = 300_000;
  try {
    await run('apt-get', ['update', '-qq'], { env, timeout });
    await run('apt-get', ['install', '-y', '-qq', 'nginx'], { env, timeout });
  } catch (err) {
    throw new Error(`installing nginx failed (${(err as Error).message}). ${INSTALL_NGINX_HINT}`);
  }
  const installed = await findNginx();
  if (!installed) throw new Error(`apt-get installed no nginx binary. ${INSTALL_NGINX_HINT}`);
  return installed;
}
