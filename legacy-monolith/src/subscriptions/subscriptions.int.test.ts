import { expectError, sendJson } from '@cinemaabyss/shared/testing';
import { startMonolith } from '../testing/startMonolith';
import type { RunningMonolith } from '../testing/startMonolith';
import type { Subscription } from './subscriptionsRepository';

describe('legacy monolith /api/subscriptions', () => {
  let monolith: RunningMonolith;
  const url = (path = '') => `${monolith.url}/api/subscriptions${path}`;
  const count = async () =>
    (await monolith.db.pool.query<{ n: number }>('SELECT count(*) AS n FROM subscriptions')).rows[0]
      ?.n;
  const valid = {
    user_id: 2,
    plan_type: 'premium',
    start_date: '2025-01-01T00:00:00Z',
    end_date: '2025-12-31T00:00:00Z',
  };

  beforeAll(async () => {
    monolith = await startMonolith();
  });
  afterAll(async () => {
    await monolith.stop();
  });

  it('lists the seed subscriptions: basic, premium, family', async () => {
    const response = await sendJson<Subscription[]>(url());
    expect(response.status).toBe(200);
    expect(response.body.map((s) => [s.id, s.user_id, s.plan_type])).toEqual([
      [1, 1, 'basic'],
      [2, 2, 'premium'],
      [3, 3, 'family'],
    ]);
    for (const s of response.body)
      expect(Date.parse(s.end_date)).toBeGreaterThan(Date.parse(s.start_date));
  });

  it('filters by ?user_id=N, returns one by ?id=N, 404 for an unknown id', async () => {
    expect(
      (await sendJson<Subscription[]>(url('?user_id=3'))).body.map((s) => s.plan_type),
    ).toEqual(['family']);
    expect((await sendJson<Subscription>(url('?id=1'))).body.plan_type).toBe('basic');
    expectError(await sendJson(url('?id=777')), 404, /subscription 777/);
    expectError(await sendJson(url('?user_id=-2')), 400, /user_id/);
  });

  it('creates a subscription with 201, dates in RFC 3339', async () => {
    const response = await sendJson<Subscription>(url(), { method: 'POST', body: valid });
    expect(response.status).toBe(201);
    expect(response.body).toEqual({ id: expect.any(Number), ...valid });
  });

  it('accepts plain dates as midnight UTC', async () => {
    const response = await sendJson<Subscription>(url(), {
      method: 'POST',
      body: { ...valid, start_date: '2025-03-01', end_date: '2025-04-01' },
    });
    expect(response.status).toBe(201);
    expect(response.body.start_date).toBe('2025-03-01T00:00:00Z');
  });

  it.each<[string, unknown, RegExp]>([
    ['an unknown user_id', { ...valid, user_id: 4040 }, /user_id 4040 does not exist/],
    ['a missing plan_type', { ...valid, plan_type: undefined }, /plan_type is required/],
    [
      'an invalid start_date',
      { ...valid, start_date: '31/01/2025' },
      /start_date must be an RFC 3339/,
    ],
    ['an impossible end_date', { ...valid, end_date: '2025-02-30T99:00:00Z' }, /end_date/],
    [
      'end_date before start_date',
      { ...valid, start_date: '2025-06-01', end_date: '2025-05-01' },
      /end_date must not be before start_date/,
    ],
  ])('rejects %s with 400 and writes nothing', async (_case, body, message) => {
    const before = await count();
    expectError(await sendJson(url(), { method: 'POST', body }), 400, message);
    expect(await count()).toBe(before);
  });
});
