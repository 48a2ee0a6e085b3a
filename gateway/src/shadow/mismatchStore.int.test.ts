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

    expect(latest.map((m) => m.request.path)).toEqual([
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
});
