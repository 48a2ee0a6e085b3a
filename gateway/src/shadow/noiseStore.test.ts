import type { Pool } from '@cinemaabyss/shared/db';
import { createMemoryLogger } from '@cinemaabyss/shared/testing';
import { NOISE_EXPIRY_MS, createNoiseStore } from './noiseStore';

const T0 = Date.parse('2026-12-06T10:00:00Z');
const ROUTE = 'GET /api/movies';

interface Written {
  migration: string[];
  route: string[];
  path: string[];
  lastSeen: Date[];
}

/**
 * A stand-in for the table: the upserts it was sent, the rows a refresh reads, a switch to make
 * it fail, and a gate that holds writes until the test opens it.
 */
function fakePool() {
  const writes: Written[] = [];
  const state = {
    rows: [] as Array<{ migration: string; route: string; path: string; last_seen: Date }>,
    down: false,
    reads: 0,
    gate: undefined as Promise<void> | undefined,
  };
  const pool = {
    query: async (sql: string, params: unknown[]) => {
      if (state.down) throw new Error('connection refused');
      if (sql.includes('INSERT INTO gateway.migration_noise')) {
        await state.gate;
        const [migration, route, path, lastSeen] = params as [string[], string[], string[], Date[]];
        writes.push({ migration, route, path, lastSeen });
        return { rows: [], rowCount: path.length };
      }
      state.reads += 1;
      return { rows: state.rows, rowCount: state.rows.length };
    },
  } as unknown as Pool;
  return { pool, writes, state };
}

