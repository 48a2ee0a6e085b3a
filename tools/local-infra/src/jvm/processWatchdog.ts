import { spawn } from 'node:child_process';
import type { Socket } from 'node:net';

/**
 * Runs in its own tiny Node process. Its stdin is a pipe whose other end only the launching
 * process holds, so EOF means that process is gone, however it went: process.exit, an
 * unhandled error, SIGKILL, or a jest worker torn down. It then kills the server and removes
 * the temp data dir. It runs in a session of its own, so that a signal to the launcher's
 * process group (Ctrl-C, or a process manager's SIGTERM then SIGKILL to the group) never
 * reaches it, and it ignores SIGINT/SIGTERM/SIGHUP besides. The server leads a process group
 * of its own: the whole group is killed.
 */
const WATCHDOG_SOURCE = `
const fs = require('node:fs');
const [pidArg, dataDir] = process.argv.slice(1);
const pid = Number(pidArg);
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => {});
const alive = () => { try { process.kill(pid, 0); return true; } catch { return false; } };
const cleanUp = () => {
  try { process.kill(-pid, 'SIGKILL'); } catch { try { process.kill(pid, 'SIGKILL'); } catch {} }
  const started = Date.now();
  const finish = () => {
    if (alive() && Date.now() - started < 5000) return setTimeout(finish, 50);
    if (dataDir) { try { fs.rmSync(dataDir, { recursive: true, force: true }); } catch {} }
    process.exit(0);
  };
  finish();
};
process.stdin.on('end', cleanUp);
process.stdin.on('error', cleanUp);
process.stdin.resume();
`;

export interface ProcessWatchdog {
  /** Call once the server has exited normally: the watchdog then has nothing left to do. */
  dismiss(): void;
}

/**
 * Watches over a local server process (the Kafka broker's JVM, or any other this workspace
 * starts) on behalf of the current process. The watchdog is unref'd, so it never keeps this
 * process alive; `dataDir`, when given, is deleted after the kill.
 */
export function startProcessWatchdog(serverPid: number, dataDir?: string): ProcessWatchdog {
  const args = ['-e', WATCHDOG_SOURCE, String(serverPid), ...(dataDir ? [dataDir] : [])];
  const child = spawn(process.execPath, args, {
    stdio: ['pipe', 'ignore', 'ignore'],
    // Out of the launcher's process group: killed with it, it could not clean up after it.
    detached: true,
  });
  // If the watchdog cannot start we keep the 'exit' hook; nothing to report to callers.
  child.on('error', () => {});
  child.unref();
  (child.stdin as Socket | null)?.unref();
  return {
    // SIGKILL, since it ignores the polite signals; closing stdin would make it kill a pid
    // that may already belong to another process.
    dismiss: () => {
      child.kill('SIGKILL');
    },
  };
}
