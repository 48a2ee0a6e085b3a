import { readHost, readHttpUrl, readInteger, readPort } from '@cinemaabyss/shared/config';

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

/** Reads and validates the environment once; throws a ConfigError naming a bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): MonolithSubgraphConfig {
  return Object.freeze({
    port: readPort(env, 'PORT', 8083),
    host: readHost(env, 'HOST', '0.0.0.0'),
    monolithUrl: readHttpUrl(env, 'MONOLITH_URL', DEFAULT_MONOLITH_URL),
    monolithTimeoutMs: readInteger(env, 'MONOLITH_TIMEOUT_MS', DEFAULT_MONOLITH_TIMEOUT_MS, {
      min: 1,
      max: 300_000,
    }),
  });
}