describe('the noise store', () => {
  let clock: number;
  const now = () => clock;
  beforeEach(() => (clock = T0));

  it('knows learned paths at once, per migration and route, until the expiry after the last noisy pair', () => {
    const { pool } = fakePool();
    const noise = createNoiseStore(pool, { logger: createMemoryLogger().logger, now });

    noise.learn('movies', ROUTE, ['/updated_at', '/*/rating']);

    expect(noise.noisyPaths('movies', ROUTE)).toEqual(new Set(['/updated_at', '/*/rating']));
    expect(noise.noisyPaths('movies', 'GET /api/users')).toEqual(new Set());
    expect(noise.noisyPaths('payments', ROUTE)).toEqual(new Set());

    clock = T0 + 5 * 60_000;
    noise.learn('movies', ROUTE, ['/updated_at']);
    clock = T0 + NOISE_EXPIRY_MS - 1;
    expect(noise.noisyPaths('movies', ROUTE)).toEqual(new Set(['/updated_at', '/*/rating']));
    // Ten minutes after its last noisy pair a mark expires; the one seen again later stays.
    clock = T0 + NOISE_EXPIRY_MS;
    expect(noise.noisyPaths('movies', ROUTE)).toEqual(new Set(['/updated_at']));
    clock = T0 + 5 * 60_000 + NOISE_EXPIRY_MS;
    expect(noise.noisyPaths('movies', ROUTE)).toEqual(new Set());
  });

  it('takes its expiry from the options', () => {
    const { pool } = fakePool();
    const noise = createNoiseStore(pool, {
      logger: createMemoryLogger().logger,
      now,
      expiryMs: 1_000,
    });
    noise.learn('movies', ROUTE, ['/a']);
    clock = T0 + 999;
    expect(noise.noisyPaths('movies', ROUTE).has('/a')).toBe(true);
    clock = T0 + 1_000;
    expect(noise.noisyPaths('movies', ROUTE).has('/a')).toBe(false);
  });

  it('writes in the background, one write at a time, each path once, the later learning together', async () => {
    const { pool, writes, state } = fakePool();
    let open = () => {};
    state.gate = new Promise<void>((resolve) => (open = resolve));
    const noise = createNoiseStore(pool, { logger: createMemoryLogger().logger, now });

    noise.learn('movies', ROUTE, ['/a', '/a']);
    clock = T0 + 1_000;
    noise.learn('movies', ROUTE, ['/b']);
    noise.learn('movies', 'GET /api/movies/:id', ['/b']);
    noise.learn('movies', ROUTE, []);
    expect(writes).toEqual([]);
    open();
    await noise.stop();

    expect(writes).toEqual([
      {
        migration: ['movies'],
        route: [ROUTE],
        path: ['/a'],
        lastSeen: [new Date(T0)],
      },
      {
        migration: ['movies', 'movies'],
        route: [ROUTE, 'GET /api/movies/:id'],
        path: ['/b', '/b'],
        lastSeen: [new Date(T0 + 1_000), new Date(T0 + 1_000)],
      },
    ]);
  });

  it('logs a failed write once, never throws, and keeps the marks in memory', async () => {
    const { pool, writes, state } = fakePool();
    const { logger, lines } = createMemoryLogger();
    const noise = createNoiseStore(pool, { logger, now });
    state.down = true;

    expect(() => noise.learn('movies', ROUTE, ['/a'])).not.toThrow();
    await noise.stop();
    noise.learn('movies', ROUTE, ['/b']);
    await noise.stop();

    expect(lines.filter((line) => line.level === 'warn').map((line) => line.msg)).toEqual([
      'could not write noise marks; this replica still leaves them out of its comparisons',
    ]);
    expect(noise.noisyPaths('movies', ROUTE)).toEqual(new Set(['/a', '/b']));
    state.down = false;
    noise.learn('movies', ROUTE, ['/c']);
    await noise.stop();
    expect(writes.map((write) => write.path)).toEqual([['/c']]);
    expect(lines.at(-1)?.msg).toBe('noise marks written again');
  });

  it('reads the fleet’s unexpired marks at start and every refreshMs, keeping memory when that fails', async () => {
    jest.useFakeTimers({ now: T0 });
    try {
      const { pool, state } = fakePool();
      const { logger, lines } = createMemoryLogger();
      const noise = createNoiseStore(pool, { logger, now, refreshMs: 5_000 });
      // Another replica learned /a; this one learned /mine itself.
      state.rows = [
        { migration: 'movies', route: ROUTE, path: '/a', last_seen: new Date(T0 - 60_000) },
      ];
      noise.learn('movies', ROUTE, ['/mine']);

      await noise.start();
      expect(state.reads).toBe(1);
      expect(noise.noisyPaths('movies', ROUTE)).toEqual(new Set(['/mine', '/a']));

      state.rows = [{ migration: 'movies', route: ROUTE, path: '/b', last_seen: new Date(T0) }];
      await jest.advanceTimersByTimeAsync(5_000);
      expect(state.reads).toBe(2);
      expect(noise.noisyPaths('movies', ROUTE)).toEqual(new Set(['/mine', '/a', '/b']));

      state.down = true;
      await jest.advanceTimersByTimeAsync(10_000);
      expect(noise.noisyPaths('movies', ROUTE)).toEqual(new Set(['/mine', '/a', '/b']));
      expect(lines.filter((line) => line.level === 'warn').map((line) => line.msg)).toEqual([
        "could not read the fleet's noise marks; keeping the ones in memory",
      ]);

      // What expired goes from memory; no refresh after stop().
      state.down = false;
      clock = T0 - 60_000 + NOISE_EXPIRY_MS;
      await jest.advanceTimersByTimeAsync(5_000);
      expect(noise.noisyPaths('movies', ROUTE)).toEqual(new Set(['/mine', '/b']));
      await noise.stop();
      const reads = state.reads;
      await jest.advanceTimersByTimeAsync(60_000);
      expect(state.reads).toBe(reads);
    } finally {
      jest.useRealTimers();
    }
  });

  it('keeps the later of what it learned and what the fleet read', async () => {
    const { pool, state } = fakePool();
    const noise = createNoiseStore(pool, { logger: createMemoryLogger().logger, now });
    noise.learn('movies', ROUTE, ['/a']);
    // The table holds an older sighting: the newer one in memory wins.
    state.rows = [
      { migration: 'movies', route: ROUTE, path: '/a', last_seen: new Date(T0 - 9 * 60_000) },
    ];
    await noise.start();
    await noise.stop();

    clock = T0 + NOISE_EXPIRY_MS - 1;
    expect(noise.noisyPaths('movies', ROUTE).has('/a')).toBe(true);
  });
});
