import { createSilentLogger } from '@cinemaabyss/shared/logging';
import type { Logger } from '@cinemaabyss/shared/logging';
import { loadConfig } from '../config';
import type { GatewayConfig } from '../config';
import { createServer } from '../server';

export interface RunningGateway {
  url: string;
  stop(): Promise<void>;
}

/** The gateway on an ephemeral port; unspecified settings are the documented defaults. */
export async function startGateway(
  overrides: Partial<GatewayConfig>,
  { logger = createSilentLogger() }: { logger?: Logger } = {},
): Promise<RunningGateway> {
  const config: GatewayConfig = { ...loadConfig({}), ...overrides, port: 0, host: '127.0.0.1' };
  const server = await createServer(config, { logger });
  const url = await server.listen(0);
  return { url, stop: () => server.close() };
}
