import type { TestDatabase } from '@cinemaabyss/shared/testing';
import { createGatewayTestDatabase } from '../testing/gatewayTestDatabase';
import { LATENCY_BUCKETS_MS } from './figuresRecorder';
import type { FiguresRow } from './figuresRecorder';
import { createFiguresStore } from './figuresStore';
import type { FiguresStore } from './figuresStore';

const WINDOW = new Date('2026-12-06T10:00:00Z');
const LATER_WINDOW = new Date('2026-12-06T10:00:10Z');

function row(overrides: Partial<FiguresRow> = {}): FiguresRow {
  const latencyCounts = new Array<number>(LATENCY_BUCKETS_MS.length + 1).fill(0);
  latencyCounts[2] = 3;
  return {
    migration: 'movies',
    side: 'new',
    surface: 'rest',
    windowStart: WINDOW,
    windowSeconds: 10,
    requests: 3,
    failures: 1,
    latencyCounts,
    shadow: { match: 2, mismatch: 1, error: 0, skipped: 0, noise: 1 },
    ...overrides,
  };
}

describe('the fleet figures table', () => {
  let db: TestDatabase;
  let store: FiguresStore;

  beforeAll(async () => {
    db = await createGatewayTestDatabase();
    store = createFiguresStore(db.pool);
  });
  afterAll(async () => {
    await db?.drop();
  });
  beforeEach(async () => {
    await db.pool.query('DELETE FROM gateway.migration_figures');
  });

  it('sums two replicas’ counts, and two flushes of one window, per side and surface', async () => {
    await store.add('replica-a', [row(), row({ side: 'old', requests: 5, failures: 0 })]);
    await store.add('replica-b', [row({ windowStart: LATER_WINDOW })]);
    await store.add('replica-a', [row({ requests: 1, failures: 0 })]);

    const totals = await store.totals('movies', WINDOW);

    expect(totals).toEqual([
      expect.objectContaining({ side: 'new', surface: 'rest', requests: 7, failures: 2 }),
      expect.objectContaining({ side: 'old', surface: 'rest', requests: 5, failures: 0 }),
    ]);
    const newSide = totals[0];
    expect(newSide?.latencyCounts).toHaveLength(LATENCY_BUCKETS_MS.length + 1);
    expect(newSide?.latencyCounts[2]).toBe(9);
    expect(newSide?.shadow).toEqual({ match: 6, mismatch: 3, error: 0, skipped: 0, noise: 3 });
    const { rows } = await db.pool.query('SELECT replica FROM gateway.migration_figures');
    expect(rows).toHaveLength(3);
  });

  it('counts only the windows since the time asked for', async () => {
    await store.add('replica-a', [row(), row({ windowStart: LATER_WINDOW, requests: 4 })]);

    const totals = await store.totals('movies', LATER_WINDOW);

    expect(totals).toEqual([expect.objectContaining({ side: 'new', requests: 4 })]);
  });

  it('sums every replica and surface per window and side, bucket by bucket, oldest window first', async () => {
    const latency = (counts: Record<number, number>) => {
      const latencyCounts = new Array<number>(LATENCY_BUCKETS_MS.length + 1).fill(0);
      for (const [bucket, count] of Object.entries(counts)) latencyCounts[Number(bucket)] = count;
      return latencyCounts;
    };
    const shadow = { match: 1, mismatch: 0, error: 0, skipped: 2, noise: 0 };
    await db.pool.query(
      `INSERT INTO gateway.migrations (name, percent, updated_by) VALUES ('other', 0, 'tests')
       ON CONFLICT DO NOTHING`,
    );
    await store.add('replica-a', [
      row({ requests: 2, failures: 1, latencyCounts: latency({ 0: 1, 3: 1 }) }),
      row({ surface: 'graphql', requests: 3, failures: 0, latencyCounts: latency({ 3: 3 }) }),
      row({ side: 'old', requests: 4, failures: 0, latencyCounts: latency({ 1: 4 }), shadow }),
      row({
        windowStart: LATER_WINDOW,
        requests: 1,
        failures: 0,
        latencyCounts: latency({ 10: 1 }),
      }),
    ]);
    await store.add('replica-b', [
      row({ requests: 5, failures: 2, latencyCounts: latency({ 0: 2, 10: 3 }) }),
      row({
        surface: 'graphql',
        side: 'old',
        requests: 6,
        latencyCounts: latency({ 1: 6 }),
        shadow,
      }),
      // Another migration's rows stay out.
      row({ migration: 'other', requests: 100, latencyCounts: latency({ 0: 100 }) }),
    ]);

    const windows = await store.series('movies', WINDOW);

    expect(windows).toEqual([
      {
        windowStart: WINDOW,
        windowSeconds: 10,
        side: 'new',
        requests: 10,
        failures: 3,
        latencyCounts: latency({ 0: 3, 3: 4, 10: 3 }),
        shadow: { match: 6, mismatch: 3, error: 0, skipped: 0, noise: 3 },
      },
      {
        windowStart: WINDOW,
        windowSeconds: 10,
        side: 'old',
        requests: 10,
        failures: 1,
        latencyCounts: latency({ 1: 10 }),
        shadow: { match: 2, mismatch: 0, error: 0, skipped: 4, noise: 0 },
      },
      {
        windowStart: LATER_WINDOW,
        windowSeconds: 10,
        side: 'new',
        requests: 1,
        failures: 0,
        latencyCounts: latency({ 10: 1 }),
        shadow: { match: 2, mismatch: 1, error: 0, skipped: 0, noise: 1 },
      },
    ]);
    expect(await store.series('movies', LATER_WINDOW)).toEqual([windows[2]]);
    expect(await store.series('nothing-here', WINDOW)).toEqual([]);
  });

  it('prunes windows that started before the retention, and nothing after', async () => {
    await store.add('replica-a', [row(), row({ windowStart: LATER_WINDOW })]);

    expect(await store.prune(LATER_WINDOW)).toBe(1);

    const { rows } = await db.pool.query<{ window_start: Date }>(
      'SELECT window_start FROM gateway.migration_figures',
    );
    expect(rows).toEqual([{ window_start: LATER_WINDOW }]);
  });

  it('refuses a side or surface the table does not know, writing nothing', async () => {
    await expect(
      store.add('replica-a', [row(), row({ side: 'sideways' as FiguresRow['side'] })]),
    ).rejects.toThrow(/migration_figures_side/);

    const { rows } = await db.pool.query('SELECT 1 FROM gateway.migration_figures');
    expect(rows).toEqual([]);
  });
});
