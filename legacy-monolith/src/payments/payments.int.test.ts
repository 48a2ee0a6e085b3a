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

  describe('batch lookups ?user_ids= and ?ids=', () => {
    it('returns the payments of the listed users, as ?user_id= would one by one', async () => {
      const perUser = await Promise.all(
        [1, 3].map(async (id) => (await sendJson<Payment[]>(url(`?user_id=${id}`))).body),
      );
      const response = await sendJson<Payment[]>(url('?user_ids=3,999,1'));
      expect(response.status).toBe(200);
      expect(response.body).toEqual(perUser.flat().sort((a, b) => a.id - b.id));
      expect(response.body.map((p) => p.user_id).sort()).toEqual([1, 3]);
      expect((await sendJson(url('?user_ids=4040'))).body).toEqual([]);
    });

    it('returns the listed payments by ?ids=, narrowed by ?user_ids= when both are given', async () => {
      expect((await sendJson<Payment[]>(url('?ids=3,1,777'))).body.map((p) => p.id)).toEqual([
        1, 3,
      ]);
      expect(
        (await sendJson<Payment[]>(url('?ids=2,3&user_ids=1,2'))).body.map((p) => p.id),
      ).toEqual([2]);
    });

    it('looks up payments of many users with one SQL statement', async () => {
      const query = jest.spyOn(monolith.db.pool, 'query');
      try {
        const ids = Array.from({ length: 1000 }, (_, i) => i + 1).join(',');
        const response = await sendJson<Payment[]>(url(`?user_ids=${ids}`));
        expect(response.status).toBe(200);
        expect(response.body.length).toBeGreaterThanOrEqual(3);
        expect(query).toHaveBeenCalledTimes(1);
        expect(String(query.mock.calls[0]?.[0])).toMatch(/user_id = ANY\(\$1/);
      } finally {
        query.mockRestore();
      }
    });

    it.each([
      ['user_ids', '?user_ids=1,x'],
      ['user_ids', '?user_ids='],
      ['user_ids', '?user_ids=1&user_ids=2'],
      ['user_ids', `?user_ids=${Array.from({ length: 1001 }, (_, i) => i + 1).join(',')}`],
      ['ids', '?ids=0'],
      ['ids', '?ids=1;2'],
    ])('answers 400 naming %s for a bad list (%s)', async (name, query) => {
      expectError(await sendJson(url(query)), 400, new RegExp(`query parameter ${name}\\b`));
    });

    it('refuses combinations that would be ambiguous', async () => {
      expectError(await sendJson(url('?id=1&user_ids=1')), 400, /id cannot be combined/);
      expectError(await sendJson(url('?id=1&ids=1')), 400, /id cannot be combined/);
      expectError(await sendJson(url('?user_id=1&user_ids=1')), 400, /user_id and user_ids/);
    });
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
