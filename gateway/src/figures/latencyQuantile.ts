import { LATENCY_BUCKETS_MS } from './figuresRecorder';

const HIGHEST_BOUND_MS = Math.max(...LATENCY_BUCKETS_MS);

/**
 * The q-quantile (0 < q ≤ 1), in ms, of a latency histogram with LATENCY_BUCKETS_MS bounds and
 * an overflow bucket; null for an empty histogram. Read as Prometheus' histogram_quantile reads
 * one: the bucket holding rank q × total, linearly interpolated between its lower bound (0 for
 * the first) and its upper bound. The overflow bucket has no upper bound, so a quantile there
 * is the highest finite bound: "at least this slow".
 *
 * The fleet's quantile comes from the fleet's summed buckets: quantiles of parts do not add up.
 */
export function latencyQuantile(counts: readonly number[], q: number): number | null {
  if (!(q > 0 && q <= 1)) throw new RangeError(`quantile must be in (0, 1], not ${q}`);
  // Counts against other bounds would be read against the wrong ones.
  if (counts.length !== LATENCY_BUCKETS_MS.length + 1) {
    throw new RangeError(
      `a latency histogram has ${LATENCY_BUCKETS_MS.length + 1} buckets, not ${counts.length}`,
    );
  }
  const total = counts.reduce((sum, count) => sum + count, 0);
  if (total === 0) return null;

  const rank = q * total;
  let below = 0;
  for (const [bucket, upper] of LATENCY_BUCKETS_MS.entries()) {
    const count = counts[bucket] ?? 0;
    if (below + count >= rank) {
      const lower = LATENCY_BUCKETS_MS[bucket - 1] ?? 0;
      // below < rank ≤ below + count, so count > 0 here.
      return lower + (upper - lower) * ((rank - below) / count);
    }
    below += count;
  }
  return HIGHEST_BOUND_MS;
}
