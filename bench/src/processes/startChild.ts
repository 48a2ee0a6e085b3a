import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import path from 'node:path';
import { stopChild } from '@cinemaabyss/local-infra';
import type { ChildMessage, ChildStats } from './childProtocol';

export interface BenchChild {
  name: string;
  pid: number;
  url: string;
  info: Record<string, string>;
  stats(): Promise<ChildStats>;
  /** A CPU profile of one window, for the Node children (nginx has none). */
  profile?: {
    start(): Promise<void>;
    /** Stops the window's profile and writes it to `file` (`.cpuprofile`). */
    stop(file: string): Promise<void>;
  };
  /** Asks the child to close its server and exit; kills it if it has not after 15 s. */
  stop(): Promise<void>;
}

export interface StartChildOptions {
  name: string;
  args?: string[];
  /** Extra node flags, e.g. `--cpu-prof`. */
  nodeFlags?: string[];
  env?: NodeJS.ProcessEnv;
  /** @default 60000 */
  startTimeoutMs?: number;
}

const REPO_ROOT = path.resolve(__dirname, '../../..');
/** Loads a child's TypeScript entry point through tsx, which the child drops once it serves. */
const CHILD_ENTRY = path.resolve(__dirname, 'childEntry.mts');
/** Last bytes of a child's stderr kept to explain a failed start. */
const STDERR_TAIL = 8_192;

function nextMessage<T extends ChildMessage['type']>(
  child: ChildProcess,
  type: T,
  timeoutMs: number,
  stderr: () => string,
): Promise<Extract<ChildMessage, { type: T }>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => finish(new Error(`no ${type} within ${timeoutMs} ms`)),
      timeoutMs,
    );
    const onMessage = (message: ChildMessage) => {
      if (message.type === type) finish(undefined, message as Extract<ChildMessage, { type: T }>);
      else if (message.type === 'failed') finish(new Error(message.error));
    };
    const onExit = (code: number | null) => finish(new Error(`exited with ${code}`));
    function finish(err?: Error, message?: Extract<ChildMessage, { type: T }>) {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
      if (err) reject(new Error(`${err.message}\n${stderr()}`));
      else resolve(message as Extract<ChildMessage, { type: T }>);
    }
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}

/**
 * Runs a bench entry point (`bench/src/.../*Main.ts`) in its own Node process, loaded through
 * tsx (childEntry.mts) and serving without it, so its CPU time and peak RSS are its own, and
 * resolves once it reports its URL.
 */
export async function startChild(entry: string, options: StartChildOptions): Promise<BenchChild> {
  let stderr = '';
  const child = fork(CHILD_ENTRY, [entry, ...(options.args ?? [])], {
    cwd: REPO_ROOT,
    execArgv: options.nodeFlags ?? [],
    // Benchmarks talk to loopback only: the stock gateway's default telemetry would otherwise
    // export to Apollo and probe cloud metadata servers, and so would Hive's auto-instrumentation.
    env: {
      ...process.env,
      APOLLO_TELEMETRY_DISABLED: 'true',
      OTEL_SDK_DISABLED: 'true',
      METADATA_SERVER_DETECTION: 'none',
      ...options.env,
    },
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-STDERR_TAIL);
  });
  const tail = () => (stderr ? `${options.name} stderr:\n${stderr}` : '');
  let ready: Extract<ChildMessage, { type: 'ready' }>;
  try {
    ready = await nextMessage(child, 'ready', options.startTimeoutMs ?? 60_000, tail);
  } catch (err) {
    child.kill('SIGKILL');
    throw new Error(`${options.name} did not start: ${(err as Error).message}`);
  }
  return {
    name: options.name,
    pid: child.pid as number,
    url: ready.url,
    info: ready.info,
    async stats() {
      const reply = nextMessage(child, 'stats', 10_000, tail);
      child.send({ type: 'stats' });
      const { maxRssKiB, rssKiB, cpuMs, heapUsedKiB } = await reply;
      return { maxRssKiB, rssKiB, cpuMs, heapUsedKiB };
    },
    profile: {
      async start() {
        const reply = nextMessage(child, 'profile-started', 10_000, tail);
        child.send({ type: 'profile-start' });
        await reply;
      },
      async stop(file) {
        // Serializing a profile of a long window takes a moment.
        const reply = nextMessage(child, 'profile-written', 60_000, tail);
        child.send({ type: 'profile-stop', file });
        await reply;
      },
    },
    async stop() {
      await stopChild(child, {
        graceMs: 15_000,
        request: () => {
          if (child.connected) child.send({ type: 'stop' });
        },
      });
    },
  };
}
