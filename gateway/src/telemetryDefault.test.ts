import { disableApolloTelemetryByDefault } from './telemetryDefault';

describe('disableApolloTelemetryByDefault', () => {
  it("turns ApolloGateway's outbound telemetry off when nobody set it", () => {
    const env: NodeJS.ProcessEnv = {};
    disableApolloTelemetryByDefault(env);
    expect(env.APOLLO_TELEMETRY_DISABLED).toBe('true');
  });

  it("keeps an operator's own choice", () => {
    const env: NodeJS.ProcessEnv = { APOLLO_TELEMETRY_DISABLED: 'false' };
    disableApolloTelemetryByDefault(env);
    expect(env.APOLLO_TELEMETRY_DISABLED).toBe('false');
  });

  it('is in effect in every test file, where gateways are created in-process', () => {
    // test/setupEnv.ts, run by jest.config.js `setupFiles` before each test file of both projects.
    expect(process.env.APOLLO_TELEMETRY_DISABLED).toBe('true');
  });
});
