import { isSettled } from '../testing/fakeClock';
import { createWakeSignal } from './wakeSignal';

describe('createWakeSignal', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('wakes a waiter early when nudged, with no time passing', async () => {
    const signal = createWakeSignal();
    const waiting = signal.wait(10_000);
    expect(await isSettled(waiting)).toBe(false);

    signal.nudge();

    expect(await isSettled(waiting)).toBe(true);
  });

  it('resolves a waiter nobody nudges once its time is up, not before', async () => {
    const signal = createWakeSignal();
    const waiting = signal.wait(50);

    jest.advanceTimersByTime(49);
    expect(await isSettled(waiting)).toBe(false);
    jest.advanceTimersByTime(1);
    expect(await isSettled(waiting)).toBe(true);
  });

  it('keeps a nudge that came while nobody waited, once', async () => {
    const signal = createWakeSignal();
    signal.nudge();
    signal.nudge();

    expect(await isSettled(signal.wait(10_000))).toBe(true);
    const second = signal.wait(50);
    expect(await isSettled(second)).toBe(false);
    jest.advanceTimersByTime(50);
    expect(await isSettled(second)).toBe(true);
  });
});
