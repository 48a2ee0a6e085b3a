/**
 * `npm start`: a real Kafka broker, then every service on its documented port, each waited
 * for until healthy, all logs prefixed. Ctrl-C or SIGTERM stops everything, broker last.
 */
import os from 'node:os';
import path from 'node:path';
import { createLogger } from '@cinemaabyss/shared/logging';
import { ensureKafka } from '@cinemaabyss/local-infra';
import type { LocalKafka } from '@cinemaabyss/local-infra';
import { spawnService } from './stack/servicesProcess';
import type { ServiceProcess } from './stack/servicesProcess';
import { STACK_SERVICES } from './stack/stackServices';
import { waitForHealth } from './stack/waitForHealth';

const ROOT = path.resolve(__dirname, '..');
const COLORS = [36, 35, 33, 32, 34, 31];
const logger = createLogger({ name: 'stack' });
const running: ServiceProcess[] = [];
let kafka: LocalKafka | undefined;
let stopping = false;

async function stopAll(exitCode: number): Promise<never> {
  if (!stopping) {
    stopping = true;
    logger.info('stopping the stack');
    for (const service of [...running].reverse()) await service.stop();
    await kafka?.stop();
    logger.info('stack stopped');
  }
  process.exit(exitCode);
}

async function main(): Promise<void> {
  const cacheDir =
    process.env.CINEMAABYSS_CACHE_DIR ?? path.join(os.homedir(), '.cache', 'cinemaabyss');
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

  for (const [index, service] of STACK_SERVICES.entries()) {
    if (stopping) return;
    const color = COLORS[index % COLORS.length];
    const child = spawnService({
      name: service.name,
      cwd: path.join(ROOT, service.dir),
      entry: service.entry,
      env: { ...process.env, KAFKA_BROKERS: kafkaBrokers, ...service.env({ kafkaBrokers }) },
      prefix: `\u001b[${color}m[${service.name}]\u001b[0m`,
    });
    running.push(child);
    void child.exited.then((code) => {
      if (stopping) return;
      logger.error({ service: service.name, code }, 'service exited; stopping the stack');
      void stopAll(1);
    });
    await waitForHealth(`http://127.0.0.1:${service.port}${service.healthPath}`, {
      timeoutMs: 60_000,
      gone: child.exited,
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
  logger.info('stack is up; press Ctrl-C to stop');
}

process.once('SIGINT', () => void stopAll(0));
process.once('SIGTERM', () => void stopAll(0));
main().catch((err: unknown) => {
  logger.error({ err }, err instanceof Error ? err.message : 'start failed');
  void stopAll(1);
});
