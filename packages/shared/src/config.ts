/** Thrown when a variable is missing or malformed; the message names the variable. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

type Env = Readonly<Record<string, string | undefined>>;

function raw(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === '' ? undefined : value;
}

/** A TCP port (0–65535); 0 lets the OS choose, which tests use. */
export function readPort(env: Env, name: string, fallback: number): number {
  const value = raw(env, name);
  if (value === undefined) return fallback;
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65535) {
    throw new ConfigError(`${name} must be a port number between 0 and 65535, got "${value}"`);
  }
  return port;
}

/** The address to listen on: a hostname or an IP address (IPv6 without brackets). */
export function readHost(env: Env, name: string, fallback: string): string {
  const value = raw(env, name) ?? fallback;
  if (!/^[A-Za-z0-9.:-]+$/.test(value)) {
    throw new ConfigError(`${name} must be a hostname or an IP address, got "${value}"`);
  }
  return value;
}

/** An absolute http(s) URL, returned without a trailing slash. */
export function readHttpUrl(env: Env, name: string, fallback: string): string {
  const value = raw(env, name) ?? fallback;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(`${name} must be an absolute URL, got "${value}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigError(`${name} must be an http or https URL, got "${value}"`);
  }
  return value.replace(/\/+$/, '');
}

/** A postgres:// connection string. */
export function readPostgresUrl(env: Env, name: string, fallback: string): string {
  const value = raw(env, name) ?? fallback;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(`${name} must be a postgres:// connection string, got an invalid URL`);
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    throw new ConfigError(`${name} must start with postgres:// or postgresql://`);
  }
  if (url.pathname.length <= 1) {
    throw new ConfigError(`${name} must name a database, e.g. postgres://host:5432/cinemaabyss`);
  }
  return value;
}

/** "true"/"false" (also 1/0, yes/no), case-insensitive. */
export function readBoolean(env: Env, name: string, fallback: boolean): boolean {
  const value = raw(env, name)?.toLowerCase();
  if (value === undefined) return fallback;
  if (['true', '1', 'yes'].includes(value)) return true;
  if (['false', '0', 'no'].includes(value)) return false;
  throw new ConfigError(`${name} must be true or false, got "${env[name]}"`);
}

/** A whole number inside [min, max]. */
export function readInteger(
  env: Env,
  name: string,
  fallback: number,
  { min, max }: { min: number; max: number },
): number {
  const value = raw(env, name);
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!/^-?\d+$/.test(value) || n < min || n > max) {
    throw new ConfigError(`${name} must be a whole number from ${min} to ${max}, got "${value}"`);
  }
  return n;
}

/**
 * A comma-separated list of host:port pairs, e.g. KAFKA_BROKERS: spaces around entries and
 * empty entries are ignored, an IPv6 host is bracketed (`[::1]:9092`). The one parser of
 * KAFKA_BROKERS, for the services and for the dev launcher alike; unset or blank → undefined.
 */
export function readHostList(env: Env, name: string): string[] | undefined {
  const hosts = (raw(env, name) ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  if (hosts.length === 0) return undefined;
  const invalid = hosts.filter(
    (entry) => !/^(?:\[[0-9a-fA-F:.]+\]|[^\s:/[\]]+):\d{1,5}$/.test(entry),
  );
  if (invalid.length > 0) {
    throw new ConfigError(
      `${name} must be a comma-separated list of host:port; bad entries: ${invalid.map((entry) => `"${entry}"`).join(', ')}`,
    );
  }
  return hosts;
}
