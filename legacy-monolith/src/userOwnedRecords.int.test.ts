import { expectError, sendJson } from '@cinemaabyss/shared/testing';
import { startMonolith } from './testing/startMonolith';
import type { RunningMonolith } from './testing/startMonolith';

/** What every user-owned record has; the rest of each shape is its own file's business. */
interface UserOwned {
  id: number;
  user_id: number;
}

const manyIds = (n: number) => Array.from({ length: n }, (_, i) => i + 1).join(',');

/**
 * Payments and subscriptions share one store (`userOwnedRecords.ts`), so the batch lookups the
 * monolith subgraph's DataLoaders rely on are held to the same rules on both resources.
 */
describe.each(['payments', 'subscriptions'])(
  'legacy monolith /api/%s batch lookups',
  (resource) => {
    let monolith: RunningMonolith;
    const url = (path = '') => `${monolith.url}/api/${resource}${path}`;

    beforeAll(async () => {
      monolith = await startMonolith();
    });
    afterAll(async () => {
      await monolith.stop();
    });

    it('returns the records of the listed users by ?user_ids=, as ?user_id= would one by one', async () => {
      const perUser = await Promise.all(
        [1, 3].map(async (id) => (await sendJson<UserOwned[]>(url(`?user_id=${id}`))).body),
      );
      const response = await sendJson<UserOwned[]>(url('?user_ids=3,999,1'));
      expect(response.status).toBe(200);
      expect(response.body).toEqual(perUser.flat().sort((a, b) => a.id - b.id));
      expect(response.body.map((r) => r.user_id).sort()).toEqual([1, 3]);
      expect((await sendJson(url('?user_ids=4040'))).body).toEqual([]);
    });

    it('returns the listed records by ?ids=, narrowed by ?user_ids= when both are given', async () => {
      expect((await sendJson<UserOwned[]>(url('?ids=3,1,777'))).body.map((r) => r.id)).toEqual([
        1, 3,
      ]);
      expect(
        (await sendJson<UserOwned[]>(url('?ids=2,3&user_ids=1,2'))).body.map((r) => r.id),
      ).toEqual([2]);
    });

    it('looks up the records of many users with one SQL statement', async () => {
      const query = jest.spyOn(monolith.db.pool, 'query');
      try {
        const response = await sendJson<UserOwned[]>(url(`?user_ids=${manyIds(1000)}`));
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
      ['user_ids', `?user_ids=${manyIds(1001)}`],
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
  },
);
