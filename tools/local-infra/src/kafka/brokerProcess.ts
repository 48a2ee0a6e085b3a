import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import type { BrokerLayout } from './brokerConfig';
import { spawnJvm } from '../jvm/jvmProcess';
import type { JvmProcess } from '../jvm/jvmProcess';
import { KafkaLauncherError } from './errors';

const execFileAsync = promisify(execFile);

export interface JavaRuntime {
  /** Absolute path of `java`. */
  java: string;
  /** Dir of jars; Java expands the `<dir>/*` classpath wildcard itself. */
  libsDir: string;
  env: NodeJS.ProcessEnv;
}

/** Same logging setup for tools and broker, so nothing the JVM logs lands on our stdout. */
function jvmArgs(runtime: JavaRuntime, layout: BrokerLayout): string[] {
  return [
    `-Dkafka.logs.dir=${layout.appLogsDir}`,
    `-Dlog4j2.configurationFile=${layout.log4jConfig}`,
    '-cp',
    path.join(runtime.libsDir, '*'),
  ];
}

/** Runs `kafka.tools.StorageTool <args>` (what bin/kafka-storage.sh does) and returns stdout. */
export async function runStorageTool(
  runtime: JavaRuntime,
  layout: BrokerLayout,
  args: string[],
): Promise<string> {
  const fullArgs = [...jvmArgs(runtime, layout), 'kafka.tools.StorageTool', ...args];
  try {
    const { stdout } = await execFileAsync(runtime.java, fullArgs, {
      env: runtime.env,
      timeout: 60_000,
    });
    return stdout.trim();
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    throw new KafkaLauncherError(
      `kafka-storage ${args[0] ?? ''} failed:\n${`${stdout}\n${stderr}`.trim()}`,
      { cause: error },
    );
  }
}

/** The broker's JVM. */
export type BrokerProcess = JvmProcess;

export interface SpawnBrokerOptions {
  /** Runs synchronously if Node exits while the broker is still up. */
  onExitCleanup?: () => void;
  /** A temp data dir the watchdog deletes after killing an orphaned broker. */
  watchdogRemoves?: string;
}

/** Starts `kafka.Kafka server.properties` (what bin/kafka-server-start.sh does). */
export function spawnBroker(
  runtime: JavaRuntime,
  layout: BrokerLayout,
  options: SpawnBrokerOptions = {},
): BrokerProcess {
  try {
    return spawnJvm({
      java: runtime.java,
      args: ['-Xmx512m', ...jvmArgs(runtime, layout), 'kafka.Kafka', layout.serverProperties],
      env: runtime.env,
      consoleLog: path.join(layout.appLogsDir, 'console.log'),
      logFiles: [path.join(layout.appLogsDir, 'server.log')],
      ...options,
    });
  } catch (error) {
    throw new KafkaLauncherError((error as Error).message, { cause: error });
  }
}
