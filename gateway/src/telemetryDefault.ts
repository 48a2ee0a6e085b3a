/**
 * Turns ApolloGateway's outbound telemetry off unless an operator set
 * APOLLO_TELEMETRY_DISABLED: left on, it exports usage metrics to Apollo and probes cloud
 * metadata servers (169.254.169.254) for resource attributes, traffic this platform never wants
 * to send. ApolloGateway reads the variable when a gateway is created, so this runs first where
 * the environment is read: gateway/src/index.ts, and for gateways created in-process, the
 * tests' setup file and the bench.
 */
export function disableApolloTelemetryByDefault(env: NodeJS.ProcessEnv = process.env): void {
  env.APOLLO_TELEMETRY_DISABLED ??= 'true';
}
