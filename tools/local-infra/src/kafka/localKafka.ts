import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Logger } from '@cinemaabyss/shared/logging';
import { createSilentLogger } from '@cinemaabyss/shared/logging';
import { brokerLayout, isFormatted, writeBrokerConfig } from './brokerConfig';
import type { BrokerProcess, JavaRuntime } from './brokerProcess';
import { runStorageTool, spawnBroker } from './brokerProcess';
import { removeDirSync } from '../jvm/jvmProcess';
import { KafkaLauncherError } from './errors';
import { findFreePort } from '../jvm/freePort';
import { DEFAULT_KAFKA_VERSION, defaultCacheDir, fetchKafkaJars } from './kafkaJars';
import { findToolchain } from './prerequisites';
import { hostList, parseEnv } from '@cinemaabyss/shared/config';
import { ALL_TOPICS, ensureTopics } from '@cinemaabyss/shared/kafka';
import { waitForBroker } from './waitForBroker';
import { superviseServer } from '../jvm/superviseServer';
import type { RestartPolicy } from '../jvm/superviseServer';

export { KafkaLauncherError } from './errors';

/** A broker to connect to, and how to let go of it. */
export interface LocalKafka {
  /** `host:port` bootstrap addresses for kafkajs. */
  brokers: string[];
  /** Stops the broker process (SIGTERM, then SIGKILL after a timeout) and removes a temp data dir. Safe to call twice. */
  stop(): Promise<void>;
  /** The broker JVM's pid now (a restart changes it); undefined for a broker we do not run. */
  pid(): number | undefined;
  /** How many times the launcher has brought the broker back after it exited. */
  restarts(): number;
}

export interface StartLocalKafkaOptions {
  /** PLAINTEXT listener on 127.0.0.1; 0 picks a free port. @default 9092 */
  port?: number;
  /** KRaft controller listener; 0 picks a free port. @default port + 1, or a free port when port is 0 */
  controllerPort?: number;
  /**
   * Holds the broker's state (`<dataDir>/kafka-data`, Kafka's log.dirs), its config files and
   * its own logs (`<dataDir>/logs/server.log`). A dir that is already formatted is reused
   * as is. @default a fresh temp dir, deleted by stop()
   */
  dataDir?: string;
  /** Where the broker jars are kept, outside the repo. @default $CINEMAABYSS_CACHE_DIR or ~/.cache/cinemaabyss */
  cacheDir?: string;
  /** Apache Kafka version (Maven artifact org.apache.kafka:kafka_2.13). @default DEFAULT_KAFKA_VERSION */
  kafkaVersion?: string;
  /** Created (with waitForLeaders) before startLocalKafka resolves. @default ALL_TOPICS */
  topics?: readonly string[];
  /** Partitions of those topics, and of auto-created ones. @default 3 */
  partitions?: number;
  /** How long the broker may take to accept admin requests after its JVM starts. @default 60000 */
  startTimeoutMs?: number;
  /** Progress lines and kafkajs warnings; every unexpected exit at error level. @default silent */
  logger?: Logger;
  /**
   * A broker that exits without being stopped is started again on its ports and data, with
   * bounded attempts and backoff. @default 5 attempts from 1 s, doubling to at most 15 s
   */
  restart?: RestartPolicy;
  /**
   * Called once when the broker is down and every restart failed. The caller decides (npm
   * start stops the stack and exits 1). @default nothing beyond the error log
   */
  onGiveUp?: (error: Error) => void;
}

const STOP_TIMEOUT_MS = 10_000;

/** Downloads (once), formats and starts a single-node KRaft broker, then creates the topics. */
export async function startLocalKafka(options: StartLocalKafkaOptions = {}): Promise<LocalKafka> {
  return launchBroker(options, process.env);
}

/** KAFKA_BROKERS set (comma-separated) → use it (ensure topics, stop() is a no-op); otherwise startLocalKafka(options). */
export async function ensureKafka(
  options: StartLocalKafkaOptions & {
    /** Read for KAFKA_BROKERS, PATH, JAVA_HOME and CINEMAABYSS_CACHE_DIR. @default process.env */
    env?: NodeJS.ProcessEnv;
  } = {},
): Promise<LocalKafka> {
  const { env = process.env, ...startOptions } = options;
  // The services' own parser: one grammar for KAFKA_BROKERS everywhere.
  const brokers = parseEnv({ KAFKA_BROKERS: hostList() }, env).KAFKA_BROKERS;
  if (!brokers) return launchBroker(startOptions, env);
  try {
    await ensureTopics(brokers, startOptions.topics ?? ALL_TOPICS, {
      partitions: startOptions.partitions,
      logger: startOptions.logger,
    });
  } catch (error) {
    throw new KafkaLauncherError(
      `could not create topics on KAFKA_BROKERS=${brokers.join(',')} (is that broker up?): ${String(error)}`,
      { cause: error },
    );
  }
  // Someone else owns that broker: we neither stop it nor restart it nor delete its data.
  return { brokers, stop: async () => {}, pid: () => undefined, restarts: () => 0 };
}

