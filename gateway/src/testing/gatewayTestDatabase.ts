import { createTestDatabase } from '@cinemaabyss/shared/testing';
import type { TestDatabase } from '@cinemaabyss/shared/testing';
import { prepareGatewayDatabase } from '../dial/prepareGatewayDatabase';

/**
 * A fresh database with the gateway's schema migrated and a `movies` migration at 0 %: what the
 * stores that hang off a migration (figures, mismatches) need, without starting a gateway.
 */
export async function createGatewayTestDatabase(): Promise<TestDatabase> {
  const db = await createTestDatabase();
  await prepareGatewayDatabase(db.connectionString);
  await db.pool.query(
    "INSERT INTO gateway.migrations (name, percent, updated_by) VALUES ('movies', 0, 'tests')",
  );
  return db;
}
