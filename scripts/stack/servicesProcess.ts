import { spawn } from 'node:child_process';
import path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { stopChild, waitForHealth } from '@cinemaabyss/local-infra';
import type { StackService } from './stackServices';

export interface ServiceProcess {
  readonly name: string;
  readonly child: ChildProcess;
  /** Resolves with the exit code (or signal) once the process is gone. */
  readonly exited: Promise<number | NodeJS.Signals | null>;
  /** SIGTERM, then SIGKILL after graceMs; resolves when the process is gone. */
  stop(graceMs?: number): Promise<void>;
}

/** Copies a stream line by line to out, each line behind `[name]`. */
export function pipeWithPrefix(stream: Readable, prefix: string, out: NodeJS.WritableStream) {
  createInterface({ input: stream }).on('line', (line) => out.write(`${prefix} ${line}\n`));
}

/** How a service's entry point runs: its TypeScript through tsx, or its compiled dist/. */
export type ServiceRuntime = 'sources' | 'compiled';

const NODE_ARGS: Record<ServiceRuntime, (entry: string) => string[]> = {
  sources: (entry) => ['--import', 'tsx', entry],
  // src/index.ts → dist/index.js, as the image runs it.
  compiled: (entry) => [
    '--enable-source-maps',
    entry.replace(/^src\//, 'dist/').replace(/\.ts$/, '.js'),
  ],
};

/** Starts `node --import tsx <entry>` (or its compiled dist/ file) in cwd with env, its output prefixed with its name. */
export function spawnService(options: {
  name: string;
  cwd: string;
  entry: string;
  /** @default 'sources' */
  runtime?: ServiceRuntime;
  env: NodeJS.ProcessEnv;
  prefix: string;
  /** Where its prefixed lines go. @default this process's stdout and stderr */
  out?: NodeJS.WritableStream;
}): ServiceProcess {
  const child = spawn(process.execPath, NODE_ARGS[options.runtime ?? 'sources'](options.entry), {
    cwd: options.cwd,
    env: options.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  pipeWithPrefix(child.stdout, options.prefix, options.out ?? process.stdout);
  pipeWithPrefix(child.stderr, options.prefix, options.out ?? process.stderr);
  const exited = new Promise<number | NodeJS.Signals | null>((resolve) => {
    child.once('exit', (code, signal) => resolve(code ?? signal));
  });
  // Even when this runner dies abruptly, its children must not outlive it.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  void exited.then(() => process.off('exit', killOnExit));

  return {
    name: options.name,
    child,
    exited,
    async stop(graceMs = 10_000) {
      await stopChild(child, { graceMs });
    },
  };
}

/**
 * Starts one service of the stack through its entry point and resolves once its health path
 * answers (failing as soon as the process exits instead). `onSpawned` sees the process before
 * that, so a caller can stop it or watch its exit while it starts.
 */
export async function startStackService(options: {
  service: StackService;
  /** The repository root (or a copy of it). */
  root: string;
  /** @default 'sources' */
  runtime?: ServiceRuntime;
  env: NodeJS.ProcessEnv;
  prefix: string;
  out?: NodeJS.WritableStream;
  onSpawned?: (child: ServiceProcess) => void;
}): Promise<ServiceProcess> {
  const { service } = options;
  const child = spawnService({
    name: service.name,
    cwd: path.join(options.root, service.dir),
    entry: service.entry,
    runtime: options.runtime,
    env: options.env,
    prefix: options.prefix,
    out: options.out,
  });
  options.onSpawned?.(child);
  await waitForHealth(`http://127.0.0.1:${service.port}${service.healthPath}`, {
    timeoutMs: 60_000,
    gone: child.exited,
  });
  return child;
}
