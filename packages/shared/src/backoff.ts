/** How long to wait between attempts: doubling (or `factor`-fold) from `initialMs`, never past `maxMs`. */
export interface BackoffPolicy {
  initialMs: number;
  maxMs: number;
  /** @default 2 */
  factor?: number;
}

/**
 * The pause before retry number `attempt` (1 for the first retry):
 * `min(maxMs, initialMs · factor^(attempt − 1))`. The one exponential backoff of the platform;
 * every loop that retries (Kafka sends, the outbox relay, LISTEN reconnects, event handlers,
 * the local servers' supervisor) asks it, so every backoff is capped.
 */
export function backoffDelay(
  attempt: number,
  { initialMs, maxMs, factor = 2 }: BackoffPolicy,
): number {
  // Past ~50 doublings the product is no longer finite-precise; the cap has long applied.
  const exponent = Math.min(Math.max(Math.floor(attempt), 1) - 1, 50);
  return Math.min(maxMs, initialMs * factor ** exponent);
}
