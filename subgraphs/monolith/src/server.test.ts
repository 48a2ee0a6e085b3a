import { callerHeaders } from '@cinemaabyss/shared/identity';
import {
  createMemoryLogger,
  postGraphql,
  sendJson,
  untilIo,
  useFakeClock,
} from '@cinemaabyss/shared/testing';
import type {
  LegacyMovie,
  LegacyPayment,
  LegacySubscription,
  LegacyUser,
} from './legacy/legacyTypes';
import { LEGACY_URL, useLegacyMock } from './testing/legacyMock';
import { startMonolithSubgraph } from './testing/startMonolithSubgraph';
import type { RunningMonolithSubgraph } from './testing/startMonolithSubgraph';

const TIMEOUT_MS = 300;

/** n users, each with two payments and one subscription, as the monolith would list them. */
function legacyData(n: number) {
  const users: LegacyUser[] = Array.from({ length: n }, (_, i) => ({
    id: i + 1,
    username: `user${i + 1}`,
    email: `user${i + 1}@example.com`,
  }));
  const payments: LegacyPayment[] = users.flatMap((u) =>
    [1, 2].map((k) => ({
      id: u.id * 2 - 2 + k,
      user_id: u.id,
      amount: k * 10.5,
      timestamp: '2025-01-02T03:04:05Z',
    })),
  );
  const subscriptions: LegacySubscription[] = users.map((u) => ({
    id: u.id,
    user_id: u.id,
    plan_type: u.id % 2 ? 'basic' : 'premium',
    start_date: '2025-01-01T00:00:00Z',
    // Odd users' subscriptions run until far in the future, even users' ended long ago.
    end_date: u.id % 2 ? '2999-01-01T00:00:00Z' : '2025-02-01T00:00:00Z',
  }));
  return { users, payments, subscriptions };
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i + 1).join(',');

