import { execFile, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import type { BrokerLayout } from './brokerConfig';
import { startProcessWatchdog } from '../jvm/processWatchdog';
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

export interface BrokerProcess {
  pid: number;
  /** Settles when the JVM has exited, for whatever reason. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  hasExited(): boolean;
  /** SIGTERM (Kafka shuts down cleanly), then SIGKILL once `timeoutMs` has passed. */
  stop(timeoutMs: number): Promise<void>;
  /** The last lines of the broker's stdout/stderr and server.log, for error messages. */
  logTail(lines?: number): string;
}

export interface SpawnBrokerOptions {
  /** Runs synchronously if Node exits while the broker is still up. */
  onExitCleanup?: () => void;
  /** A temp data dir the watchdog deletes after killing an orphaned broker. */
  watchdogRemoves?: string;
}

/**
 * Starts `kafka.Kafka server.properties` (what bin/kafka-server-start.sh does). The JVM's
 * stdout/stderr go to a file: a pipe nobody drains would block it, and our stdout is not its.
 */
export function spawnBroker(
  runtime: JavaRuntime,
  layout: BrokerLayout,
  options: SpawnBrokerOptions = {},
): BrokerProcess {
  const { onExitCleanup = () => {} } = options;
  const consoleLog = path.join(layout.appLogsDir, 'console.log');
  const consoleFd = openSync(consoleLog, 'a');
  const args = ['-Xmx512m', ...jvmArgs(runtime, layout), 'kafka.Kafka', layout.serverProperties];
  let child: ChildProcess;
  try {
    child = spawn(runtime.java, args, {
      env: runtime.env,
      stdio: ['ignore', consoleFd, consoleFd],
    });
  } finally {
    // The child holds its own copy of the descriptor.
    closeSync(consoleFd);
  }

  let exitedFlag = false;
  // An orphaned broker would keep the port, 512 MB and the temp dir. 'exit' handlers must be
  // sync; they do not run on SIGKILL or inside jest's sandboxed `process`, hence the watchdog.
  const killOnNodeExit = (): void => {
    child.kill('SIGKILL');
    onExitCleanup();
  };
  process.on('exit', killOnNodeExit);
  const watchdog =
    child.pid === undefined ? undefined : startProcessWatchdog(child.pid, options.watchdogRemoves);

  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    const done = (code: number | null, signal: NodeJS.Signals | null): void => {
      exitedFlag = true;
      process.removeListener('exit', killOnNodeExit);
      watchdog?.dismiss();
      resolve({ code, signal });
    };
    child.once('exit', done);
    // spawn failures (e.g. java vanished) arrive as 'error' without 'exit'.
    child.once('error', () => done(null, null));
  });

  if (child.pid === undefined) {
    throw new KafkaLauncherError(`could not spawn ${runtime.java}`);
  }

  return {
    pid: child.pid,
    exited,
    hasExited: () => exitedFlag,
    async stop(timeoutMs) {
      if (exitedFlag) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      try {
        await exited;
      } finally {
        clearTimeout(timer);
      }
    },
    logTail: (lines = 40) =>
      [consoleLog, path.join(layout.appLogsDir, 'server.log')]
        .map((file) => tailFile(file, lines))
        .filter((text) => text !== '')
        .join('\n---\n'),
  };
}

function tailFile(file: string, lines: number): string {
  if (!existsSync(file)) return '';
  const text = readFileSync(file, 'utf8').trimEnd();
  return text === '' ? '' : `${file}:\n${text.split('\n').slice(-lines).join('\n')}`;
}

/** Best effort, for use inside a process 'exit' handler where nothing async runs. */
export function removeDirSync(dir: string): void {
  try {
    rmSync(dir, { recursive: true, force: true, maxRetries: 2 });
  } catch {
    // The OS reclaims temp dirs eventually; failing Node's exit over it would be worse.
  }
}
