import type { ChildProcess } from 'node:child_process';

export interface StopChildOptions {
  /** How long the child has to exit on its own before SIGKILL. */
  graceMs: number;
  /** The polite request to exit. @default 'SIGTERM' (nginx: 'SIGQUIT') */
  signal?: NodeJS.Signals;
  /** Asks the child to exit another way (say, an IPC message) instead of sending `signal`. */
  request?: () => void;
}

/** Whether a child process has already exited, by a code or a signal. */
export function hasExited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

/**
 * The one way the dev tooling stops a child process (the stack's services, the local JVMs,
 * the bench's servers and nginx): ask it to exit, SIGKILL it once `graceMs` has passed, and
 * resolve when it is gone. A child that has already exited, or never started, resolves at once.
 */
export async function stopChild(
  child: ChildProcess,
  { graceMs, signal = 'SIGTERM', request }: StopChildOptions,
): Promise<void> {
  if (child.pid === undefined || hasExited(child)) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  if (request) request();
  else child.kill(signal);
  const forceKill = setTimeout(() => child.kill('SIGKILL'), graceMs);
  try {
    await exited;
  } finally {
    clearTimeout(forceKill);
  }
}
