import { setTimeout as sleep } from 'node:timers/promises';
import { createSilentLogger } from '@cinemaabyss/shared/logging';
import { superviseServer } from './superviseServer';
import type { ServerProcess } from './superviseServer';

/** A process that exits when the test says so. */
function fakeProcess(pid: number) {
  let exit: (value: { code: number | null; signal: NodeJS.Signals | null }) => void = () => {};
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>(
    (resolve) => (exit = resolve),
  );
  const process = {
    pid,
    exited,
    stopped: false,
    async stop() {
      process.stopped = true;
      exit({ code: 0, signal: null });
    },
    die: () => exit({ code: null, signal: 'SIGKILL' }),
  };
  return process satisfies ServerProcess;
}

type Fake = ReturnType<typeof fakeProcess>;

async function until(check: () => boolean) {
  for (let i = 0; i < 200 && !check(); i++) await sleep(5);
  expect(check()).toBe(true);
}

describe('superviseServer', () => {
  const policy = { minDelayMs: 1, maxDelayMs: 2, maxAttempts: 3, stableAfterMs: 60_000 };

  function supervise(restart: () => Promise<Fake>, onGiveUp = jest.fn()) {
    const first = fakeProcess(1);
    const server = superviseServer({
      name: 'test server',
      first,
      restart,
      policy,
      logger: createSilentLogger(),
      onGiveUp,
    });
    return { first, server, onGiveUp };
  }

  it('starts a server that exits on its own again, and hands out the new process', async () => {
    const second = fakeProcess(2);
    const { first, server } = supervise(async () => second);
    first.die();
    await until(() => server.restarts() === 1);
    expect(server.current()).toBe(second);
  });

  it('gives up, once, after the attempts of the policy fail', async () => {
    const restart = jest.fn(async (): Promise<Fake> => {
      throw new Error('port in use');
    });
    const { first, onGiveUp } = supervise(restart);
    first.die();
    await until(() => onGiveUp.mock.calls.length === 1);
    expect(restart).toHaveBeenCalledTimes(3);
    expect((onGiveUp.mock.calls[0] as [Error])[0].message).toBe('port in use');
  });

  it('bounds a crash loop: restarts that die at once use up the same attempts', async () => {
    const started: Fake[] = [];
    const { first, server, onGiveUp } = supervise(async () => {
      const next = fakeProcess(10 + started.length);
      started.push(next);
      setImmediate(() => next.die());
      return next;
    });
    first.die();
    await until(() => onGiveUp.mock.calls.length === 1);
    expect(started).toHaveLength(3);
    expect(server.restarts()).toBe(3);
  });

  it('does not restart a server it was asked to stop', async () => {
    const restart = jest.fn(async () => fakeProcess(2));
    const { first, server, onGiveUp } = supervise(restart);
    await server.stop(1_000);
    await sleep(20);
    expect(first.stopped).toBe(true);
    expect(restart).not.toHaveBeenCalled();
    expect(onGiveUp).not.toHaveBeenCalled();
  });

  it('stops a server that comes back while it is being stopped', async () => {
    const second = fakeProcess(2);
    let release: () => void = () => {};
    const { first, server } = supervise(
      () => new Promise<Fake>((resolve) => (release = () => resolve(second))),
    );
    first.die();
    await sleep(20);
    const stopping = server.stop(1_000);
    release();
    await stopping;
    expect(second.stopped).toBe(true);
  });
});
