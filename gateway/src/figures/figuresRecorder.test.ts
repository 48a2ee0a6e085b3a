import { LATENCY_BUCKETS_MS, createFiguresRecorder, latencyBucket } from './figuresRecorder';

const WINDOW_MS = 10_000;
const served = { migration: 'movies', side: 'new', surface: 'rest', failed: false } as const;

describe('latencyBucket', () => {
  it('puts a duration in the first bucket whose bound it does not exceed, else the overflow', () => {
    expect(latencyBucket(0)).toBe(0);
    expect(latencyBucket(5)).toBe(0);
    expect(latencyBucket(5.1)).toBe(1);
    expect(latencyBucket(5_000)).toBe(LATENCY_BUCKETS_MS.length - 1);
    expect(latencyBucket(5_001)).toBe(LATENCY_BUCKETS_MS.length);
  });
});

describe('the figures recorder', () => {
  let clock = 0;
  const recorder = () => createFiguresRecorder({ windowMs: WINDOW_MS, now: () => clock });
  beforeEach(() => (clock = 1_000_000_003_000));

  it('counts requests, failures and latencies per migration, side, surface and window', () => {
    const figures = recorder();
    figures.served({ ...served, durationMs: 3 });
    figures.served({ ...served, failed: true, durationMs: 700 });
    figures.served({ ...served, side: 'old', durationMs: 30 });
    clock += WINDOW_MS;
    figures.served({ ...served, durationMs: 3 });

    const rows = figures.drain();

    expect(rows).toHaveLength(3);
    const [first, old, next] = rows;
    expect(first).toMatchObject({
      side: 'new',
      windowStart: new Date(1_000_000_000_000),
      windowSeconds: 10,
      requests: 2,
      failures: 1,
    });
    expect(first?.latencyCounts[0]).toBe(1);
    expect(first?.latencyCounts[latencyBucket(700)]).toBe(1);
    expect(first?.latencyCounts.reduce((a, b) => a + b)).toBe(2);
    expect(old).toMatchObject({ side: 'old', requests: 1, failures: 0 });
    expect(next).toMatchObject({ windowStart: new Date(1_000_000_010_000), requests: 1 });
  });

  it('counts shadow results beside the requests of the side the shadow call went to', () => {
    const figures = recorder();
    figures.shadow({ migration: 'movies', side: 'new', surface: 'rest', result: 'mismatch' });
    figures.shadow({ migration: 'movies', side: 'new', surface: 'rest', result: 'match' });
    figures.shadow({ migration: 'movies', side: 'new', surface: 'rest', result: 'match' });
    figures.shadow({ migration: 'movies', side: 'new', surface: 'rest', result: 'noise' });

    expect(figures.drain()).toEqual([
      expect.objectContaining({
        requests: 0,
        shadow: { match: 2, mismatch: 1, error: 0, skipped: 0, noise: 1 },
      }),
    ]);
  });

  it('starts empty after a drain, and takes back the counts of a flush that failed', () => {
    const figures = recorder();
    figures.served({ ...served, durationMs: 3 });
    figures.shadow({ migration: 'movies', side: 'new', surface: 'rest', result: 'noise' });
    const failed = figures.drain();
    expect(figures.drain()).toEqual([]);

    figures.served({ ...served, durationMs: 3 });
    figures.restore(failed);
    clock += WINDOW_MS;
    figures.restore(failed);

    // Both restores go back to their own window, which the new request shares.
    expect(figures.drain()).toEqual([
      expect.objectContaining({
        windowStart: new Date(1_000_000_000_000),
        requests: 3,
        shadow: { match: 0, mismatch: 0, error: 0, skipped: 0, noise: 2 },
      }),
    ]);
  });
});
