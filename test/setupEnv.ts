/**
 * Runs before every test file of both jest projects (jest.config.js `setupFiles`). Tests create
 * gateways in-process (startGateway, createServer), not through gateway/src/index.ts, so they
 * apply the same environment default it does.
 */
import { disableApolloTelemetryByDefault } from '@cinemaabyss/gateway/telemetry-default';

disableApolloTelemetryByDefault();
