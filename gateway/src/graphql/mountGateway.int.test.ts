import { createTestDatabase } from '@cinemaabyss/shared/testing';
import { startGateway } from '../testing/startGateway';

describe('mountGateway', () => {
  it("turns off ApolloGateway's outbound telemetry unless an operator set it", async () => {
    const saved = process.env.APOLLO_TELEMETRY_DISABLED;
    delete process.env.APOLLO_TELEMETRY_DISABLED;
    // No subgraph needs to answer: the gateway loads the supergraph file without calling them.
    const db = await createTestDatabase();
    const gateway = await startGateway({ dbConnectionString: db.connectionString });
    try {
      expect(process.env.APOLLO_TELEMETRY_DISABLED).toBe('true');
    } finally {
      await gateway.stop();
      await db.drop();
      if (saved === undefined) delete process.env.APOLLO_TELEMETRY_DISABLED;
      else process.env.APOLLO_TELEMETRY_DISABLED = saved;
    }
  });
});
