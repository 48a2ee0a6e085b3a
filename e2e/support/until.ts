import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Polls `probe` every 125 ms until it returns a value, for at most `timeoutMs` (10 s by default):
 * for what the stack does in the background (a shadow comparison, a flush, a rollout's steps),
 * which a test can only watch for.
 */
export async function until<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  { timeoutMs = 10_000 }: { timeoutMs?: number } = {},
): Promise<T> {
  for (let i = 0; i < timeoutMs / 125; i += 1) {
    const value = await probe();
    if (value !== undefined) return value;
    await sleep(125);
  }
  throw new Error(`gave up waiting for ${what}`);
}
