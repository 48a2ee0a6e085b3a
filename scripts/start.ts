/**
 * `npm start`: a real Kafka broker and a Zipkin tracing backend, then every service on its
 * documented port, each waited for until healthy, all logs prefixed. Ctrl-C or SIGTERM stops
 * everything, the JVMs last.
 */
import os from 'node:os';
import path from 'node:path';
import { createLogger } from '@cinemaabyss/shared/logging';
import { devGatewayAuthEnv, ensureKafka, ensureTracingBackend } from '@cinemaabyss/local-infra';
import { ensureAllWebAssets } from '@cinemaabyss/web-build';
import type { LocalKafka, LocalZipkin } from '@cinemaabyss/local-infra';
import { startStackService } from './stack/servicesProcess';
import type { ServiceProcess } from './stack/servicesProcess';
import { STACK_SERVICES } from './stack/stackServices';

const ROOT = path.resolve(__dirname, '..');
const COLORS = [36, 35, 33, 32, 34, 31];
const logger = createLogger({ name: 'stack' });
const running: ServiceProcess[] = [];
let kafka: LocalKafka | undefined;
let zipkin: LocalZipkin | undefined;
let stopping = false;

async function stopAll(exitCode: number): Promise<never> {
  if (!stopping) {
    stopping = true;
    logger.info('stopping the stack');
    // Services first: they export their last spans and drain their consumers on the way out.
    for (const service of [...running].reverse()) await service.stop();
    await zipkin?.stop();
    await kafka?.stop();
    logger.info('stack stopped');
  }
  process.exit(exitCode);
}

async function main(): Promise<void> {
  // The services run from their TypeScript sources; the gateway's pages are a build output.
  const built = await ensureAllWebAssets();
  if (built.length > 0) logger.info({ built }, 'browser pages built');
  const cacheDir =
    process.env.CINEMAABYSS_CACHE_DIR ?? path.join(os.homedir(), '.cache', 'cinemaabyss');
  // The gateway verifies tokens signed with a dev key kept in the cache folder.
  const authEnv = await devGatewayAuthEnv(cacheDir);
  // The two JVMs boot side by side; each launcher waits for its own health.
  const tracing = ensureTracingBackend({
    port: 9411,
    logger: logger.child({ component: 'zipkin' }),
    // Tracing down costs the services nothing: they drop spans, so the stack runs on.
    onGiveUp: (err) =>
      logger.warn(
        { err: err.message.split('\n')[0] },
        'the local Zipkin died and could not be restarted; the services keep running untraced',
      ),
  });
  // Awaited after Kafka; a malformed OTEL_* variable must not crash the launcher meanwhile.
  tracing.catch(() => {});
  kafka = await ensureKafka({
    port: 9092,
    // A stable data dir keeps topics and events across restarts of the dev stack.
    dataDir: process.env.KAFKA_DATA_DIR ?? path.join(cacheDir, 'dev-broker'),
    logger: logger.child({ component: 'kafka' }),
    // The launcher restarts a broker that dies; when it cannot, half a stack is no stack.
    onGiveUp: (err) => {
      logger.error(
        { err: err.message },
        'the local Kafka broker died and could not be restarted; stopping the stack',
      );
      void stopAll(1);
    },
  });
  const kafkaBrokers = kafka.brokers.join(',');
  logger.info({ brokers: kafkaBrokers }, 'kafka ready');
  const tracingBackend = await tracing;
  zipkin = tracingBackend.zipkin;
  logger.info(tracingBackend.description);

  for (const [index, service] of STACK_SERVICES.entries()) {
    if (stopping) return;
    const color = COLORS[index % COLORS.length];
    await startStackService({
      service,
      root: ROOT,
      env: {
        ...process.env,
        KAFKA_BROKERS: kafkaBrokers,
        ...tracingBackend.serviceEnv,
        ...service.env({ kafkaBrokers }),
        ...(service.name === 'gateway' && authEnv),
      },
      prefix: `\u001b[${color}m[${service.name}]\u001b[0m`,
      onSpawned: (child) => {
        running.push(child);
        void child.exited.then((code) => {
          if (stopping) return;
          logger.error({ service: service.name, code }, 'service exited; stopping the stack');
          void stopAll(1);
        });
      },
    });
    logger.info(
      { service: service.name, url: `http://127.0.0.1:${service.port}` },
      'service healthy',
    );
  }
  logger.info(
    process.env.ADMIN_TOKEN?.trim()
      ? 'admin API on: npm run migration -- show (with the same ADMIN_TOKEN)'
      : 'admin API is off: start with ADMIN_TOKEN=<at least 16 characters> to turn the migration dial at runtime',
  );
  if (authEnv.JWT_JWKS_FILE) {
    logger.info(
      'bearer tokens for the dev gateway: npm run -s token -- --sub 1 --scopes users:read',
    );
  }
  logger.info('stack is up; press Ctrl-C to stop');
}

process.once('SIGINT', () => void stopAll(0));
process.once('SIGTERM', () => void stopAll(0));
main().catch((err: unknown) => {
  logger.error({ err }, err instanceof Error ? err.message : 'start failed');
  void stopAll(1);
});
