import { createWakeSignal } from './wakeSignal';

describe('createWakeSignal', () => {
  it('wakes a waiter early when nudged', async () => {
    const signal = createWakeSignal();
    const started = Date.now();
    const waiting = signal.wait(10_000);
    signal.nudge();
    await waiting;
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('keeps a nudge that came while nobody waited, once', async () => {
    const signal = createWakeSignal();
    signal.nudge();
    signal.nudge();
    const started = Date.now();
    await signal.wait(10_000);
    expect(Date.now() - started).toBeLessThan(1_000);
    const second = Date.now();
    await signal.wait(50);
    expect(Date.now() - second).toBeGreaterThanOrEqual(40);
  });
});
