import { createSilentLogger } from '@cinemaabyss/shared/logging';
import type { Logger } from '@cinemaabyss/shared/logging';
import { createTestDatabase } from '@cinemaabyss/shared/testing';
import type { TestDatabase } from '@cinemaabyss/shared/testing';
import { createServer } from '../server';

export interface RunningMonolith {
  url: string;
  db: TestDatabase;
  /** Closes the server and drops its database. */
  stop(): Promise<void>;
}

/** The legacy monolith on an ephemeral port over a fresh seeded database, for tests. */
export async function startMonolith({
  logger = createSilentLogger(),
}: { logger?: Logger } = {}): Promise<RunningMonolith> {
  const db = await createTestDatabase();
  const server = await createServer(
    { port: 0, host: '127.0.0.1', dbConnectionString: db.connectionString },
    { logger, pool: db.pool },
  );
  const url = await server.listen(0);
  return {
    url,
    db,
    async stop() {
      await server.close();
      await db.drop();
    },
  };
}
