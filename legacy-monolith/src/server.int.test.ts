import { createSilentLogger } from '@cinemaabyss/shared/logging';
import { createPool } from '@cinemaabyss/shared/db';
import { createMemoryLogger, expectError, sendJson } from '@cinemaabyss/shared/testing';
import { createServer } from './server';
import { startMonolith } from './testing/startMonolith';
import type { RunningMonolith } from './testing/startMonolith';

describe('legacy monolith server', () => {
  let monolith: RunningMonolith;
  const logs = createMemoryLogger({ name: 'legacy-monolith' });

  beforeAll(async () => {
    monolith = await startMonolith({ logger: logs.logger });
  });
  afterAll(async () => {
    await monolith.stop();
  });

  it('reports a reachable database on GET /health', async () => {
    const response = await sendJson(`${monolith.url}/health`);
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ status: true });
  });

  it('echoes x-request-id and logs one JSON line per request with it', async () => {
    const response = await sendJson(`${monolith.url}/api/users?id=1`, {
      headers: { 'x-request-id': 'req-abc-123' },
    });
    expect(response.headers.get('x-request-id')).toBe('req-abc-123');
    expect(logs.lines).toContainEqual(
      expect.objectContaining({
        requestId: 'req-abc-123',
        url: '/api/users?id=1',
        status: 200,
        level: 'info',
      }),
    );
    const generated = await sendJson(`${monolith.url}/health`);
    expect(generated.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('answers unknown routes with a 404 JSON error', async () => {
    expectError(
      await sendJson(`${monolith.url}/api/nothing`),
      404,
      /no route for GET \/api\/nothing/,
    );
  });

  it('hides internal failures behind {"error": "internal error"} and logs them', async () => {
    await monolith.db.pool.query(
      'ALTER TABLE views RENAME TO views_gone; ALTER TABLE payments RENAME TO payments_gone',
    );
    try {
      const response = await sendJson(`${monolith.url}/api/payments`);
      expect(response.status).toBe(500);
      expect(response.body).toEqual({ error: 'internal error' });
      expect(logs.lines).toContainEqual(
        expect.objectContaining({ level: 'error', msg: 'request failed' }),
      );
    } finally {
      await monolith.db.pool.query(
        'ALTER TABLE payments_gone RENAME TO payments; ALTER TABLE views_gone RENAME TO views',
      );
    }
  });
});

describe('legacy monolith with its database down', () => {
  it('answers GET /health with 503 and {"status": false} promptly', async () => {
    // Nothing listens on port 1: every connection attempt is refused.
    const pool = createPool({
      connectionString: 'postgres://postgres@127.0.0.1:1/cinemaabyss',
      applicationName: 'test',
      connectionTimeoutMillis: 1_000,
    });
    const server = await createServer(
      { port: 0, host: '127.0.0.1', dbConnectionString: '' },
      { logger: createSilentLogger(), pool },
    );
    const url = await server.listen(0);
    try {
      const response = await sendJson(`${url}/health`);
      expect(response.status).toBe(503);
      expect(response.body).toMatchObject({ status: false });
      expectError(await sendJson(`${url}/api/users`), 500, /^internal error$/);
    } finally {
      await server.close();
      await pool.end();
    }
  });
});
