import path from 'node:path';
import { ensureDatabase, runMigrations } from '@cinemaabyss/shared/db';
import type { Logger } from '@cinemaabyss/shared/logging';

export const GATEWAY_MIGRATIONS_DIR = path.resolve(__dirname, '../../migrations');
/** The gateway's tables live in their own schema, beside the monolith's domain schema. */
export const GATEWAY_SCHEMA = 'gateway';

/** Creates the database if missing and applies the gateway's pending migrations. */
export async function prepareGatewayDatabase(
  connectionString: string,
  logger?: Logger,
): Promise<void> {
  await ensureDatabase(connectionString);
  await runMigrations({
    connectionString,
    dir: GATEWAY_MIGRATIONS_DIR,
    schema: GATEWAY_SCHEMA,
    logger,
  });
}
