/** FNV-1a: a fast, stable 32-bit hash; the same id maps to the same bucket in every process. */
export function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/**
 * The bucket (0–99) a user falls in, the same on every replica and release: a migration at N %
 * serves users with bucket < N from its new backend, so raising N only ever moves users forward
 * and lowering it only moves them back.
 */
export function userBucket(userId: string): number {
  return fnv1a(userId) % 100;
}

/** Where an id falls in [0, 100) at 0.0001 steps, for percentages with decimals (`percent(0.5)`). */
export function fineBucket(id: string): number {
  return (fnv1a(id) % 1_000_000) / 10_000;
}
