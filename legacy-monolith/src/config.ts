import { host, parseEnv, port, postgresUrl } from '@cinemaabyss/shared/config';

export const DEFAULT_DB_CONNECTION_STRING = 'postgres://postgres@127.0.0.1:5432/cinemaabyss';

export interface MonolithConfig {
  readonly port: number;
  /** Address to listen on (HOST): all interfaces by default, as a container needs. */
  readonly host: string;
  readonly dbConnectionString: string;
}

const ENV = {
  PORT: port(8080),
  HOST: host('0.0.0.0'),
  DB_CONNECTION_STRING: postgresUrl(DEFAULT_DB_CONNECTION_STRING),
};

/** Reads and validates the environment once; throws a ConfigError naming a bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): MonolithConfig {
  const vars = parseEnv(ENV, env);
  return Object.freeze({
    port: vars.PORT,
    host: vars.HOST,
    dbConnectionString: vars.DB_CONNECTION_STRING,
  });
}
