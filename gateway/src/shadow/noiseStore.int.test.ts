import { createMemoryLogger } from '@cinemaabyss/shared/testing';
import type { TestDatabase } from '@cinemaabyss/shared/testing';
import { createGatewayTestDatabase } from '../testing/gatewayTestDatabase';
import { NOISE_EXPIRY_MS, createNoiseStore } from './noiseStore';
import type { NoiseStoreOptions } from './noiseStore';

const T0 = Date.parse('2026-12-06T10:00:00Z');
const ROUTE = 'GET /api/movies';

describe('the noise marks of the fleet', () => {
  let db: TestDatabase;
  let clock: number;
  /** One replica's store on the shared table, on the test's clock; stopped after each test. */
  const stores: Array<ReturnType<typeof createNoiseStore>> = [];
  const replica = (options: Partial<NoiseStoreOptions> = {}) => {
    const store = createNoiseStore(db.pool, {
      logger: createMemoryLogger().logger,
      now: () => clock,
      ...options,
    });
    stores.push(store);
    return store;
  };
  const rows = async () =>
    (
      await db.pool.query<{ path: string; last_seen: Date }>(
        'SELECT path, last_seen FROM gateway.migration_noise ORDER BY path',
      )
    ).rows;

  beforeAll(async () => {
    db = await createGatewayTestDatabase();
    await db.pool.query(
      "INSERT INTO gateway.migrations (name, percent, updated_by) VALUES ('payments', 0, 'tests')",
    );
  });
  afterAll(async () => {
    await db?.drop();
  });
  beforeEach(async () => {
    clock = T0;
    await db.pool.query('DELETE FROM gateway.migration_noise');
  });
  afterEach(async () => {
    await Promise.all(stores.splice(0).map((store) => store.stop()));
  });

  it('lists what was learned, per migration, newest first', async () => {
    const noise = replica();
    noise.learn('movies', ROUTE, ['/updated_at', '/*/rating']);
    clock = T0 + 1_000;
    noise.learn('movies', 'POST /graphql Movies', ['/data/movies/*/rating']);
    noise.learn('payments', ROUTE, ['/paid_at']);
    await noise.stop();

    expect(await noise.list('movies')).toEqual([
      {
        route: 'POST /graphql Movies',
        path: '/data/movies/*/rating',
        lastSeen: new Date(T0 + 1_000).toISOString(),
      },
      { route: ROUTE, path: '/*/rating', lastSeen: new Date(T0).toISOString() },
      { route: ROUTE, path: '/updated_at', lastSeen: new Date(T0).toISOString() },
    ]);
    expect(await noise.list('payments')).toEqual([
      { route: ROUTE, path: '/paid_at', lastSeen: new Date(T0 + 1_000).toISOString() },
    ]);
    expect(await noise.list('nothing-learned')).toEqual([]);
  });

  it('moves last_seen forward only, whichever replica writes last', async () => {
    const first = replica();
    first.learn('movies', ROUTE, ['/a']);
    await first.stop();
    clock = T0 + 60_000;
    first.learn('movies', ROUTE, ['/a']);
    await first.stop();
    expect(await rows()).toEqual([{ path: '/a', last_seen: new Date(T0 + 60_000) }]);

    // A replica whose sighting is older leaves the newer one in place.
    const late = replica({ now: () => T0 + 30_000 });
    late.learn('movies', ROUTE, ['/a']);
    await late.stop();

    expect(await rows()).toEqual([{ path: '/a', last_seen: new Date(T0 + 60_000) }]);
  });

  it('brings what another replica learned into memory on refresh', async () => {
    const other = replica();
    other.learn('movies', ROUTE, ['/a']);
    await other.stop();
    const noise = replica({ refreshMs: 50 });
    expect(noise.noisyPaths('movies', ROUTE)).toEqual(new Set());

    await noise.start();
    expect(noise.noisyPaths('movies', ROUTE)).toEqual(new Set(['/a']));

    other.learn('movies', ROUTE, ['/b']);
    await other.stop();
    const deadline = Date.now() + 5_000;
    while (!noise.noisyPaths('movies', ROUTE).has('/b') && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(noise.noisyPaths('movies', ROUTE)).toEqual(new Set(['/a', '/b']));
  });

  it('lists and keeps no mark past its expiry, and prunes the table on refresh', async () => {
    const noise = replica();
    noise.learn('movies', ROUTE, ['/old']);
    clock = T0 + 5 * 60_000;
    noise.learn('movies', ROUTE, ['/new']);
    await noise.stop();

    clock = T0 + NOISE_EXPIRY_MS;
    expect((await noise.list('movies')).map((mark) => mark.path)).toEqual(['/new']);
    const reader = replica();
    await reader.start();
    expect(reader.noisyPaths('movies', ROUTE)).toEqual(new Set(['/new']));
    expect(noise.noisyPaths('movies', ROUTE)).toEqual(new Set(['/new']));
    expect((await rows()).map((row) => row.path)).toEqual(['/new']);

    clock = T0 + 5 * 60_000 + NOISE_EXPIRY_MS;
    expect(await noise.list('movies')).toEqual([]);
    expect(noise.noisyPaths('movies', ROUTE)).toEqual(new Set());
  });

  it('logs a write the table refuses, and never throws', async () => {
    const { logger, lines } = createMemoryLogger();
    const noise = replica({ logger });

    noise.learn('no-such-migration', ROUTE, ['/a']);
    await noise.stop();

    expect(lines).toEqual([
      expect.objectContaining({
        level: 'warn',
        msg: 'could not write noise marks; this replica still leaves them out of its comparisons',
        err: expect.stringMatching(/foreign key/),
      }),
    ]);
    expect(await rows()).toEqual([]);
  });
});
