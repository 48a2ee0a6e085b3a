import { InFlight } from './inFlight';

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (reason: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('InFlight', () => {
  it('runs concurrent calls with one key once and gives each caller the result', async () => {
    let joins = 0;
    const inFlight = new InFlight<string>(() => (joins += 1));
    const pending = deferred<string>();
    const call = jest.fn(() => pending.promise);
    const results = Promise.all([1, 2, 3].map(() => inFlight.run('k', call)));
    pending.resolve('answer');
    expect(await results).toEqual(['answer', 'answer', 'answer']);
    expect(call).toHaveBeenCalledTimes(1);
    expect(joins).toBe(2);
  });

  it('runs calls with different keys separately', async () => {
    const inFlight = new InFlight<string>();
    const call = jest.fn(async () => 'x');
    await Promise.all([inFlight.run('a', call), inFlight.run('b', call)]);
    expect(call).toHaveBeenCalledTimes(2);
  });

  it('keeps nothing once a call settles: the next call runs again', async () => {
    const inFlight = new InFlight<number>();
    let n = 0;
    const call = async () => (n += 1);
    expect(await inFlight.run('k', call)).toBe(1);
    expect(await inFlight.run('k', call)).toBe(2);
    expect(inFlight.size).toBe(0);
  });

  it('shares a failure with every caller, then forgets it', async () => {
    const inFlight = new InFlight<string>();
    const pending = deferred<string>();
    const both = Promise.allSettled([
      inFlight.run('k', () => pending.promise),
      inFlight.run('k', () => pending.promise),
    ]);
    pending.reject(new Error('down'));
    expect((await both).map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect(await inFlight.run('k', async () => 'recovered')).toBe('recovered');
  });
});
