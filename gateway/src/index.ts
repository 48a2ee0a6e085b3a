import { createLogger } from '@cinemaabyss/shared/logging';
import { runService } from '@cinemaabyss/shared/service';
import { loadConfig } from './config';
import { createServer } from './server';

const logger = createLogger({ name: 'gateway' });

runService(logger, async () => {
  const config = loadConfig();
  logger.info(
    { gradualMigration: config.gradualMigration, moviesPercent: config.moviesMigrationPercent },
    'movies migration settings',
  );
  const server = await createServer(config, { logger });
  const url = await server.listen(config.port, config.host);
  logger.info({ url }, 'gateway listening');
  return server;
});
