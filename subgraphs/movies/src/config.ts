import { readHost, readPort, readPostgresUrl } from '@cinemaabyss/shared/config';

export const DEFAULT_DB_CONNECTION_STRING = 'postgres://postgres@127.0.0.1:5432/cinemaabyss';

export interface MoviesConfig {
  readonly port: number;
  /** Address to listen on (HOST): all interfaces by default, as a container needs. */
  readonly host: string;
  readonly dbConnectionString: string;
}

/** Reads and validates the environment once; throws a ConfigError naming a bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): MoviesConfig {
  return Object.freeze({
    port: readPort(env, 'PORT', 8081),
    host: readHost(env, 'HOST', '0.0.0.0'),
    dbConnectionString: readPostgresUrl(env, 'DB_CONNECTION_STRING', DEFAULT_DB_CONNECTION_STRING),
  });
}
