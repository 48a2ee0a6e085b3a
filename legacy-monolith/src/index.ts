import { createLogger } from '@cinemaabyss/shared/logging';
import { runService } from '@cinemaabyss/shared/service';
import { loadConfig } from './config';
import { prepareDatabase } from './db/prepareDatabase';
import { createServer } from './server';

const logger = createLogger({ name: 'legacy-monolith' });

runService(logger, async () => {
  const config = loadConfig();
  await prepareDatabase(config.dbConnectionString, logger);
  const server = createServer(config, { logger });
  const url = await server.listen(config.port, process.env.HOST ?? '0.0.0.0');
  logger.info({ url }, 'legacy monolith listening');
  return server;
});
