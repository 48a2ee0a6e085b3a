import { LATENCY_BUCKETS_MS } from './figuresRecorder';
import type { FiguresWindow } from './figuresStore';
import { toSeries } from './migrationSeries';

const WINDOW = new Date('2026-12-06T10:00:00Z');
const LATER_WINDOW = new Date('2026-12-06T10:00:10Z');

function window(overrides: Partial<FiguresWindow> = {}): FiguresWindow {
  const latencyCounts = new Array<number>(LATENCY_BUCKETS_MS.length + 1).fill(0);
  // 20 requests in (10, 25] ms.
  latencyCounts[2] = 20;
  return {
    windowStart: WINDOW,
    windowSeconds: 10,
    side: 'new',
    requests: 20,
    failures: 1,
    latencyCounts,
    shadow: { match: 6, mismatch: 2, error: 1, skipped: 3, noise: 4 },
    ...overrides,
  };
}

describe('toSeries', () => {
  it('turns each window into a point: rate per second, failure rate, p99 and shadow match rate', () => {
    expect(toSeries([window()]).new).toEqual([
      {
        windowStart: '2026-12-06T10:00:00.000Z',
        requests: 20,
        requestsPerSecond: 2,
        failureRate: 0.05,
        // Rank 19.8 of 20 in (10, 25] → 10 + 15 × 0.99.
        p99Ms: expect.closeTo(24.85, 10),
        // Noise, errors and skipped runs are neither matches nor mismatches.
        shadowMatchRate: 0.75,
      },
    ]);
  });

  it('splits the windows by side, keeping their order', () => {
    const series = toSeries([
      window({ side: 'new', requests: 10 }),
      window({ side: 'old', requests: 30 }),
      window({ side: 'new', windowStart: LATER_WINDOW, requests: 40 }),
    ]);

    expect(series.new.map((point) => [point.windowStart, point.requestsPerSecond])).toEqual([
      ['2026-12-06T10:00:00.000Z', 1],
      ['2026-12-06T10:00:10.000Z', 4],
    ]);
    expect(series.old.map((point) => point.requestsPerSecond)).toEqual([3]);
  });

  it('answers null where there was nothing to divide: no requests, no comparisons', () => {
    // The side only received shadow calls: nothing served, some compared.
    const shadowedOnly = window({
      requests: 0,
      failures: 0,
      latencyCounts: new Array<number>(LATENCY_BUCKETS_MS.length + 1).fill(0),
      shadow: { match: 0, mismatch: 3, error: 0, skipped: 0, noise: 0 },
    });
    const unshadowed = window({
      side: 'old',
      shadow: { match: 0, mismatch: 0, error: 2, skipped: 5, noise: 7 },
    });

    const series = toSeries([shadowedOnly, unshadowed]);

    expect(series.new).toEqual([
      expect.objectContaining({
        requests: 0,
        requestsPerSecond: 0,
        failureRate: null,
        p99Ms: null,
        shadowMatchRate: 0,
      }),
    ]);
    expect(series.old).toEqual([
      expect.objectContaining({ failureRate: 0.05, shadowMatchRate: null }),
    ]);
  });

  it('answers two empty series for no windows', () => {
    expect(toSeries([])).toEqual({ old: [], new: [] });
  });
});
