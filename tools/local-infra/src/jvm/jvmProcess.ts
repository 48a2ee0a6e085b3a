import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, rmSync } from 'node:fs';
import { stopChild } from '../process/stopChild';
import { startProcessWatchdog } from './processWatchdog';

/** A server JVM this workspace started (the Kafka broker, Zipkin). */
export interface JvmProcess {
  pid: number;
  /** Settles when the JVM has exited, for whatever reason. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  hasExited(): boolean;
  /** SIGTERM (the server shuts down cleanly), then SIGKILL once `timeoutMs` has passed. */
  stop(timeoutMs: number): Promise<void>;
  /** The last lines of its console and log files, for error messages. */
  logTail(lines?: number): string;
}

export interface SpawnJvmOptions {
  java: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  /** The JVM's stdout and stderr are appended here. */
  consoleLog: string;
  /** Further log files the server writes, shown by logTail() after the console. */
  logFiles?: string[];
  /** Runs synchronously if Node exits while the server is still up. */
  onExitCleanup?: () => void;
  /** A temp data dir the watchdog deletes after killing an orphaned server. */
  watchdogRemoves?: string;
}

/**
 * Starts a JVM in a process group of its own, whose output goes to a file (a pipe nobody
 * drains would block it, and our stdout is not its) and which cannot outlive this process: an 'exit' hook kills it, and a
 * watchdog process does so when this one dies in a way no hook sees (SIGKILL, a jest worker
 * torn down).
 */
export function spawnJvm(options: SpawnJvmOptions): JvmProcess {
  const { onExitCleanup = () => {} } = options;
  const consoleFd = openSync(options.consoleLog, 'a');
  let child: ChildProcess;
  try {
    child = spawn(options.java, options.args, {
      env: options.env,
      stdio: ['ignore', consoleFd, consoleFd],
      // Its own process group: a Ctrl-C in the terminal reaches the launcher, which stops the
      // server in its turn (after the services that use it), rather than the JVM directly,
      // whose early exit the supervisor would take for a crash.
      detached: true,
    });
  } finally {
    // The child holds its own copy of the descriptor.
    closeSync(consoleFd);
  }

  let exitedFlag = false;
  // 'exit' handlers must be sync; they do not run on SIGKILL or inside jest's sandboxed
  // `process`, hence the watchdog as well.
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

  if (child.pid === undefined) throw new Error(`could not spawn ${options.java}`);

  return {
    pid: child.pid,
    exited,
    hasExited: () => exitedFlag,
    async stop(timeoutMs) {
      if (exitedFlag) return;
      await stopChild(child, { graceMs: timeoutMs });
      await exited;
    },
    logTail: (lines = 40) =>
      [options.consoleLog, ...(options.logFiles ?? [])]
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
