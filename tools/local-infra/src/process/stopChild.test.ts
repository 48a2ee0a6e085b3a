import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { hasExited, stopChild } from './stopChild';

/** A Node child that prints "ready" once its handlers are in place. */
async function startChild(source: string, ipc = false): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['-e', `${source}; console.log('ready')`], {
    stdio: ['ignore', 'pipe', 'inherit', ...(ipc ? (['ipc'] as const) : [])],
  });
  await new Promise<void>((resolve, reject) => {
    child.stdout?.once('data', () => resolve());
    child.once('exit', (code) => reject(new Error(`the child exited ${code} before it was ready`)));
  });
  return child;
}

describe('stopChild', () => {
  it('sends SIGTERM and resolves once the child has exited', async () => {
    const child = await startChild('setInterval(() => {}, 1000)');

    await stopChild(child, { graceMs: 30_000 });

    expect(child.signalCode).toBe('SIGTERM');
    expect(hasExited(child)).toBe(true);
  });

  it('sends the signal it is given', async () => {
    const child = await startChild(
      "process.on('SIGQUIT', () => process.exit(7)); setInterval(() => {}, 1000)",
    );

    await stopChild(child, { graceMs: 30_000, signal: 'SIGQUIT' });

    expect(child.exitCode).toBe(7);
  });

  it('SIGKILLs a child that ignores the request once the grace period is over', async () => {
    const child = await startChild("process.on('SIGTERM', () => {}); setInterval(() => {}, 1000)");
    jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate'] });
    try {
      const stopped = stopChild(child, { graceMs: 10_000 });
      // The real child outlives any wait until the fake clock reaches the grace period.
      jest.advanceTimersByTime(9_999);
      expect(hasExited(child)).toBe(false);
      jest.advanceTimersByTime(1);
      await stopped;
    } finally {
      jest.useRealTimers();
    }

    expect(child.signalCode).toBe('SIGKILL');
  });

  it('asks another way when given a request, instead of a signal', async () => {
    const child = await startChild(
      "process.on('message', (m) => { if (m === 'stop') process.exit(3) }); setInterval(() => {}, 1000)",
      true,
    );

    await stopChild(child, { graceMs: 30_000, request: () => child.send('stop') });

    expect(child.exitCode).toBe(3);
  });

  it('resolves at once for a child that has already exited', async () => {
    const child = await startChild('process.exitCode = 0');
    await new Promise((resolve) => child.once('exit', resolve));

    await expect(stopChild(child, { graceMs: 30_000 })).resolves.toBeUndefined();
  });
});
