import { DeadlineExceededError, withDeadline } from './deadline';

describe('withDeadline', () => {
  it('resolves what the work resolves in time', async () => {
    await expect(withDeadline(1_000, async () => 42)).resolves.toBe(42);
  });

  it('rejects at the deadline even when the work ignores its signal, and aborts that signal', async () => {
    let signal: AbortSignal | undefined;
    const started = Date.now();
    const late = withDeadline(
      50,
      (given) => {
        signal = given;
        return new Promise<never>(() => {});
      },
      'the slow call',
    );

    await expect(late).rejects.toBeInstanceOf(DeadlineExceededError);
    await expect(late).rejects.toThrow('the slow call did not finish within 50 ms');
    expect(Date.now() - started).toBeLessThan(1_000);
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
