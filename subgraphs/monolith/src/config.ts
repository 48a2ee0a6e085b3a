import { host, httpUrl, integer, parseEnv, port } from '@cinemaabyss/shared/config';

export const DEFAULT_MONOLITH_URL = 'http://127.0.0.1:8080';
export const DEFAULT_MONOLITH_TIMEOUT_MS = 5_000;

export interface MonolithSubgraphConfig {
  readonly port: number;
  /** Address to listen on (HOST): all interfaces by default, as a container needs. */
  readonly host: string;
  /** Base URL of the legacy REST API, without a trailing slash. */
  readonly monolithUrl: string;
  /** How long one REST call may take, connect to last byte, before it is SERVICE_UNAVAILABLE. */
  readonly monolithTimeoutMs: number;
}

const ENV = {
  PORT: port(8083),
  HOST: host('0.0.0.0'),
  MONOLITH_URL: httpUrl(DEFAULT_MONOLITH_URL),
  MONOLITH_TIMEOUT_MS: integer(DEFAULT_MONOLITH_TIMEOUT_MS, { min: 1, max: 300_000 }),
};

/** Reads and validates the environment once; throws a ConfigError naming a bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): MonolithSubgraphConfig {
  const vars = parseEnv(ENV, env);
  return Object.freeze({
    port: vars.PORT,
    host: vars.HOST,
    monolithUrl: vars.MONOLITH_URL,
    monolithTimeoutMs: vars.MONOLITH_TIMEOUT_MS,
  });
}
