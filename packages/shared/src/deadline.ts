/** What `withDeadline` rejects with; named like the error AbortSignal.timeout() gives. */
export class DeadlineExceededError extends Error {
  override name = 'TimeoutError';
  constructor(
    readonly what: string,
    readonly timeoutMs: number,
  ) {
    super(`${what} did not finish within ${timeoutMs} ms`);
  }
}

/**
 * The one deadline helper: runs `work` with an AbortSignal that fires after `timeoutMs`, and
 * rejects with DeadlineExceededError at that moment even if `work` ignores the signal (some
 * clients and half-open sockets do), so a caller can count on an answer within the budget.
 */
export async function withDeadline<T>(
  timeoutMs: number,
  work: (signal: AbortSignal) => Promise<T>,
  what = 'the call',
): Promise<T> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      const reason = new DeadlineExceededError(what, timeoutMs);
      controller.abort(reason);
      reject(reason);
    }, timeoutMs);
  });
  try {
    return await Promise.race([work(controller.signal), deadline]);
  } finally {
    clearTimeout(timer);
  }
}
