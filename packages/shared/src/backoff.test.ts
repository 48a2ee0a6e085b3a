import { backoffDelay } from './backoff';

describe('backoffDelay', () => {
  it('doubles from the initial delay and stops at the cap', () => {
    const delays = [1, 2, 3, 4, 5, 6, 7].map((attempt) =>
      backoffDelay(attempt, { initialMs: 500, maxMs: 10_000 }),
    );

    expect(delays).toEqual([500, 1_000, 2_000, 4_000, 8_000, 10_000, 10_000]);
  });

  it('takes another factor', () => {
    expect(backoffDelay(3, { initialMs: 100, maxMs: 10_000, factor: 3 })).toBe(900);
  });

  it('treats an attempt below 1 as the first', () => {
    expect(backoffDelay(0, { initialMs: 250, maxMs: 5_000 })).toBe(250);
    expect(backoffDelay(-3, { initialMs: 250, maxMs: 5_000 })).toBe(250);
  });

  it('stays at the cap, a finite number, however many attempts', () => {
    expect(backoffDelay(10_000, { initialMs: 250, maxMs: 5_000 })).toBe(5_000);
    expect(backoffDelay(Number.MAX_SAFE_INTEGER, { initialMs: 1, maxMs: 60_000 })).toBe(60_000);
  });
});