describe('monolith subgraph over a mocked legacy REST API', () => {
  // Declared first so it runs first: the mock's own checks close its agent on real timers.
  afterEach(() => jest.useRealTimers());
  const { calls, dispatcher, mockLegacy } = useLegacyMock();
  const { logger, lines } = createMemoryLogger({ level: 'warn' });
  /** Calls to `path` the legacy client gave up on (it logs each one as it fails). */
  const failedCalls = (path: string) =>
    lines.filter((line) => line.msg === 'legacy monolith call failed' && line.path === path).length;
  /** The legacy client gives a call to `path` up at TIMEOUT_MS of fake time, not a ms sooner. */
  const expectGivenUpExactlyAtTimeout = async (path: string) => {
    const failedBefore = failedCalls(path);
    await jest.advanceTimersByTimeAsync(TIMEOUT_MS - 1);
    expect(failedCalls(path)).toBe(failedBefore);
    await jest.advanceTimersByTimeAsync(1);
    expect(failedCalls(path)).toBe(failedBefore + 1);
  };
  let subgraph: RunningMonolithSubgraph;
  const graphql = async <T = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
    headers?: Record<string, string>,
  ) => {
    const { status, body } = await postGraphql<T>(subgraph.graphqlUrl, query, {
      variables,
      // As the gateway calls it for a caller who may read every user's data.
      headers: {
        ...callerHeaders({
          subject: 'tests',
          scopes: ['payments:read', 'subscriptions:read', 'users:read'],
        }),
        ...headers,
      },
    });
    return { status, ...body };
  };

  /** The three batched calls `users { payments subscriptions }` makes for n users. */
  const mockUsersWithPaymentsAndSubscriptions = (n: number) => {
    const { users, payments, subscriptions } = legacyData(n);
    mockLegacy()
      .get('/api/users')
      .reply(200, users)
      .get('/api/payments', { user_ids: range(n) })
      .reply(200, payments)
      .get('/api/subscriptions', { user_ids: range(n) })
      .reply(200, subscriptions);
  };

  beforeAll(async () => {
    subgraph = await startMonolithSubgraph({
      monolithUrl: LEGACY_URL,
      timeoutMs: TIMEOUT_MS,
      logger,
      legacyDispatcher: dispatcher,
    });
  });
  afterAll(async () => {
    await subgraph.stop();
  });

  describe('movies over GET /api/movies', () => {
    const catalogue: LegacyMovie[] = Array.from({ length: 30 }, (_, i) => ({
      id: i + 1,
      title: `Film ${i + 1}`,
      description: i % 3 ? `About film ${i + 1}` : null,
      genres: i % 2 ? ['Drama'] : ['Action', 'Crime'],
      rating: i % 4 ? 7.5 : null,
    }));

    it('answers movies(genre, limit, offset) from one REST call, filtered and cut in id order', async () => {
      mockLegacy().get('/api/movies').reply(200, catalogue);
      const result = await graphql<{ movies: { id: string; title: string; genres: string[] }[] }>(
        '{ movies(genre: "drama", limit: 3, offset: 1) { id title genres } }',
      );
      expect(result.errors).toBeUndefined();
      expect(calls).toHaveLength(1);
      expect(result.data?.movies).toEqual([
        { id: '4', title: 'Film 4', genres: ['Drama'] },
        { id: '6', title: 'Film 6', genres: ['Drama'] },
        { id: '8', title: 'Film 8', genres: ['Drama'] },
      ]);
    });

    it('answers the first 20 movies by default with every field the movies subgraph has', async () => {
      mockLegacy().get('/api/movies').reply(200, catalogue);
      const result = await graphql<{ movies: Record<string, unknown>[] }>(
        '{ movies { id title description genres rating } }',
      );
      expect(result.data?.movies).toHaveLength(20);
      expect(result.data?.movies[0]).toEqual({
        id: '1',
        title: 'Film 1',
        description: null,
        genres: ['Action', 'Crime'],
        rating: null,
      });
    });

    it('resolves movie(id) and 40 Movie references with one ?ids= call each', async () => {
      mockLegacy()
        .get('/api/movies', { ids: '7' })
        .reply(200, [catalogue[6]])
        .get('/api/movies', { ids: `${range(30)},9999` })
        .reply(200, catalogue);
      const one = await graphql<{ movie: { title: string } | null }>(
        '{ movie(id: "7") { title } }',
      );
      expect(one.data?.movie).toEqual({ title: 'Film 7' });
      const representations = [
        ...catalogue.map((m) => ({ __typename: 'Movie', id: String(m.id) })),
        ...catalogue.slice(0, 9).map((m) => ({ __typename: 'Movie', id: String(m.id) })),
        { __typename: 'Movie', id: '9999' },
      ];
      const result = await graphql<{ _entities: ({ title: string } | null)[] }>(
        'query ($r: [_Any!]!) { _entities(representations: $r) { ... on Movie { title rating } } }',
        { r: representations },
      );
      expect(result.errors).toBeUndefined();
      expect(calls).toHaveLength(2);
      expect(result.data?._entities).toHaveLength(40);
      expect(result.data?._entities[39]).toBeNull();
      expect(result.data?._entities[30]).toEqual({ title: 'Film 1', rating: null });
    });
  });

  describe('pages', () => {
    it('answers the first 20 users by default, and asks REST for their payments only', async () => {
      const { users, payments } = legacyData(50);
      mockLegacy()
        .get('/api/users')
        .reply(200, users)
        .get('/api/payments', { user_ids: range(20) })
        .reply(
          200,
          payments.filter((p) => p.user_id <= 20),
        );

      const result = await graphql<{ users: { id: string; payments: unknown[] }[] }>(
        '{ users { id payments { id } } }',
      );

      expect(result.errors).toBeUndefined();
      expect(result.data?.users.map((u) => u.id)).toEqual(range(20).split(','));
      expect(calls).toHaveLength(2);
    });

    it('cuts every list by its own limit and offset', async () => {
      const { users, payments } = legacyData(10);
      mockLegacy()
        .get('/api/users')
        .reply(200, users)
        .get('/api/payments', { user_ids: '4,5' })
        .reply(
          200,
          payments.filter((p) => p.user_id === 4 || p.user_id === 5),
        );

      const result = await graphql<{ users: { id: string; payments: { id: string }[] }[] }>(
        '{ users(limit: 2, offset: 3) { id payments(limit: 1, offset: 1) { id } } }',
      );

      expect(result.errors).toBeUndefined();
      expect(result.data?.users).toEqual([
        { id: '4', payments: [{ id: '8' }] },
        { id: '5', payments: [{ id: '10' }] },
      ]);
    });

    it.each([
      ['users(limit: 501)', 'limit must be between 1 and 500'],
      ['users(limit: 0)', 'limit must be between 1 and 500'],
      ['users(offset: -1)', 'offset must not be negative'],
      ['payments(userId: "1", limit: 1000)', 'limit must be between 1 and 500'],
    ])('refuses %s with BAD_USER_INPUT before any REST call', async (field, message) => {
      const result = await graphql(`{ ${field} { id } }`);
      expect(result.errors?.[0]).toMatchObject({
        message,
        extensions: { code: 'BAD_USER_INPUT' },
      });
      expect(calls).toHaveLength(0);
    });
  });

  describe('batching', () => {
    it('answers users { payments subscriptions } for 50 users with exactly 3 REST calls', async () => {
      mockUsersWithPaymentsAndSubscriptions(50);

      const result = await graphql<{ users: { id: string; payments: unknown[] }[] }>(
        `
          {
            users(limit: 500) {
              id
              username
              email
              payments {
                id
                amount
                timestamp
              }
              subscriptions {
                id
                planType
                startDate
                endDate
                active
              }
            }
          }
        `,
        undefined,
        { 'x-request-id': 'trace-50-users' },
      );

      expect(result.errors).toBeUndefined();
      expect(calls.map((c) => `${c.method} ${c.path}`)).toEqual([
        'GET /api/users',
        `GET /api/payments?user_ids=${range(50)}`,
        `GET /api/subscriptions?user_ids=${range(50)}`,
      ]);
      expect(calls.map((c) => c.headers['x-request-id'])).toEqual(Array(3).fill('trace-50-users'));
      expect(result.data?.users).toHaveLength(50);
      expect(result.data?.users[1]).toEqual({
        id: '2',
        username: 'user2',
        email: 'user2@example.com',
        payments: [
          { id: '3', amount: 10.5, timestamp: '2025-01-02T03:04:05Z' },
          { id: '4', amount: 21, timestamp: '2025-01-02T03:04:05Z' },
        ],
        subscriptions: [
          {
            id: '2',
            planType: 'premium',
            startDate: '2025-01-01T00:00:00Z',
            endDate: '2025-02-01T00:00:00Z',
            active: false,
          },
        ],
      });
      expect(result.data?.users[0]).toMatchObject({ subscriptions: [{ active: true }] });
    });

    it('resolves owners of nested payments and subscriptions from what it already fetched', async () => {
      mockUsersWithPaymentsAndSubscriptions(50);

      const result = await graphql<{
        users: {
          payments: { user: { username: string; subscriptions: { user: { id: string } }[] } }[];
        }[];
      }>(`
        {
          users(limit: 500) {
            payments {
              user {
                username
                subscriptions {
                  user {
                    id
                  }
                }
              }
            }
          }
        }
      `);

      expect(result.errors).toBeUndefined();
      expect(calls).toHaveLength(3);
      expect(result.data?.users[9]?.payments[1]?.user).toEqual({
        username: 'user10',
        subscriptions: [{ user: { id: '10' } }],
      });
    });

    it('splits more than 1000 user references into lists the monolith accepts', async () => {
      const { users, payments } = legacyData(1200);
      const ids = users.map((u) => u.id);
      const [first, rest] = [ids.slice(0, 1000).join(','), ids.slice(1000).join(',')];
      mockLegacy()
        .get('/api/users', { ids: first })
        .reply(200, users.slice(0, 1000))
        .get('/api/users', { ids: rest })
        .reply(200, users.slice(1000))
        .get('/api/payments', { user_ids: first })
        .reply(
          200,
          payments.filter((p) => p.user_id <= 1000),
        )
        .get('/api/payments', { user_ids: rest })
        .reply(
          200,
          payments.filter((p) => p.user_id > 1000),
        );

      const result = await graphql<{ _entities: { payments: { id: string }[] }[] }>(
        'query ($r: [_Any!]!) { _entities(representations: $r) { ... on User { payments { id } } } }',
        { r: users.map((u) => ({ __typename: 'User', id: String(u.id) })) },
      );

      expect(result.errors).toBeUndefined();
      expect(calls).toHaveLength(4);
      expect(result.data?._entities[1199]?.payments).toEqual([{ id: '2399' }, { id: '2400' }]);
    });

    it('resolves 50 User references with one REST call, and their payments with one more', async () => {
      const { users, payments } = legacyData(50);
      mockLegacy()
        .get('/api/users', { ids: `${range(50)},9999` })
        .reply(200, users)
        .get('/api/payments', { user_ids: range(50) })
        .reply(200, payments);
      const representations = [
        ...users.map((u) => ({ __typename: 'User', id: String(u.id) })),
        { __typename: 'User', id: '9999' },
        { __typename: 'User', id: 'not-a-number' },
      ];

      const result = await graphql<{ _entities: ({ username: string } | null)[] }>(
        `
          query ($representations: [_Any!]!) {
            _entities(representations: $representations) {
              ... on User {
                username
                payments {
                  id
                }
              }
            }
          }
        `,
        { representations },
      );

      expect(result.errors).toBeUndefined();
      expect(calls).toHaveLength(2);
      expect(result.data?._entities).toHaveLength(52);
      expect(result.data?._entities[49]).toEqual({
        username: 'user50',
        payments: [{ id: '99' }, { id: '100' }],
      });
      expect(result.data?._entities.slice(50)).toEqual([null, null]);
    });

    it('resolves Payment references with one ?ids= call, and their owners with one more', async () => {
      const { users, payments } = legacyData(3);
      mockLegacy()
        .get('/api/payments', { ids: '1,6,4,404' })
        .reply(200, [payments[0], payments[3], payments[5]])
        .get('/api/users', { ids: '1,3,2' })
        .reply(200, users);

      const result = await graphql<{ _entities: unknown[] }>(
        `
          query ($representations: [_Any!]!) {
            _entities(representations: $representations) {
              ... on Payment {
                amount
                user {
                  username
                }
              }
            }
          }
        `,
        { representations: ['1', '6', '4', '404'].map((id) => ({ __typename: 'Payment', id })) },
      );

      expect(result.errors).toBeUndefined();
      expect(calls).toHaveLength(2);
      expect(result.data?._entities).toEqual([
        { amount: 10.5, user: { username: 'user1' } },
        { amount: 21, user: { username: 'user3' } },
        { amount: 21, user: { username: 'user2' } },
        null,
      ]);
    });

    it('resolves mixed Payment and Subscription references with one ?ids= call per type', async () => {
      const { payments, subscriptions } = legacyData(3);
      mockLegacy()
        .get('/api/payments', { ids: '1,6' })
        .reply(200, [payments[0], payments[5]])
        .get('/api/subscriptions', { ids: '2,3' })
        .reply(200, [subscriptions[1], subscriptions[2]]);

      const result = await graphql<{ _entities: unknown[] }>(
        `
          query ($representations: [_Any!]!) {
            _entities(representations: $representations) {
              ... on Payment {
                id
                amount
              }
              ... on UserSubscription {
                id
                planType
                active
              }
            }
          }
        `,
        {
          representations: [
            { __typename: 'Payment', id: '1' },
            { __typename: 'UserSubscription', id: '2' },
            { __typename: 'Payment', id: '6' },
            { __typename: 'UserSubscription', id: '3' },
          ],
        },
      );

      expect(result.errors).toBeUndefined();
      expect(calls).toHaveLength(2);
      expect(result.data?._entities).toEqual([
        { id: '1', amount: 10.5 },
        { id: '2', planType: 'premium', active: false },
        { id: '6', amount: 21 },
        { id: '3', planType: 'basic', active: true },
      ]);
    });
  });

  describe('queries by id', () => {
    it('answers user(id) for an unknown id with null', async () => {
      mockLegacy().get('/api/users', { ids: '999' }).reply(200, []);
      const result = await graphql('{ user(id: "999") { id } }');
      expect(result).toEqual({ status: 200, data: { user: null } });
    });

    it('answers payments(userId) and subscriptions(userId) through the batch endpoints', async () => {
      const { payments, subscriptions } = legacyData(2);
      mockLegacy()
        .get('/api/payments', { user_ids: '2' })
        .reply(200, payments.slice(2))
        .get('/api/subscriptions', { user_ids: '2' })
        .reply(200, subscriptions.slice(1));
      const result = await graphql(
        '{ payments(userId: "2") { id } subscriptions(userId: "2") { planType } }',
      );
      expect(result.data).toEqual({
        payments: [{ id: '3' }, { id: '4' }],
        subscriptions: [{ planType: 'premium' }],
      });
    });

    it.each([
      ['{ user(id: "abc") { id } }', 'id'],
      ['{ user(id: "0") { id } }', 'id'],
      ['{ payments(userId: "1; DROP") { id } }', 'userId'],
      ['{ subscriptions(userId: "-1") { id } }', 'userId'],
    ])(
      'rejects a non-numeric id (%s) as BAD_USER_INPUT without calling REST',
      async (query, arg) => {
        const result = await graphql(query);
        expect(result.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
        expect(result.errors?.[0]?.message).toMatch(
          new RegExp(`^${arg} must be a positive integer`),
        );
        expect(calls).toHaveLength(0);
      },
    );
  });

  describe('mutations', () => {
    it('forwards createUser, createPayment and createSubscription as snake_case REST POSTs', async () => {
      mockLegacy()
        .post('/api/users', { username: 'neo', email: 'neo@example.com' })
        .reply(201, { id: 4, username: 'neo', email: 'neo@example.com' })
        .post('/api/payments', { user_id: 4, amount: 12.5 })
        .reply(201, { id: 9, user_id: 4, amount: 12.5, timestamp: '2025-05-05T05:05:05Z' })
        .post('/api/subscriptions', {
          user_id: 4,
          plan_type: 'family',
          start_date: '2025-01-01',
          end_date: '2999-01-01',
        })
        .reply(201, {
          id: 5,
          user_id: 4,
          plan_type: 'family',
          start_date: '2025-01-01T00:00:00Z',
          end_date: '2999-01-01T00:00:00Z',
        });

      const result = await graphql(`
        mutation {
          createUser(input: { username: "neo", email: "neo@example.com" }) {
            id
            username
          }
          createPayment(input: { userId: "4", amount: 12.5 }) {
            id
            amount
            user {
              email
            }
          }
          createSubscription(
            input: {
              userId: "4"
              planType: "family"
              startDate: "2025-01-01"
              endDate: "2999-01-01"
            }
          ) {
            id
            planType
            active
            user {
              username
            }
          }
        }
      `);

      expect(result.errors).toBeUndefined();
      expect(result.data).toEqual({
        createUser: { id: '4', username: 'neo' },
        createPayment: { id: '9', amount: 12.5, user: { email: 'neo@example.com' } },
        createSubscription: {
          id: '5',
          planType: 'family',
          active: true,
          user: { username: 'neo' },
        },
      });
      // The new user came back from POST /api/users, so no lookup was needed for `user`.
      expect(calls.map((c) => `${c.method} ${c.path}`)).toEqual([
        'POST /api/users',
        'POST /api/payments',
        'POST /api/subscriptions',
      ]);
    });

    it.each([
      [409, 'a user with this username already exists: user1', 'CONFLICT'],
      [400, 'email must be a valid email address', 'BAD_USER_INPUT'],
      [404, 'no route for POST /api/users', 'NOT_FOUND'],
    ])('turns REST %i into %s with the legacy message', async (status, message, code) => {
      mockLegacy().post('/api/users').reply(status, { error: message });
      const result = await graphql(
        'mutation { createUser(input: { username: "user1", email: "x@example.com" }) { id } }',
      );
      expect(result.data).toBeNull();
      expect(result.errors).toEqual([
        { message, locations: expect.any(Array), path: ['createUser'], extensions: { code } },
      ]);
    });

    it('rejects a non-numeric userId before calling REST', async () => {
      const result = await graphql(
        'mutation { createPayment(input: { userId: "one", amount: 1 }) { id } }',
      );
      expect(result.errors?.[0]).toMatchObject({
        message: 'input.userId must be a positive integer id, got "one"',
        extensions: { code: 'BAD_USER_INPUT' },
      });
      expect(calls).toHaveLength(0);
    });
  });

  describe('when the legacy monolith misbehaves', () => {
    it('answers SERVICE_UNAVAILABLE within the timeout when REST is slow, not a hang', async () => {
      useFakeClock();
      mockLegacy().get('/api/users').delay(5_000).reply(200, []);
      const answer = graphql('{ users { id } }');
      // The timeout runs from the REST call, made once the query has crossed a real socket.
      await untilIo(() => calls.length === 1, 'the REST call');
      await expectGivenUpExactlyAtTimeout('/api/users');

      const result = await answer;
      expect(result.data).toBeNull();
      expect(result.errors?.[0]).toMatchObject({
        message: `the legacy monolith did not answer within ${TIMEOUT_MS} ms`,
        extensions: { code: 'SERVICE_UNAVAILABLE' },
      });
    });

    it('answers SERVICE_UNAVAILABLE when REST fails with 500, hiding its body', async () => {
      mockLegacy().get('/api/users').reply(500, { error: 'internal error' });
      const result = await graphql('{ users { id } }');
      expect(result.errors?.[0]).toMatchObject({
        message: 'the legacy monolith failed (HTTP 500)',
        extensions: { code: 'SERVICE_UNAVAILABLE' },
      });
    });
  });

  describe('GET /health', () => {
    it('is 200 {"status": true} when the legacy monolith is healthy', async () => {
      mockLegacy().get('/health').reply(200, { status: true });
      const response = await sendJson(`${subgraph.url}/health`);
      expect(response).toMatchObject({ status: 200, body: { status: true } });
    });

    it('is 503 when the legacy monolith is unhealthy or silent', async () => {
      mockLegacy().get('/health').reply(503, { status: false });
      mockLegacy().get('/health').delay(2_000).reply(200, { status: true });
      const unhealthy = await sendJson(`${subgraph.url}/health`);
      expect(unhealthy).toMatchObject({ status: 503, body: { status: false } });

      useFakeClock();
      const silent = sendJson(`${subgraph.url}/health`);
      await untilIo(() => calls.length === 2, 'the second health check');
      await expectGivenUpExactlyAtTimeout('/health');
      expect(await silent).toMatchObject({ status: 503, body: { status: false } });
    });
  });
});
