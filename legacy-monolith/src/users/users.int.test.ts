import { expectError, sendJson } from '@cinemaabyss/shared/testing';
import { startMonolith } from '../testing/startMonolith';
import type { RunningMonolith } from '../testing/startMonolith';
import type { User } from './usersRepository';

describe('legacy monolith /api/users', () => {
  let monolith: RunningMonolith;
  const url = (path = '') => `${monolith.url}/api/users${path}`;
  const userCount = async () =>
    (await monolith.db.pool.query<{ n: number }>('SELECT count(*) AS n FROM users')).rows[0]?.n;

  beforeAll(async () => {
    monolith = await startMonolith();
  });
  afterAll(async () => {
    await monolith.stop();
  });

  it('lists the seed users', async () => {
    const response = await sendJson<User[]>(url());
    expect(response.status).toBe(200);
    expect(response.body.slice(0, 3)).toEqual([
      { id: 1, username: 'user1', email: 'user1@example.com' },
      { id: 2, username: 'user2', email: 'user2@example.com' },
      { id: 3, username: 'user3', email: 'user3@example.com' },
    ]);
  });

  it('returns one user for ?id=N and 404 for an unknown id', async () => {
    expect((await sendJson(url('?id=2'))).body).toEqual({
      id: 2,
      username: 'user2',
      email: 'user2@example.com',
    });
    expectError(await sendJson(url('?id=424242')), 404, /user 424242/);
  });

  it('answers 400 for a non-numeric id', async () => {
    expectError(await sendJson(url('?id=two')), 400, /\bid\b/);
    expectError(await sendJson(url('?id=1&id=2')), 400, /\bid\b/);
  });

  describe('batch lookup ?ids=', () => {
    it('returns the listed users in id order and leaves unknown ids out', async () => {
      const response = await sendJson<User[]>(url('?ids=3,999,1,3'));
      expect(response.status).toBe(200);
      expect(response.body).toEqual([
        { id: 1, username: 'user1', email: 'user1@example.com' },
        { id: 3, username: 'user3', email: 'user3@example.com' },
      ]);
      expect((await sendJson(url('?ids=4040,5050'))).body).toEqual([]);
    });

    it('looks up many ids with one SQL statement', async () => {
      const query = jest.spyOn(monolith.db.pool, 'query');
      try {
        const ids = Array.from({ length: 200 }, (_, i) => i + 1).join(',');
        const response = await sendJson<User[]>(url(`?ids=${ids}`));
        expect(response.status).toBe(200);
        expect(response.body.map((u) => u.id).slice(0, 3)).toEqual([1, 2, 3]);
        expect(query).toHaveBeenCalledTimes(1);
        expect(String(query.mock.calls[0]?.[0])).toMatch(/= ANY\(\$1/);
      } finally {
        query.mockRestore();
      }
    });

    it.each([
      ['a non-numeric element', '?ids=1,two'],
      ['an empty list', '?ids='],
      ['an empty element', '?ids=1,,2'],
      ['a repeated parameter', '?ids=1&ids=2'],
      ['more than 1000 ids', `?ids=${Array.from({ length: 1001 }, (_, i) => i + 1).join(',')}`],
    ])('answers 400 naming ids for %s', async (_case, query) => {
      expectError(await sendJson(url(query)), 400, /query parameter ids\b/);
    });

    it('refuses ?id= together with ?ids=', async () => {
      expectError(await sendJson(url('?id=1&ids=2')), 400, /id and ids/);
    });
  });

  it('creates a user with 201', async () => {
    const response = await sendJson<User>(url(), {
      method: 'POST',
      body: { username: 'neo', email: 'neo@example.com' },
    });
    expect(response.status).toBe(201);
    expect(response.body).toEqual({
      id: expect.any(Number),
      username: 'neo',
      email: 'neo@example.com',
    });
    expect((await sendJson(url(`?id=${response.body.id}`))).body).toEqual(response.body);
  });

  it.each([
    ['username', { username: 'user1', email: 'fresh@example.com' }],
    ['email', { username: 'fresh', email: 'user1@example.com' }],
  ])('answers 409 for a duplicate %s and writes nothing', async (field, body) => {
    const before = await userCount();
    expectError(await sendJson(url(), { method: 'POST', body }), 409, new RegExp(field));
    expect(await userCount()).toBe(before);
  });

  it.each<[string, unknown, RegExp]>([
    ['malformed JSON', '{"username":', /malformed JSON/],
    ['an empty body', '', /empty|JSON object/],
    ['null', 'null', /JSON object/],
    ['a missing username', { email: 'a@example.com' }, /username is required/],
    ['a numeric username', { username: 7, email: 'a@example.com' }, /username must be a string/],
    ['a missing email', { username: 'abc' }, /email is required/],
    ['an invalid email', { username: 'abc', email: 'not-an-email' }, /email must be a valid email/],
  ])('rejects %s with 400 and writes nothing', async (_case, body, message) => {
    const before = await userCount();
    expectError(await sendJson(url(), { method: 'POST', body }), 400, message);
    expect(await userCount()).toBe(before);
  });

  it('creates 50 distinct users concurrently, all 201', async () => {
    const responses = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        sendJson<User>(url(), {
          method: 'POST',
          body: { username: `crowd${i}`, email: `crowd${i}@example.com` },
        }),
      ),
    );
    expect(responses.map((r) => r.status)).toEqual(Array(50).fill(201));
    expect(new Set(responses.map((r) => r.body.id)).size).toBe(50);
  });

  it('lets exactly one of a concurrent duplicate pair win (one 201, one 409)', async () => {
    const body = { username: 'twin', email: 'twin@example.com' };
    const responses = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        sendJson(url(), {
          method: 'POST',
          body: i < 2 ? body : { username: `solo${i}`, email: `solo${i}@example.com` },
        }),
      ),
    );
    const twins = responses
      .slice(0, 2)
      .map((r) => r.status)
      .sort();
    expect(twins).toEqual([201, 409]);
    expect(responses.slice(2).every((r) => r.status === 201)).toBe(true);
    const { rows } = await monolith.db.pool.query('SELECT id FROM users WHERE username = $1', [
      'twin',
    ]);
    expect(rows).toHaveLength(1);
  });
});
