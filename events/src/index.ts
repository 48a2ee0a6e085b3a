// First: tracing must be set up before the modules it instruments are loaded.
import './tracing';
import { createLogger } from '@cinemaabyss/shared/logging';
import { runService } from '@cinemaabyss/shared/service';
import { loadConfig } from './config';
import { createServer } from './server';

const logger = createLogger({ name: 'events-service' });

runService(logger, async () => {
  const config = loadConfig();
  const server = await createServer(config, { logger });
  try {
    const url = await server.listen(config.port, config.host);
    logger.info({ url, brokers: config.kafkaBrokers }, 'events service listening');
  } catch (err) {
    // Leave no consumer or connection behind when start-up fails half-way.
    await server.close().catch(() => {});
    throw err;
  }
  return server;
});
