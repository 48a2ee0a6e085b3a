import { startGateway } from '../testing/startGateway';

describe('mountGateway', () => {
  it("turns off ApolloGateway's outbound telemetry unless an operator set it", async () => {
    const saved = process.env.APOLLO_TELEMETRY_DISABLED;
    delete process.env.APOLLO_TELEMETRY_DISABLED;
    // No subgraph needs to answer: the gateway loads the supergraph file without calling them.
    const gateway = await startGateway({});
    try {
      expect(process.env.APOLLO_TELEMETRY_DISABLED).toBe('true');
    } finally {
      await gateway.stop();
      if (saved === undefined) delete process.env.APOLLO_TELEMETRY_DISABLED;
      else process.env.APOLLO_TELEMETRY_DISABLED = saved;
    }
  });
});
