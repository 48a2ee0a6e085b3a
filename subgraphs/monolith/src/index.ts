// First: tracing must be set up before the modules it instruments are loaded.
import './tracing';
import { createLogger } from '@cinemaabyss/shared/logging';
import { runService } from '@cinemaabyss/shared/service';
import { loadConfig } from './config';
import { createServer } from './server';

const logger = createLogger({ name: 'monolith-subgraph' });

runService(logger, async () => {
  const config = loadConfig();
  const server = await createServer(config, { logger });
  const url = await server.listen(config.port, config.host);
  logger.info({ url, monolithUrl: config.monolithUrl }, 'monolith subgraph listening');
  return server;
});
