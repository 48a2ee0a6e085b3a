import { LATENCY_BUCKETS_MS } from './figuresRecorder';
import { latencyQuantile } from './latencyQuantile';

/** A histogram with the given counts per bucket index (bounds 5, 10, 25, 50, 100, 250, … ms). */
function histogram(counts: Record<number, number>): number[] {
  const histogram = new Array<number>(LATENCY_BUCKETS_MS.length + 1).fill(0);
  for (const [bucket, count] of Object.entries(counts)) histogram[Number(bucket)] = count;
  return histogram;
}
const OVERFLOW = LATENCY_BUCKETS_MS.length;

describe('latencyQuantile', () => {
  it('interpolates within the first bucket from 0', () => {
    // 4 requests ≤ 5 ms: rank 2 of 4 lies halfway from 0 to 5.
    expect(latencyQuantile(histogram({ 0: 4 }), 0.5)).toBe(2.5);
  });

  it('interpolates within a middle bucket between its bounds', () => {
    // 10 in (10, 25], 10 in (25, 50]: rank 19.8 is 9.8 of 10 into (25, 50] → 25 + 25 × 0.98.
    const counts = histogram({ 2: 10, 3: 10 });
    expect(latencyQuantile(counts, 0.99)).toBeCloseTo(49.5, 10);
    // Rank 10 is the last of (10, 25]: its upper bound.
    expect(latencyQuantile(counts, 0.5)).toBe(25);
    // Rank 2.5 is a quarter into (10, 25] → 10 + 15 × 0.25.
    expect(latencyQuantile(counts, 0.125)).toBe(13.75);
  });

  it('skips empty buckets on the way to the rank', () => {
    // 1 in (0, 5], 3 in (50, 100]: rank 3 is 2 of 3 into (50, 100].
    expect(latencyQuantile(histogram({ 0: 1, 4: 3 }), 0.75)).toBeCloseTo(50 + 50 * (2 / 3), 10);
  });

  it('answers the highest finite bound when the rank lies in the overflow bucket', () => {
    const counts = histogram({ 0: 1, [OVERFLOW]: 99 });
    expect(latencyQuantile(counts, 0.99)).toBe(5_000);
    expect(latencyQuantile(counts, 1)).toBe(5_000);
    // The rank of the single fast request stays in the first bucket.
    expect(latencyQuantile(counts, 0.01)).toBe(5);
  });

  it('answers the upper bound of the slowest non-empty bucket for q = 1', () => {
    expect(latencyQuantile(histogram({ 4: 3, 5: 1 }), 1)).toBe(250);
  });

  it('answers null for an empty histogram', () => {
    expect(latencyQuantile(histogram({}), 0.99)).toBeNull();
  });

  it('comes from summed buckets, not from averaging the parts’ quantiles', () => {
    // One replica served 99 fast requests, another 1 slow one; the fleet's p99 is still fast.
    const fast = histogram({ 0: 99 });
    const slow = histogram({ 7: 1 });
    const summed = fast.map((count, i) => count + (slow[i] ?? 0));
    expect(latencyQuantile(summed, 0.99)).toBe(5);
    // Averaging the replicas' p99s (≈ 4.95 and 995 ms) would claim ≈ 500 ms.
    expect(latencyQuantile(fast, 0.99)).toBeCloseTo(4.95, 10);
    expect(latencyQuantile(slow, 0.99)).toBeCloseTo(995, 10);
  });

  it.each([0, -0.5, 1.01, NaN])('refuses the quantile %p', (q) => {
    expect(() => latencyQuantile(histogram({ 0: 1 }), q)).toThrow(RangeError);
  });

  it('refuses counts of another bucket layout', () => {
    expect(() => latencyQuantile([1, 2, 3], 0.5)).toThrow(/11 buckets, not 3/);
  });
});
