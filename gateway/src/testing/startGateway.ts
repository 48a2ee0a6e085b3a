import { createSilentLogger } from '@cinemaabyss/shared/logging';
import type { Logger } from '@cinemaabyss/shared/logging';
import { loadConfig } from '../config';
import type { GatewayConfig } from '../config';
import type { MigrationSetting } from '../dial/migrationStore';
import { createServer } from '../server';

/** The admin token test gateways are started with (ADMIN_TOKEN must be at least 16 characters). */
export const TEST_ADMIN_TOKEN = 'test-admin-token-0123456789';

export interface RunningGateway {
  url: string;
  stop(): Promise<void>;
}

/**
 * The gateway on an ephemeral port; unspecified settings are the documented defaults, except
 * the database: the live migration dial must live in a test's own database, never the dev one.
 */
export async function startGateway(
  overrides: Partial<GatewayConfig> & Pick<GatewayConfig, 'dbConnectionString'>,
  { logger = createSilentLogger() }: { logger?: Logger } = {},
): Promise<RunningGateway> {
  // An ephemeral port unless the test names one (a replica restarted where its clients are).
  const port = overrides.port ?? 0;
  const config: GatewayConfig = { ...loadConfig({}), ...overrides, port, host: '127.0.0.1' };
  const server = await createServer(config, { logger });
  const url = await server.listen(port);
  let stopped: Promise<void> | undefined;
  // Idempotent: a test may stop one replica early and the stack all of them later.
  return { url, stop: () => (stopped ??= server.close()) };
}

/**
 * Turns a migration's dial through a gateway's admin API, as an operator would, and returns the
 * new setting; throws with the answer when the gateway refuses.
 */
export async function setMigrationPercent(
  gatewayUrl: string,
  name: string,
  percent: number,
  { token = TEST_ADMIN_TOKEN, actor = 'tests' }: { token?: string; actor?: string } = {},
): Promise<MigrationSetting> {
  const response = await fetch(`${gatewayUrl}/admin/migrations/${name}`, {
    method: 'PUT',
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
      'x-admin-actor': actor,
    },
    body: JSON.stringify({ percent }),
    signal: AbortSignal.timeout(5_000),
  });
  const body = await response.json();
  if (response.status !== 200) {
    throw new Error(
      `PUT /admin/migrations/${name} answered ${response.status}: ${JSON.stringify(body)}`,
    );
  }
  return body as MigrationSetting;
}
