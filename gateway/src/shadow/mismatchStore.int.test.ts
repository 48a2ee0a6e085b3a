import type { TestDatabase } from '@cinemaabyss/shared/testing';
import { createGatewayTestDatabase } from '../testing/gatewayTestDatabase';
import { createMismatchStore } from './mismatchStore';
import type { NewMismatch } from './mismatchStore';

const mismatch = (id: number): NewMismatch => ({
  migration: 'movies',
  surface: 'rest',
  request: { method: 'GET', path: `/api/movies?id=${id}`, userBucket: 7, servedSide: 'old' },
  status: { served: 200, shadow: 200 },
  latencyMs: { served: 2.5, shadow: 3.5 },
  differences: [{ path: '/title', served: '"Alien"', shadow: `"Alien ${id}"` }],
});

describe('the mismatches kept for the operator', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createGatewayTestDatabase();
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('keeps the newest per migration, bounded, and reads them back newest first', async () => {
    const store = createMismatchStore(db.pool, { keep: 3 });
    for (let id = 1; id <= 5; id += 1) await store.record(mismatch(id));

    const latest = await store.latest('movies', 10);

    expect(latest.map((m) => m.surface === 'rest' && m.request.path)).toEqual([
      '/api/movies?id=5',
      '/api/movies?id=4',
      '/api/movies?id=3',
    ]);
    expect(latest[0]).toEqual({
      at: expect.any(String),
      surface: 'rest',
      request: { method: 'GET', path: '/api/movies?id=5', userBucket: 7, servedSide: 'old' },
      status: { served: 200, shadow: 200 },
      latencyMs: { served: 2.5, shadow: 3.5 },
      differences: [{ path: '/title', served: '"Alien"', shadow: '"Alien 5"' }],
    });
    expect(await store.latest('movies', 1)).toHaveLength(1);
  });

  it('keeps a GraphQL mismatch by its operation and variables hash, with no path', async () => {
    const store = createMismatchStore(db.pool);
    const graphql = {
      migration: 'movies',
      surface: 'graphql',
      request: {
        method: 'POST',
        operationName: 'TopMovies',
        variablesHash: 'a3f9c2d41b7e',
        userBucket: null,
        servedSide: 'new',
      },
      status: { served: 200, shadow: 200 },
      latencyMs: { served: 4, shadow: 6 },
      differences: [{ path: '/data/movies/0/rating', served: '8.1', shadow: '8' }],
    } satisfies NewMismatch;
    await store.record(graphql);
    await store.record({
      ...graphql,
      request: { ...graphql.request, method: 'GET', operationName: null, variablesHash: null },
    });

    const [anonymous, named] = await store.latest('movies', 2);

    expect(named).toEqual({
      at: expect.any(String),
      surface: 'graphql',
      request: {
        method: 'POST',
        operationName: 'TopMovies',
        variablesHash: 'a3f9c2d41b7e',
        userBucket: null,
        servedSide: 'new',
      },
      status: { served: 200, shadow: 200 },
      latencyMs: { served: 4, shadow: 6 },
      differences: [{ path: '/data/movies/0/rating', served: '8.1', shadow: '8' }],
    });
    expect(anonymous?.request).toEqual({
      method: 'GET',
      operationName: null,
      variablesHash: null,
      userBucket: null,
      servedSide: 'new',
    });
    const { rows } = await db.pool.query(
      `SELECT path, operation_name FROM gateway.migration_mismatches
        WHERE surface = 'graphql' ORDER BY id`,
    );
    expect(rows).toEqual([
      { path: null, operation_name: 'TopMovies' },
      { path: null, operation_name: null },
    ]);
  });

  it('refuses a REST mismatch without a path, writing nothing', async () => {
    const before = await db.pool.query('SELECT id FROM gateway.migration_mismatches');
    await expect(
      db.pool.query(
        `INSERT INTO gateway.migration_mismatches
           (migration, surface, method, served_side, served_status, served_ms, shadow_status,
            shadow_ms, differences)
         VALUES ('movies', 'rest', 'GET', 'old', 200, 1, 200, 1, '[]')`,
      ),
    ).rejects.toThrow(/migration_mismatches_rest_path/);
    const after = await db.pool.query('SELECT id FROM gateway.migration_mismatches');
    expect(after.rows).toEqual(before.rows);
  });
});
