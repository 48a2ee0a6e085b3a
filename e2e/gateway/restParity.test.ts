import { sendJson } from '@cinemaabyss/shared/testing';
import type { SendOptions } from '@cinemaabyss/shared/testing';
import { startStack } from '../support/startStack';
import type { Stack } from '../support/startStack';

/** Requests that read or are rejected: repeating them changes nothing, so both sides must agree. */
const REQUESTS: [string, SendOptions][] = [
  ['/api/users', {}],
  ['/api/users?id=1', {}],
  ['/api/users?id=999', {}],
  ['/api/users?id=abc', {}],
  ['/api/users', { method: 'POST', body: '{"username":' }],
  ['/api/users', { method: 'POST', body: { username: 'user1', email: 'user1@example.com' } }],
  ['/api/users', { method: 'POST', body: { username: 'x', email: 'nope' } }],
  ['/api/users', { method: 'DELETE' }],
  ['/api/movies', {}],
  ['/api/movies?id=2', {}],
  ['/api/movies?id=0', {}],
  ['/api/movies', { method: 'POST', body: { title: 'T', description: 'd', rating: 11 } }],
  ['/api/movies', { method: 'POST', body: 'x=1', headers: { 'content-type': 'text/plain' } }],
  ['/api/payments', {}],
  ['/api/payments?user_id=2', {}],
  ['/api/payments?id=1', {}],
  ['/api/payments', { method: 'POST', body: { user_id: 999, amount: 5 } }],
  ['/api/payments', { method: 'PUT', body: {} }],
  ['/api/subscriptions', {}],
  ['/api/subscriptions?user_id=3', {}],
  ['/api/subscriptions?id=404', {}],
  [
    '/api/subscriptions',
    {
      method: 'POST',
      body: { user_id: 1, plan_type: 'basic', start_date: 'soon', end_date: 'later' },
    },
  ],
];

describe('REST through the gateway', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => {
    await stack.stop();
  });

  it.each(REQUESTS)(
    '%s (%j) answers exactly as the monolith does directly',
    async (path, options) => {
      const direct = await sendJson(`${stack.monolith.url}${path}`, options);
      const proxied = await sendJson(`${stack.gateway.url}${path}`, options);
      expect(proxied.status).toBe(direct.status);
      expect(proxied.body).toEqual(direct.body);
      expect(proxied.headers.get('content-type')).toBe(direct.headers.get('content-type'));
      expect(proxied.headers.get('allow')).toBe(direct.headers.get('allow'));
      expect(proxied.headers.get('x-served-by')).toBe('monolith');
    },
  );

  it('writes through: a user created via the gateway is served by the monolith', async () => {
    const created = await sendJson<{ id: number }>(`${stack.gateway.url}/api/users`, {
      method: 'POST',
      body: { username: 'through-gateway', email: 'through@example.com' },
    });
    expect(created.status).toBe(201);
    expect((await sendJson(`${stack.monolith.url}/api/users?id=${created.body.id}`)).body).toEqual(
      created.body,
    );
  });

  it('propagates x-request-id to the backend and back', async () => {
    const response = await sendJson(`${stack.gateway.url}/api/users?id=1`, {
      headers: { 'x-request-id': 'trace-42' },
    });
    expect(response.headers.get('x-request-id')).toBe('trace-42');
  });

  it('rejects a body over 1 MiB with 413 before any backend sees it', async () => {
    const response = await sendJson(`${stack.gateway.url}/api/movies`, {
      method: 'POST',
      body: { title: 'x'.repeat(1024 * 1024 + 10), description: '', rating: 1 },
    });
    expect(response.status).toBe(413);
    expect(response.body).toEqual({ error: expect.stringMatching(/larger than/) });
  });
});
