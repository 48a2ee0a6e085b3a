/**
 * Fake-timer helpers for tests that check a timeout or a retry to the millisecond: the clock
 * moves only when the test moves it, while promise jobs and socket I/O run as they come.
 */

/** A clock only the test moves; promise jobs and socket I/O still run as they come. */
export function useFakeClock(): void {
  jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
}

/** Lets real I/O run, the fake clock standing still, until `condition` holds. */
export async function untilIo(condition: () => boolean, what: string): Promise<void> {
  for (let turn = 0; !condition(); turn += 1) {
    if (turn === 10_000) throw new Error(`gave up waiting for ${what}`);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/** Whether a promise has settled once pending microtasks have run. */
export async function isSettled(promise: Promise<unknown>): Promise<boolean> {
  let settled = false;
  void promise.then(
    () => (settled = true),
    () => (settled = true),
  );
  await Promise.resolve();
  await Promise.resolve();
  return settled;
}
