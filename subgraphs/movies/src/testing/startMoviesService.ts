import { createSilentLogger } from '@cinemaabyss/shared/logging';
import type { Logger } from '@cinemaabyss/shared/logging';
import { createTestDatabase } from '@cinemaabyss/shared/testing';
import type { TestDatabase } from '@cinemaabyss/shared/testing';
import { createServer } from '../server';

export interface RunningMoviesService {
  url: string;
  db: TestDatabase;
  stop(): Promise<void>;
}

/**
 * The movies service on an ephemeral port, over a fresh seeded database or, when `db` is given,
 * over that one (the caller then drops it).
 */
export async function startMoviesService({
  logger = createSilentLogger(),
  db,
}: { logger?: Logger; db?: TestDatabase } = {}): Promise<RunningMoviesService> {
  const database = db ?? (await createTestDatabase());
  const server = await createServer(
    { port: 0, host: '127.0.0.1', dbConnectionString: database.connectionString },
    { logger, pool: database.pool },
  );
  const url = await server.listen(0);
  return {
    url,
    db: database,
    async stop() {
      await server.close();
      if (!db) await database.drop();
    },
  };
}
