import { DeadlineExceededError, withDeadline } from './deadline';

describe('withDeadline', () => {
  afterEach(() => jest.useRealTimers());

  it('resolves what the work resolves in time', async () => {
    await expect(withDeadline(1_000, async () => 42)).resolves.toBe(42);
  });

  it('rejects at the deadline even when the work ignores its signal, and aborts that signal', async () => {
    jest.useFakeTimers();
    let signal: AbortSignal | undefined;
    const late = withDeadline(
      50,
      (given) => {
        signal = given;
        return new Promise<never>(() => {});
      },
      'the slow call',
    );

    const outcome = late.then(
      () => 'resolved',
      (error: unknown) => error,
    );

    jest.advanceTimersByTime(49);
    expect(signal?.aborted).toBe(false);
    jest.advanceTimersByTime(1);
    jest.useRealTimers();
    const error = await outcome;
    expect(error).toBeInstanceOf(DeadlineExceededError);
    expect((error as Error).message).toBe('the slow call did not finish within 50 ms');
    expect(signal?.aborted).toBe(true);
    expect((signal?.reason as Error).name).toBe('TimeoutError');
  });

  it('passes the work’s own failure through', async () => {
    await expect(
      withDeadline(1_000, async () => {
        throw new Error('refused');
      }),
    ).rejects.toThrow('refused');
  });
});
