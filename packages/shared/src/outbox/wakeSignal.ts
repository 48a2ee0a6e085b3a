/** Lets a polling loop sleep until a timeout or an earlier nudge, whichever comes first. */
export interface WakeSignal {
  /** Resolves after ms, or at once when nudged since the last wait. */
  wait(ms: number): Promise<void>;
  nudge(): void;
}

export function createWakeSignal(): WakeSignal {
  let pending = false;
  let wakeUp: (() => void) | undefined;
  return {
    wait(ms) {
      if (pending) {
        pending = false;
        return Promise.resolve();
      }
      return new Promise((resolve) => {
        const timer = setTimeout(done, ms);
        function done() {
          clearTimeout(timer);
          wakeUp = undefined;
          pending = false;
          resolve();
        }
        wakeUp = done;
      });
    },
    nudge() {
      // A nudge while nobody waits is kept, so a notification during a batch is not lost.
      if (wakeUp) wakeUp();
      else pending = true;
    },
  };
}
