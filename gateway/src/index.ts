// First: tracing must be set up before the modules it instruments are loaded.
import './tracing';
import { createLogger } from '@cinemaabyss/shared/logging';
import { runService } from '@cinemaabyss/shared/service';
import { loadConfig } from './config';
import { seedPercentages } from './dial/seedMigrations';
import { createServer } from './server';
import { disableApolloTelemetryByDefault } from './telemetryDefault';

disableApolloTelemetryByDefault(process.env);

const logger = createLogger({ name: 'gateway' });

runService(logger, async () => {
  const config = loadConfig();
  logger.info(
    { movies: seedPercentages(config).movies },
    'first migration settings from the environment (a stored setting wins)',
  );
  const server = await createServer(config, { logger });
  const url = await server.listen(config.port, config.host);
  logger.info({ url }, 'gateway listening');
  return server;
});
