import { callerHeaders } from '@cinemaabyss/shared/identity';
import type { Caller } from '@cinemaabyss/shared/identity';
import { startMonolith } from '@cinemaabyss/legacy-monolith/testing';
import type { RunningMonolith } from '@cinemaabyss/legacy-monolith/testing';
import { postGraphql, sendJson } from '@cinemaabyss/shared/testing';
import type { LegacyPayment, LegacySubscription, LegacyUser } from './legacy/legacyTypes';
import { closedLoopbackUrl } from './testing/closedLoopbackUrl';
import { startMonolithSubgraph } from './testing/startMonolithSubgraph';
import type { RunningMonolithSubgraph } from './testing/startMonolithSubgraph';

interface GqlUser {
  id: string;
  username: string;
  email: string;
  payments: { id: string; amount: number; timestamp: string }[];
  subscriptions: {
    id: string;
    planType: string;
    startDate: string;
    endDate: string;
    active: boolean;
  }[];
}

const USER_FIELDS = `id username email
  payments { id amount timestamp }
  subscriptions { id planType startDate endDate active }`;

describe('monolith subgraph against the real legacy monolith', () => {
  let monolith: RunningMonolith;
  let subgraph: RunningMonolithSubgraph;
  const rest = <T>(path: string) => sendJson<T>(`${monolith.url}${path}`);
  /** As the gateway calls the subgraph: for `caller` (default: one who may read anyone's; null: anonymous). */
  const graphql = async <T>(
    query: string,
    variables?: Record<string, unknown>,
    caller: Caller | null = {
      subject: 'tests',
      scopes: ['payments:read', 'subscriptions:read', 'users:read'],
    },
  ) => {
    const { status, body } = await postGraphql<T>(subgraph.graphqlUrl, query, {
      variables,
      headers: callerHeaders(caller ?? undefined),
    });
    return { status, ...body };
  };

  /** The GraphQL view of the monolith's REST data, built from REST alone. */
  async function expectedUsers(): Promise<GqlUser[]> {
    const [users, payments, subscriptions] = await Promise.all([
      rest<LegacyUser[]>('/api/users'),
      rest<LegacyPayment[]>('/api/payments'),
      rest<LegacySubscription[]>('/api/subscriptions'),
    ]);
    const now = Date.now();
    return users.body.map((u) => ({
      id: String(u.id),
      username: u.username,
      email: u.email,
      payments: payments.body
        .filter((p) => p.user_id === u.id)
        .map((p) => ({ id: String(p.id), amount: p.amount, timestamp: p.timestamp })),
      subscriptions: subscriptions.body
        .filter((s) => s.user_id === u.id)
        .map((s) => ({
          id: String(s.id),
          planType: s.plan_type,
          startDate: s.start_date,
          endDate: s.end_date,
          active: Date.parse(s.start_date) <= now && now < Date.parse(s.end_date),
        })),
    }));
  }

  beforeAll(async () => {
    monolith = await startMonolith();
    subgraph = await startMonolithSubgraph({ monolithUrl: monolith.url });
  });
  afterAll(async () => {
    await subgraph?.stop();
    await monolith?.stop();
  });

  it('lets a user read their own e-mail, payments and subscriptions, others’ only with a scope', async () => {
    const query =
      '{ users(limit: 2) { id email payments { id } subscriptions { id } } payments(userId: "2") { id } }';
    const own = await graphql<{
      users: { id: string; email: string | null; payments: unknown[] | null }[];
      payments: unknown[] | null;
    }>(query, undefined, { subject: '1', scopes: [] });
    const [first, second] = own.data!.users;
    expect(first).toMatchObject({
      id: '1',
      email: expect.any(String),
      payments: expect.any(Array),
    });
    expect(second).toMatchObject({ id: '2', email: null, payments: null, subscriptions: null });
    expect(own.data!.payments).toBeNull();
    expect(
      own.errors?.map((error) => [error.path?.join('.'), error.extensions?.code]).sort(),
    ).toEqual([
      ['payments', 'FORBIDDEN'],
      ['users.1.email', 'FORBIDDEN'],
      ['users.1.payments', 'FORBIDDEN'],
      ['users.1.subscriptions', 'FORBIDDEN'],
    ]);
    const withScope = await graphql<{ users: { email: string | null }[] }>(
      '{ users(limit: 2) { email } }',
      undefined,
      { subject: '1', scopes: ['users:read'] },
    );
    expect(withScope.errors).toBeUndefined();
    const anonymous = await graphql('{ users(limit: 1) { email } }', undefined, null);
    expect(anonymous.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('is healthy while the monolith is', async () => {
    expect(await sendJson(`${subgraph.url}/health`)).toMatchObject({
      status: 200,
      body: { status: true },
    });
  });

  it('answers users with their payments and subscriptions exactly as REST has them', async () => {
    const result = await graphql<{ users: GqlUser[] }>(`{ users { ${USER_FIELDS} } }`);
    expect(result.errors).toBeUndefined();
    expect(result.data?.users).toEqual(await expectedUsers());
    expect(result.data?.users.map((u) => u.username).slice(0, 3)).toEqual([
      'user1',
      'user2',
      'user3',
    ]);
  });

  it('costs the monolith three SQL statements for the nested query, however many users', async () => {
    for (let i = 0; i < 30; i += 1) {
      const user = await sendJson<LegacyUser>(`${monolith.url}/api/users`, {
        method: 'POST',
        body: { username: `batch${i}`, email: `batch${i}@example.com` },
      });
      await sendJson(`${monolith.url}/api/payments`, {
        method: 'POST',
        body: { user_id: user.body.id, amount: 1.25 },
      });
    }
    const query = jest.spyOn(monolith.db.pool, 'query');
    try {
      const result = await graphql<{ users: GqlUser[] }>(
        `{ users(limit: 500) { ${USER_FIELDS} } }`,
      );
      expect(result.errors).toBeUndefined();
      expect(result.data?.users.length).toBeGreaterThanOrEqual(33);
      // One REST call each: the users list, ?user_ids= payments, ?user_ids= subscriptions.
      expect(query).toHaveBeenCalledTimes(3);
    } finally {
      query.mockRestore();
    }
    const result = await graphql<{ users: GqlUser[] }>(`{ users(limit: 500) { ${USER_FIELDS} } }`);
    expect(result.data?.users).toEqual(await expectedUsers());
  });

  it('answers user(id), payments(userId) and subscriptions(userId) like REST', async () => {
    const result = await graphql<{
      user: GqlUser | null;
      payments: unknown[];
      subscriptions: unknown[];
    }>(`{ user(id: "2") { ${USER_FIELDS} }
          payments(userId: "2") { id amount timestamp }
          subscriptions(userId: "2") { id planType startDate endDate active } }`);
    const expected = (await expectedUsers()).find((u) => u.id === '2');
    expect(result.errors).toBeUndefined();
    expect(result.data).toEqual({
      user: expected,
      payments: expected?.payments,
      subscriptions: expected?.subscriptions,
    });
  });

  it('answers null for an unknown user(id)', async () => {
    expect(await graphql('{ user(id: "424242") { id } }')).toEqual({
      status: 200,
      data: { user: null },
    });
  });

  it('writes mutations through to the monolith, visible over REST afterwards', async () => {
    const result = await graphql<{
      createUser: { id: string };
      createPayment: { id: string };
      createSubscription: { id: string };
    }>(
      `
        mutation ($u: CreateUserInput!) {
          createUser(input: $u) {
            id
            username
            email
            payments {
              id
            }
          }
        }
      `,
      { u: { username: 'trinity', email: 'trinity@example.com' } },
    );
    expect(result.errors).toBeUndefined();
    const userId = result.data?.createUser.id;
    expect(result.data?.createUser).toEqual({
      id: expect.stringMatching(/^\d+$/),
      username: 'trinity',
      email: 'trinity@example.com',
      payments: [],
    });
    expect((await rest(`/api/users?id=${userId}`)).body).toEqual({
      id: Number(userId),
      username: 'trinity',
      email: 'trinity@example.com',
    });

    const writes = await graphql<{
      createPayment: { id: string; amount: number; user: { username: string } };
      createSubscription: { id: string; planType: string; startDate: string; active: boolean };
    }>(
      `
        mutation ($userId: ID!) {
          createPayment(input: { userId: $userId, amount: 42.5 }) {
            id
            amount
            user {
              username
            }
          }
          createSubscription(
            input: {
              userId: $userId
              planType: "premium"
              startDate: "2025-01-01"
              endDate: "2999-12-31"
            }
          ) {
            id
            planType
            startDate
            active
          }
        }
      `,
      { userId },
    );
    expect(writes.errors).toBeUndefined();
    expect(writes.data).toEqual({
      createPayment: { id: expect.any(String), amount: 42.5, user: { username: 'trinity' } },
      createSubscription: {
        id: expect.any(String),
        planType: 'premium',
        startDate: '2025-01-01T00:00:00Z',
        active: true,
      },
    });
    expect((await rest<LegacyPayment[]>(`/api/payments?user_id=${userId}`)).body).toEqual([
      expect.objectContaining({
        id: Number(writes.data?.createPayment.id),
        user_id: Number(userId),
        amount: 42.5,
      }),
    ]);
    expect((await rest<LegacySubscription[]>(`/api/subscriptions?user_id=${userId}`)).body).toEqual(
      [
        {
          id: Number(writes.data?.createSubscription.id),
          user_id: Number(userId),
          plan_type: 'premium',
          start_date: '2025-01-01T00:00:00Z',
          end_date: '2999-12-31T00:00:00Z',
        },
      ],
    );
  });

  it('answers CONFLICT for a duplicate username, with the monolith message', async () => {
    const result = await graphql(
      'mutation { createUser(input: { username: "user1", email: "other@example.com" }) { id } }',
    );
    expect(result.data).toBeNull();
    expect(result.errors?.[0]).toMatchObject({
      message: 'a user with this username already exists: user1',
      extensions: { code: 'CONFLICT' },
      path: ['createUser'],
    });
  });

  it('answers BAD_USER_INPUT for an unknown user_id and writes nothing', async () => {
    const before = (await rest<LegacyPayment[]>('/api/payments')).body.length;
    const result = await graphql(
      'mutation { createPayment(input: { userId: "999999", amount: 5 }) { id } }',
    );
    expect(result.errors?.[0]).toMatchObject({
      message: 'user_id 999999 does not exist',
      extensions: { code: 'BAD_USER_INPUT' },
    });
    const subscription = await graphql(`
      mutation {
        createSubscription(
          input: {
            userId: "999999"
            planType: "basic"
            startDate: "2025-01-01"
            endDate: "2025-02-01"
          }
        ) {
          id
        }
      }
    `);
    expect(subscription.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect((await rest<LegacyPayment[]>('/api/payments')).body).toHaveLength(before);
  });

  it('passes the monolith validation message through as BAD_USER_INPUT', async () => {
    const result = await graphql(
      'mutation { createPayment(input: { userId: "1", amount: 1.234 }) { id } }',
    );
    expect(result.errors?.[0]).toMatchObject({
      message: 'amount must have at most 2 decimal places',
      extensions: { code: 'BAD_USER_INPUT' },
    });
  });

  describe('when the monolith is down', () => {
    let orphan: RunningMonolithSubgraph;

    beforeAll(async () => {
      orphan = await startMonolithSubgraph({ monolithUrl: await closedLoopbackUrl() });
    });
    afterAll(async () => {
      await orphan.stop();
    });

    it('reports 503 on /health and SERVICE_UNAVAILABLE on queries, promptly', async () => {
      expect(await sendJson(`${orphan.url}/health`)).toMatchObject({
        status: 503,
        body: { status: false },
      });
      const { body: result } = await postGraphql(orphan.graphqlUrl, '{ users { id } }');
      expect(result.errors?.[0]).toMatchObject({
        message: 'the legacy monolith is unreachable',
        extensions: { code: 'SERVICE_UNAVAILABLE' },
      });
    });
  });
});
