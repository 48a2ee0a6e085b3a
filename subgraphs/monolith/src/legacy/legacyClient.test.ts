import { AppError } from '@cinemaabyss/shared/http';
import { createSilentLogger } from '@cinemaabyss/shared/logging';
import { isSettled, useFakeClock } from '@cinemaabyss/shared/testing';
import { closedLoopbackUrl } from '../testing/closedLoopbackUrl';
import { LEGACY_URL, useLegacyMock } from '../testing/legacyMock';
import { createLegacyClient } from './legacyClient';
import type { LegacyClient } from './legacyClient';

/** The AppError a call rejected with, so code and message are asserted together. */
async function rejection(call: Promise<unknown>): Promise<AppError> {
  const err = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (err instanceof AppError) return err;
  throw new Error(`expected an AppError, got ${String(err)}`);
}

describe('legacy REST client', () => {
  // Declared first so it runs first: the mock's own checks close its agent on real timers.
  afterEach(() => jest.useRealTimers());
  const { calls, dispatcher, mockLegacy } = useLegacyMock();
  let client: LegacyClient;

  beforeEach(() => {
    client = createLegacyClient({
      baseUrl: LEGACY_URL,
      timeoutMs: 200,
      logger: createSilentLogger(),
      dispatcher,
    });
  });
  afterEach(async () => {
    await client.close();
  });

  it('sends x-request-id and JSON through its dispatcher', async () => {
    mockLegacy()
      .post('/api/users', { username: 'neo', email: 'neo@example.com' })
      .matchHeader('x-request-id', 'req-42')
      .matchHeader('content-type', 'application/json')
      .reply(201, { id: 7, username: 'neo', email: 'neo@example.com' });

    const api = client.forRequest('req-42');
    await expect(api.createUser({ username: 'neo', email: 'neo@example.com' })).resolves.toEqual({
      id: 7,
      username: 'neo',
      email: 'neo@example.com',
    });
    expect(calls).toHaveLength(1);
    expect(calls[0]?.headers['x-request-id']).toBe('req-42');
  });

  it('asks for batches with one comma-separated list and skips empty ones', async () => {
    mockLegacy()
      .get('/api/payments', { user_ids: '3,1,2' })
      .reply(200, [{ id: 1, user_id: 1, amount: 5, timestamp: '2025-01-01T00:00:00Z' }]);

    const api = client.forRequest();
    expect(await api.paymentsByUserIds([3, 1, 2])).toHaveLength(1);
    expect(await api.usersByIds([])).toEqual([]);
    expect(calls.map((c) => c.path)).toEqual(['/api/payments?user_ids=3,1,2']);
  });

  it.each([
    [400, 'user_id 999 does not exist', 'BAD_USER_INPUT'],
    [422, 'user_id 999 does not exist', 'BAD_USER_INPUT'],
    [405, 'method PATCH is not allowed on /api/payments; use GET, POST, HEAD', 'BAD_USER_INPUT'],
    [413, 'request body is larger than the limit of 1048576 bytes', 'BAD_USER_INPUT'],
    [415, 'Content-Type must be application/json', 'BAD_USER_INPUT'],
    [404, 'user 9 not found', 'NOT_FOUND'],
    [409, 'a user with this username already exists: neo', 'CONFLICT'],
  ])(
    'maps REST %i to %s with the legacy message (a 4xx is never an outage)',
    async (status, message, code) => {
      mockLegacy().post('/api/payments').reply(status, { error: message });
      const err = await rejection(client.forRequest().createPayment({ user_id: 999, amount: 5 }));
      expect({ code: err.code, message: err.message }).toEqual({ code, message });
    },
  );

  it.each([500, 502, 503])(
    'maps REST %i to SERVICE_UNAVAILABLE without its body',
    async (status) => {
      mockLegacy().get('/api/users').reply(status, { error: 'relation "users" is locked' });
      const err = await rejection(client.forRequest().listUsers());
      expect(err.code).toBe('SERVICE_UNAVAILABLE');
      expect(err.message).toBe(`the legacy monolith failed (HTTP ${status})`);
    },
  );

  it('maps a reply that is not JSON to SERVICE_UNAVAILABLE', async () => {
    mockLegacy().get('/api/users').reply(200, '<html>proxy error</html>');
    expect((await rejection(client.forRequest().listUsers())).code).toBe('SERVICE_UNAVAILABLE');
  });

  it('gives up after timeoutMs when the monolith is slow, with SERVICE_UNAVAILABLE', async () => {
    useFakeClock();
    mockLegacy().get('/api/users').delay(2_000).reply(200, []);
    const listing = client.forRequest().listUsers();
    const outcome = rejection(listing);

    await jest.advanceTimersByTimeAsync(199);
    expect(await isSettled(listing)).toBe(false);
    await jest.advanceTimersByTimeAsync(1);
    expect(await isSettled(listing)).toBe(true);
    const err = await outcome;
    expect({ code: err.code, message: err.message }).toEqual({
      code: 'SERVICE_UNAVAILABLE',
      message: 'the legacy monolith did not answer within 200 ms',
    });
  });

  it('maps a refused connection to SERVICE_UNAVAILABLE', async () => {
    const closed = await closedLoopbackUrl();
    const offline = createLegacyClient({ baseUrl: closed, logger: createSilentLogger() });
    try {
      const err = await rejection(offline.forRequest().listUsers());
      expect({ code: err.code, message: err.message }).toEqual({
        code: 'SERVICE_UNAVAILABLE',
        message: 'the legacy monolith is unreachable',
      });
    } finally {
      await offline.close();
    }
  });

  it('reports health from GET /health and never throws', async () => {
    useFakeClock();
    mockLegacy().get('/health').reply(200, { status: true });
    mockLegacy().get('/health').reply(503, { status: false, error: 'database unreachable' });
    mockLegacy().get('/health').delay(1_000).reply(200, { status: true });
    const api = client.forRequest();
    expect(await api.isHealthy()).toBe(true);
    expect(await api.isHealthy()).toBe(false);

    // Silent past timeoutMs: unhealthy at the deadline, not when the late 200 would come.
    const silent = api.isHealthy();
    await jest.advanceTimersByTimeAsync(199);
    expect(await isSettled(silent)).toBe(false);
    await jest.advanceTimersByTimeAsync(1);
    expect(await isSettled(silent)).toBe(true);
    expect(await silent).toBe(false);
  });
});
