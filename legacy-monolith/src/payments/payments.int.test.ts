import { expectError, sendJson } from '@cinemaabyss/shared/testing';
import { startMonolith } from '../testing/startMonolith';
import type { RunningMonolith } from '../testing/startMonolith';
import type { Payment } from './paymentsRepository';

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

describe('legacy monolith /api/payments', () => {
  let monolith: RunningMonolith;
  const url = (path = '') => `${monolith.url}/api/payments${path}`;
  const paymentCount = async () =>
    (await monolith.db.pool.query<{ n: number }>('SELECT count(*) AS n FROM payments')).rows[0]?.n;

  beforeAll(async () => {
    monolith = await startMonolith();
  });
  afterAll(async () => {
    await monolith.stop();
  });

  it('lists the seed payments', async () => {
    const response = await sendJson<Payment[]>(url());
    expect(response.status).toBe(200);
    expect(response.body.map(({ id, user_id, amount }) => ({ id, user_id, amount }))).toEqual([
      { id: 1, user_id: 1, amount: 9.99 },
      { id: 2, user_id: 2, amount: 19.99 },
      { id: 3, user_id: 3, amount: 29.99 },
    ]);
    for (const payment of response.body) expect(payment.timestamp).toMatch(RFC3339);
  });

  it('filters by ?user_id=N and returns one by ?id=N', async () => {
    const byUser = await sendJson<Payment[]>(url('?user_id=2'));
    expect(byUser.body.map((p) => p.id)).toEqual([2]);
    expect((await sendJson<Payment[]>(url('?user_id=999'))).body).toEqual([]);
    expect((await sendJson<Payment>(url('?id=3'))).body).toMatchObject({
      id: 3,
      user_id: 3,
      amount: 29.99,
    });
  });

  it('answers 404 for an unknown id and 400 for non-numeric ids', async () => {
    expectError(await sendJson(url('?id=9999')), 404, /payment 9999/);
    expectError(await sendJson(url('?id=x')), 400, /\bid\b/);
    expectError(await sendJson(url('?user_id=x')), 400, /user_id/);
  });

  it('creates a payment stamped with the server time', async () => {
    const before = Date.now();
    const response = await sendJson<Payment>(url(), {
      method: 'POST',
      body: { user_id: 1, amount: 12.5 },
    });
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({ id: expect.any(Number), user_id: 1, amount: 12.5 });
    expect(response.body.timestamp).toMatch(RFC3339);
    expect(Math.abs(Date.parse(response.body.timestamp) - before)).toBeLessThan(60_000);
  });

  it.each<[string, unknown, number, RegExp]>([
    ['an unknown user_id', { user_id: 999, amount: 5 }, 400, /user_id 999 does not exist/],
    ['a missing user_id', { amount: 5 }, 400, /user_id is required/],
    ['a string user_id', { user_id: '1', amount: 5 }, 400, /user_id must be an integer/],
    ['a zero amount', { user_id: 1, amount: 0 }, 400, /amount must be greater than 0/],
    ['a negative amount', { user_id: 1, amount: -3 }, 400, /amount/],
    ['three decimals', { user_id: 1, amount: 1.234 }, 400, /amount must have at most 2 decimal/],
    ['a string amount', { user_id: 1, amount: '10' }, 400, /amount must be a number/],
    ['malformed JSON', '{"user_id": 1, "amount"', 400, /malformed JSON/],
  ])('rejects %s and writes nothing', async (_case, body, status, message) => {
    const before = await paymentCount();
    expectError(await sendJson(url(), { method: 'POST', body }), status, message);
    expect(await paymentCount()).toBe(before);
  });

  it('answers 405 for PUT', async () => {
    const response = await sendJson(url(), { method: 'PUT', body: {} });
    expectError(response, 405);
    expect(response.headers.get('allow')).toBe('GET, POST, HEAD');
  });
});
