import { postGraphql } from '@cinemaabyss/shared/testing';
import { startStack } from '../support/startStack';
import type { Stack } from '../support/startStack';

interface UsersAnswer {
  users: { username: string; email: string | null }[];
}

/** A Prometheus counter's value in a /metrics text, 0 when the series is absent. */
function counter(metrics: string, series: string): number {
  const line = metrics.split('\n').find((text) => text.startsWith(`${series} `));
  return line ? Number(line.slice(series.length + 1)) : 0;
}

describe('@authenticated and @requiresScopes enforced per field by the gateway', () => {
  let stack: Stack;
  const graphql = <T = Record<string, unknown>>(
    query: string,
    headers: Record<string, string> = {},
    url = stack.gateway.url,
  ) => postGraphql<T>(`${url}/graphql`, query, { headers });
  const paymentCount = async () =>
    Number((await stack.monolith.db.pool.query('SELECT count(*) AS n FROM payments')).rows[0].n);

  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('answers an anonymous caller’s protected fields with null and an error each, the rest served', async () => {
    const before = counter(
      await (await fetch(`${stack.gateway.url}/metrics`)).text(),
      'gateway_unauthorized_fields_total{coordinate="User.email"}',
    );
    const { status, body } = await graphql<UsersAnswer>('{ users { username email } }');
    expect(status).toBe(200);
    expect(body.data?.users.length).toBeGreaterThan(1);
    for (const user of body.data!.users) {
      expect(user.username).toEqual(expect.any(String));
      expect(user.email).toBeNull();
    }
    expect(body.errors).toEqual([
      {
        message: 'Unauthorized field or type',
        path: ['users', 'email'],
        extensions: { code: 'UNAUTHORIZED_FIELD_OR_TYPE' },
      },
    ]);
    const after = counter(
      await (await fetch(`${stack.gateway.url}/metrics`)).text(),
      'gateway_unauthorized_fields_total{coordinate="User.email"}',
    );
    expect(after).toBe(before + 1);
  });

  it('serves a signed-in user their own protected data, others’ only with a read scope', async () => {
    const query = '{ users { id email payments { amount } } }';
    const { body } = await graphql<{
      users: { id: string; email: string | null; payments: unknown[] | null }[];
    }>(query, await stack.bearer({ subject: '1' }));
    const own = body.data!.users.find((user) => user.id === '1');
    const others = body.data!.users.filter((user) => user.id !== '1');
    expect(own).toMatchObject({ email: expect.any(String), payments: expect.any(Array) });
    expect(others.length).toBeGreaterThan(0);
    expect(others.every((user) => user.email === null && user.payments === null)).toBe(true);
    expect(new Set(body.errors?.map((error) => error.extensions?.code))).toEqual(
      new Set(['FORBIDDEN']),
    );

    const reader = await graphql<UsersAnswer>(
      '{ users { username email } }',
      await stack.bearer({ subject: '1', scope: 'users:read' }),
    );
    expect(reader.body.errors).toBeUndefined();
    expect(reader.body.data!.users.every((user) => typeof user.email === 'string')).toBe(true);
  });

  it('lets a user rate as themselves, not as another user without ratings:write:any', async () => {
    const rate = (userId: string) =>
      `mutation { rateMovie(userId: "${userId}", movieId: "2", score: 7) { score } }`;
    const self = await graphql(rate('1'), await stack.bearer({ subject: '1' }));
    expect(self.body).toEqual({ data: { rateMovie: { score: 7 } } });
    const other = await graphql(rate('2'), await stack.bearer({ subject: '1' }));
    expect(other.body.data).toEqual({ rateMovie: null });
    expect(other.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const anyone = await graphql(
      rate('2'),
      await stack.bearer({ subject: '1', scope: 'ratings:write:any' }),
    );
    expect(anyone.body).toEqual({ data: { rateMovie: { score: 7 } } });
  });

  it('works through fragments and aliases, and nulls a root field whole', async () => {
    const { body } = await graphql<{ people: { name: string; mail: null }[]; payments: null }>(
      '{ people: users { ...U } payments(userId: "1") { amount } } fragment U on User { name: username mail: email }',
    );
    expect(body.data?.payments).toBeNull();
    expect(body.data?.people.every((person) => person.mail === null && person.name)).toBe(true);
    expect(body.errors?.map((error) => error.path)).toEqual([['people', 'mail'], ['payments']]);
  });

  it('refuses a mutation without its scope and writes nothing; runs it with the scope', async () => {
    const mutation = 'mutation { createPayment(input: { userId: "1", amount: 4.5 }) { amount } }';
    const before = await paymentCount();
    const refused = await graphql(mutation, await stack.bearer({ subject: '1' }));
    expect(refused.status).toBe(200);
    expect(refused.body.data).toEqual({ createPayment: null });
    expect(refused.body.errors?.[0]?.extensions?.code).toBe('UNAUTHORIZED_FIELD_OR_TYPE');
    expect(await paymentCount()).toBe(before);

    const allowed = await graphql(
      mutation,
      await stack.bearer({ subject: '1', scope: 'payments:write' }),
    );
    expect(allowed.body).toEqual({ data: { createPayment: { amount: 4.5 } } });
    expect(await paymentCount()).toBe(before + 1);
  });

  it('AUTHZ_MODE=reject: an operation asking for any field the caller may not see is a 403', async () => {
    const strict = await stack.startGateway({
      auth: { ...stack.auth, authzMode: 'reject' },
    });
    const refused = await graphql('{ users { username email } }', {}, strict.url);
    expect(refused.status).toBe(403);
    expect(refused.body.data).toBeUndefined();
    expect(refused.body.errors?.[0]?.extensions?.code).toBe('UNAUTHORIZED_FIELD_OR_TYPE');
    expect((await graphql('{ users { username } }', {}, strict.url)).status).toBe(200);
  });

  it('never lets callers with different rights share a collapsed answer', async () => {
    const query = '{ users { username email } }';
    const signedIn = await stack.bearer({ subject: '2', scope: 'users:read' });
    const answers = await Promise.all(
      Array.from({ length: 16 }, (_, i) =>
        graphql<UsersAnswer>(query, i % 2 === 0 ? {} : signedIn).then((response) => ({
          anonymous: i % 2 === 0,
          emails: response.body.data!.users.map((user) => user.email),
        })),
      ),
    );
    for (const { anonymous, emails } of answers) {
      expect(
        emails.every((email) => (anonymous ? email === null : typeof email === 'string')),
      ).toBe(true);
    }
  });
});