async function launchBroker(
  options: StartLocalKafkaOptions,
  env: NodeJS.ProcessEnv,
): Promise<LocalKafka> {
  const logger = options.logger ?? createSilentLogger();
  const kafkaVersion = options.kafkaVersion ?? DEFAULT_KAFKA_VERSION;
  const partitions = options.partitions ?? 3;
  const { java, mvn } = await findToolchain(env);
  const cacheDir = options.cacheDir ?? defaultCacheDir(env);
  const libsDir = await fetchKafkaJars({ cacheDir, kafkaVersion, mvn, env, logger });
  const runtime: JavaRuntime = { java, libsDir, env };
  const { port, controllerPort } = await resolvePorts(options);
  const brokers = [`127.0.0.1:${port}`];

  const ownsDataDir = options.dataDir === undefined;
  const dataDir = options.dataDir ?? (await mkdtemp(path.join(os.tmpdir(), 'cinemaabyss-kafka-')));
  const removeOwnDataDir = async (): Promise<void> => {
    if (ownsDataDir)
      await rm(dataDir, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
  };

  const startedAt = Date.now();
  let broker: BrokerProcess | undefined;
  const layout = brokerLayout(dataDir);
  try {
    await writeBrokerConfig(layout, { port, controllerPort, partitions });
    if (!isFormatted(layout)) {
      const clusterId = await runStorageTool(runtime, layout, ['random-uuid']);
      await runStorageTool(runtime, layout, [
        'format',
        '--standalone',
        '--cluster-id',
        clusterId,
        '--config',
        layout.serverProperties,
      ]);
      logger.debug({ dataDir, clusterId, ms: Date.now() - startedAt }, 'formatted Kafka storage');
    }
    broker = await startBroker();
    logger.debug({ brokers, ms: Date.now() - startedAt }, 'Kafka broker accepts admin requests');
    await ensureTopics(brokers, options.topics ?? ALL_TOPICS, { partitions, logger });
  } catch (error) {
    await broker?.stop(STOP_TIMEOUT_MS);
    await removeOwnDataDir();
    throw error;
  }
  logger.info(
    { brokers, pid: broker.pid, kafkaVersion, dataDir, ms: Date.now() - startedAt },
    'local Kafka broker ready',
  );

  const supervised = superviseServer({
    name: 'local Kafka broker',
    first: broker,
    // Same ports, config and formatted data dir: topics and unconsumed records survive.
    restart: startBroker,
    policy: options.restart,
    logger,
    onGiveUp: options.onGiveUp ?? (() => {}),
  });
  let stopping: Promise<void> | undefined;
  return {
    brokers,
    stop() {
      stopping ??= supervised.stop(STOP_TIMEOUT_MS).then(removeOwnDataDir);
      return stopping;
    },
    pid: () => supervised.current().pid,
    restarts: () => supervised.restarts(),
  };

  async function startBroker(): Promise<BrokerProcess> {
    const started = spawnBroker(
      runtime,
      layout,
      ownsDataDir ? { onExitCleanup: () => removeDirSync(dataDir), watchdogRemoves: dataDir } : {},
    );
    try {
      await waitForBroker({
        brokers,
        process: started,
        timeoutMs: options.startTimeoutMs ?? 60_000,
      });
    } catch (error) {
      await started.stop(STOP_TIMEOUT_MS);
      throw error;
    }
    return started;
  }
}
async function resolvePorts(
  options: StartLocalKafkaOptions,
): Promise<{ port: number; controllerPort: number }> {
  const requested = options.port ?? 9092;
  const port = requested === 0 ? await findFreePort() : requested;
  const requestedController = options.controllerPort ?? (requested === 0 ? 0 : port + 1);
  let controllerPort = requestedController;
  while (controllerPort === 0 || controllerPort === port) controllerPort = await findFreePort();
  return { port, controllerPort };
}
