import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Logger } from '@cinemaabyss/shared/logging';
import { createSilentLogger } from '@cinemaabyss/shared/logging';
import { findFreePort } from '../jvm/freePort';
import { removeDirSync, spawnJvm } from '../jvm/jvmProcess';
import type { JvmProcess } from '../jvm/jvmProcess';
import { superviseServer } from '../jvm/superviseServer';
import type { RestartPolicy } from '../jvm/superviseServer';
import { INSTALL_JAVA_HINT, inspectToolchain } from '../jvm/toolchain';
import { waitForHealth } from '../waitForHealth';
import { defaultCacheDir } from '../kafka/kafkaJars';
import { ZipkinLauncherError } from './errors';
import { DEFAULT_ZIPKIN_VERSION, fetchZipkinJar } from './zipkinJar';

export { ZipkinLauncherError } from './errors';

/** A Zipkin server to send spans to and read traces from, and how to let go of it. */
export interface LocalZipkin {
  /** `http://127.0.0.1:<port>`: the UI at `/zipkin/`, the API at `/api/v2/…`. */
  url: string;
  /** Where services send spans (OTEL_EXPORTER_ZIPKIN_ENDPOINT). */
  spansEndpoint: string;
  /** Stops the JVM (SIGTERM, then SIGKILL after a timeout); safe to call twice. */
  stop(): Promise<void>;
  /** The JVM's pid now (a restart changes it). */
  pid(): number;
  /** How many times the launcher has brought Zipkin back after it exited. */
  restarts(): number;
}

export interface StartLocalZipkinOptions {
  /** HTTP port on 127.0.0.1 (UI, API and span intake); 0 picks a free port. @default 9411 */
  port?: number;
  /** Where the server jar is kept, beside the Kafka jars. @default $CINEMAABYSS_CACHE_DIR or ~/.cache/cinemaabyss */
  cacheDir?: string;
  /** Maven artifact io.zipkin:zipkin-server, classifier exec. @default DEFAULT_ZIPKIN_VERSION */
  zipkinVersion?: string;
  /** Traces kept in memory; the oldest go first. @default 100000 spans */
  maxSpans?: number;
  /** How long the server may take to report healthy after its JVM starts. @default 60000 */
  startTimeoutMs?: number;
  /** Progress lines; every unexpected exit at error level. @default silent */
  logger?: Logger;
  /** A server that exits without being stopped is started again. @default 5 attempts from 1 s */
  restart?: RestartPolicy;
  /** Called once when Zipkin is down and every restart failed. @default nothing beyond the error log */
  onGiveUp?: (error: Error) => void;
}

const STOP_TIMEOUT_MS = 10_000;

/**
 * Downloads (once) and runs the official Zipkin server with in-memory storage on 127.0.0.1,
 * under the same supervision as the local Kafka broker: restarted when it dies, never left
 * behind when this process goes.
 */
export async function startLocalZipkin(
  options: StartLocalZipkinOptions = {},
  env: NodeJS.ProcessEnv = process.env,
): Promise<LocalZipkin> {
  const logger = options.logger ?? createSilentLogger();
  const zipkinVersion = options.zipkinVersion ?? DEFAULT_ZIPKIN_VERSION;
  const { toolchain, problems } = await inspectToolchain(env);
  if (!toolchain) {
    throw new ZipkinLauncherError(
      `Cannot start a local Zipkin server: ${problems.join('; ')}. ${INSTALL_JAVA_HINT}, ` +
        'or set OTEL_EXPORTER_ZIPKIN_ENDPOINT to your tracing backend, or TRACING=off.',
    );
  }
  const jar = await fetchZipkinJar({
    cacheDir: options.cacheDir ?? defaultCacheDir(env),
    zipkinVersion,
    mvn: toolchain.mvn,
    env,
    logger,
  });
  const port = options.port === 0 ? await findFreePort() : (options.port ?? 9411);
  const url = `http://127.0.0.1:${port}`;
  const logsDir = await mkdtemp(path.join(os.tmpdir(), 'cinemaabyss-zipkin-'));

  const startServer = async (): Promise<JvmProcess> => {
    const server = spawnJvm({
      java: toolchain.java,
      args: [
        '-Xmx384m',
        '-jar',
        jar,
        // Loopback only: a developer's traces are nobody else's to read.
        '--armeria.ports[0].ip=127.0.0.1',
        `--armeria.ports[0].port=${port}`,
        '--armeria.ports[0].protocols=http',
      ],
      // Only what it needs: Zipkin turns collectors on from variables such as
      // KAFKA_BOOTSTRAP_SERVERS or RABBIT_URI that a developer's shell may hold.
      env: {
        PATH: env.PATH,
        JAVA_HOME: env.JAVA_HOME,
        HOME: env.HOME,
        STORAGE_TYPE: 'mem',
        MEM_MAX_SPANS: String(options.maxSpans ?? 100_000),
      },
      consoleLog: path.join(logsDir, 'console.log'),
      onExitCleanup: () => removeDirSync(logsDir),
      watchdogRemoves: logsDir,
    });
    try {
      await waitForHealth(`${url}/health`, {
        timeoutMs: options.startTimeoutMs ?? 60_000,
        gone: server.exited,
      });
    } catch (error) {
      await server.stop(STOP_TIMEOUT_MS);
      throw new ZipkinLauncherError(
        `the Zipkin server did not start: ${(error as Error).message}\n${server.logTail()}`,
        { cause: error },
      );
    }
    return server;
  };

  const startedAt = Date.now();
  let first: JvmProcess;
  try {
    first = await startServer();
  } catch (error) {
    await rm(logsDir, { recursive: true, force: true });
    throw error;
  }
  logger.info(
    { url: `${url}/zipkin/`, pid: first.pid, zipkinVersion, ms: Date.now() - startedAt },
    'local Zipkin ready',
  );
  const supervised = superviseServer({
    name: 'local Zipkin server',
    first,
    restart: startServer,
    policy: options.restart,
    logger,
    onGiveUp: options.onGiveUp ?? (() => {}),
  });
  let stopping: Promise<void> | undefined;
  return {
    url,
    spansEndpoint: `${url}/api/v2/spans`,
    stop() {
      stopping ??= supervised
        .stop(STOP_TIMEOUT_MS)
        .then(() => rm(logsDir, { recursive: true, force: true }));
      return stopping;
    },
    pid: () => supervised.current().pid,
    restarts: () => supervised.restarts(),
  };
}
