/**
 * Calls made under a key while an earlier call with that key is still running share its
 * promise instead of running again. The key is released as soon as that call settles, so no
 * result outlives its request: this collapses concurrent work, it never caches.
 */
export class InFlight<T> {
  private readonly running = new Map<string, Promise<T>>();

  /** @param onJoin called each time a call joins one already running */
  constructor(private readonly onJoin: () => void = () => {}) {}

  run(key: string, call: () => Promise<T>): Promise<T> {
    const running = this.running.get(key);
    if (running) {
      this.onJoin();
      return running;
    }
    const started = call().finally(() => this.running.delete(key));
    this.running.set(key, started);
    return started;
  }

  /** Keys with a call running right now. */
  get size(): number {
    return this.running.size;
  }
}
