import { writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';
import { currentStats } from './childProtocol';
import type { ChildMessage, ChildServer, ParentMessage } from './childProtocol';

function send(message: ChildMessage): void {
  process.send?.(message);
}

/** A CPU profile of a window the bench chooses (one part), through the inspector protocol. */
function windowProfiler() {
  let session: Session | undefined;
  return {
    async start() {
      session?.disconnect();
      session = new Session();
      session.connect();
      await session.post('Profiler.enable');
      await session.post('Profiler.start');
    },
    async stop(file: string) {
      if (!session) throw new Error('no profile started');
      const { profile } = await session.post('Profiler.stop');
      session.disconnect();
      session = undefined;
      await writeFile(file, JSON.stringify(profile));
    },
  };
}

/** Set by childEntry.mts: releases tsx's module hooks (absent when a test runs a child directly). */
const DROP_LOADER = Symbol.for('cinemaabyss.bench.dropTypeScriptLoader');

/** Serves on plain Node from here on, as a deployed service does (see childEntry.mts). */
async function dropTypeScriptLoader(): Promise<void> {
  const drop = (globalThis as Record<symbol, (() => Promise<void>) | undefined>)[DROP_LOADER];
  await drop?.();
}

/**
 * The child side of the protocol: starts the server, reports its URL, answers stats requests,
 * and stops on request or as soon as the bench goes away (the IPC channel closes), so no
 * server outlives a crashed or interrupted bench.
 */
export function serveAsChild(start: () => Promise<ChildServer>): void {
  if (!process.send) throw new Error('run this file through the bench, not directly');
  let server: ChildServer | undefined;
  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    // A server that will not drain must not keep the bench waiting.
    setTimeout(() => process.exit(code), 10_000).unref();
    await server?.stop().catch(() => undefined);
    // A normal exit, so --cpu-prof gets to write its profile.
    process.exit(code);
  };
  const profiler = windowProfiler();
  const failed = (err: unknown) =>
    send({ type: 'failed', error: err instanceof Error ? err.message : String(err) });
  process.on('message', (message: ParentMessage) => {
    if (message.type === 'stats') send({ type: 'stats', ...currentStats() });
    else if (message.type === 'stop') void stop(0);
    else if (message.type === 'profile-start') {
      profiler.start().then(() => send({ type: 'profile-started' }), failed);
    } else if (message.type === 'profile-stop') {
      const { file } = message;
      profiler.stop(file).then(() => send({ type: 'profile-written', file }), failed);
    }
  });
  process.on('disconnect', () => void stop(0));
  start()
    .then(async (started) => {
      server = started;
      await dropTypeScriptLoader();
      return started;
    })
    .then(
      (started) => send({ type: 'ready', url: started.url, info: started.info ?? {} }),
      (err: unknown) => {
        send({
          type: 'failed',
          error: err instanceof Error ? (err.stack ?? err.message) : String(err),
        });
        void stop(1);
      },
    );
}
