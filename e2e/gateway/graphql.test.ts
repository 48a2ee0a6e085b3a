import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { SUPERGRAPH_PATH } from '@cinemaabyss/supergraph';
import { postGraphql, sendJson } from '@cinemaabyss/shared/testing';
import { EVERY_SCOPE, startStack } from '../support/startStack';
import type { Stack } from '../support/startStack';

describe('GraphQL through the gateway', () => {
  let stack: Stack;
  /** Asked as a signed-in caller allowed every field: authorization has its own tests. */
  const graphql = async <T = Record<string, unknown>>(
    query: string,
    url = stack.gateway.url,
    headers: Record<string, string> = {},
  ) =>
    postGraphql<T>(`${url}/graphql`, query, {
      headers: {
        ...(await stack.bearer({ scope: EVERY_SCOPE })),
        ...headers,
      },
    });

  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => {
    await stack.stop();
  });

  it('answers a query across both subgraphs with the data REST holds', async () => {
    await graphql(
      'mutation { rateMovie(userId: "1", movieId: "3", score: 10, review: "Why so serious?") { score } }',
    );
    const { status, body } = await graphql<{
      users: {
        username: string;
        payments: { amount: number }[];
        ratings: { score: number; movie: { title: string; genres: string[] } }[];
      }[];
    }>('{ users { username payments { amount } ratings { score movie { title genres } } } }');
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    const restPayments = (
      await sendJson<{ user_id: number; amount: number }[]>(`${stack.monolith.url}/api/payments`)
    ).body;
    expect(body.data?.users[0]).toEqual({
      username: 'user1',
      payments: restPayments.filter((p) => p.user_id === 1).map((p) => ({ amount: p.amount })),
      ratings: [
        { score: 10, movie: { title: 'The Dark Knight', genres: ['Action', 'Crime', 'Drama'] } },
      ],
    });
    expect(body.data?.users.map((u) => u.username).slice(0, 3)).toEqual([
      'user1',
      'user2',
      'user3',
    ]);
  });

  it('answers a burst of one query with one execution, every request with the full data', async () => {
    const query = '{ users { username payments { amount } ratings { movie { title } } } }';
    const metric = async () => {
      const text = await (await fetch(`${stack.gateway.url}/metrics`)).text();
      return Number(
        /gateway_inflight_shared_total\{level="operation"\} (\d+)/.exec(text)?.[1] ?? 0,
      );
    };
    const before = await metric();
    // One caller with one token: every signature differs, and so would the requests.
    const caller = await stack.bearer({ scope: EVERY_SCOPE });
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => graphql(query, stack.gateway.url, caller)),
    );
    const alone = await graphql(query, stack.gateway.url, caller);
    expect(alone.body.errors).toBeUndefined();
    for (const { status, body } of answers) {
      expect(status).toBe(200);
      expect(body).toEqual(alone.body);
    }
    expect(await metric()).toBeGreaterThan(before);
  });

  it('surfaces a subgraph error with its code and serviceName, without internals', async () => {
    const { body } = await graphql(
      'mutation { rateMovie(userId: "1", movieId: "424242", score: 5) { score } }',
    );
    expect(body.errors?.[0]).toEqual({
      message: 'movie 424242 does not exist',
      path: ['rateMovie'],
      extensions: { code: 'BAD_USER_INPUT', serviceName: 'movies' },
    });
  });

  it('reports an unreachable subgraph as SERVICE_UNAVAILABLE naming it, without hostnames', async () => {
    const broken = await stack.startGateway({
      subgraphUrls: {
        movies: 'http://127.0.0.1:9/graphql',
        monolith: stack.monolithSubgraph.graphqlUrl,
      },
    });
    // averageRating only the movies subgraph serves, whichever side of the migration dial.
    const { body } = await graphql('{ movies { title averageRating } }', broken.url);
    expect(body.errors?.[0]?.extensions).toEqual({
      code: 'SERVICE_UNAVAILABLE',
      serviceName: 'movies',
    });
    expect(JSON.stringify(body)).not.toMatch(/127\.0\.0\.1|ECONNREFUSED/);
  });

  it('returns the x-request-id it was given', async () => {
    const response = await graphql('{ movie(id: "1") { title } }', stack.gateway.url, {
      'x-request-id': 'graph-7',
    });
    expect(response.headers.get('x-request-id')).toBe('graph-7');
  });

  it('rejects an operation deeper than the limit', async () => {
    const deep = `{ users { payments { user { payments { user { payments { user { payments { user { payments { user { payments { user { payments { user { payments { user { id } } } } } } } } } } } } } } } } } }`;
    const { body } = await graphql(deep);
    expect(body.data ?? undefined).toBeUndefined();
    expect(body.errors?.[0]?.message).toMatch(/depth/i);
  });

  it('answers a page of users, 500 at most, and refuses a larger one with HTTP 400', async () => {
    const page = await graphql<{ users: { id: string }[] }>(
      '{ users(limit: 2, offset: 1) { id } }',
    );
    expect(page.body).toEqual({ data: { users: [{ id: '2' }, { id: '3' }] } });

    const tooMany = await graphql('{ users(limit: 501) { id } }');
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.errors?.[0]).toMatchObject({
      message: 'limit must be between 1 and 500',
      extensions: { code: 'BAD_USER_INPUT' },
    });
    const backwards = await graphql('{ users { payments(offset: -1) { id } } }');
    expect(backwards.status).toBe(400);
    expect(backwards.body.errors?.[0]?.message).toBe('offset must not be negative');
    const asVariable = await postGraphql(
      `${stack.gateway.url}/graphql`,
      'query ($n: Int) { users { payments(limit: $n) { id } } }',
      { variables: { n: 1_000 } },
    );
    expect(asVariable.status).toBe(400);
    expect(asVariable.body.errors?.[0]?.message).toBe('limit must be between 1 and 500');
  });

  it('prices a list by its page: 500 users with their pages pass, pages of pages do not', async () => {
    // The bench's nested query at its largest: 500 users with their default pages.
    const nested = await graphql(
      '{ users(limit: 500) { id username email payments { id amount timestamp } ' +
        'subscriptions { id planType startDate endDate active } ' +
        'ratings { score review movie { id title genres } } } }',
    );
    expect(nested.status).toBe(200);
    expect(nested.body.errors).toBeUndefined();

    // Few fields and no deeper than the depth limit, but up to 125 million payments.
    const explosive = await graphql(
      '{ users(limit: 500) { payments(limit: 500) { user { payments(limit: 500) { id } } } } }',
    );
    expect(explosive.status).toBe(400);
    expect(explosive.body.data ?? undefined).toBeUndefined();
    expect(explosive.body.errors?.[0]).toMatchObject({
      message: expect.stringMatching(/^operation cost \d+ exceeds the limit of 200000/),
      extensions: { code: 'BAD_USER_INPUT' },
    });
  });

  it('rejects an operation with too many aliases', async () => {
    const aliases = Array.from({ length: 20 }, (_, i) => `m${i}: movie(id: "1") { title }`).join(
      ' ',
    );
    const { body } = await graphql(`{ ${aliases} }`);
    expect(body.errors?.[0]?.message).toMatch(/aliases/i);
  });

  it('blocks a simple GET that could be a cross-site request (CSRF prevention)', async () => {
    const response = await fetch(
      `${stack.gateway.url}/graphql?query=${encodeURIComponent('{ movie(id: "1") { title } }')}`,
    );
    expect(response.status).toBe(400);
    expect(await response.text()).toMatch(/CSRF|preflight/i);
  });

  it('turns introspection off in production', async () => {
    const production = await stack.startGateway({ production: true });
    const { body } = await graphql('{ __schema { types { name } } }', production.url);
    expect(body.errors?.[0]?.message).toMatch(/introspection/i);
    const dev = await graphql<{ __schema: { types: unknown[] } }>(
      '{ __schema { types { name } } }',
    );
    expect(dev.body.data?.__schema.types.length).toBeGreaterThan(10);
  });

  it('hot-reloads a changed supergraph file without failing requests in flight', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'supergraph-'));
    const file = path.join(dir, 'supergraph.graphql');
    await copyFile(SUPERGRAPH_PATH, file);
    try {
      const watched = await stack.startGateway({ supergraphPath: file });
      const description = '{ __type(name: "Movie") { description } }';
      const before = await graphql<{ __type: { description: string } }>(description, watched.url);
      expect(before.body.data?.__type.description).toMatch(/A film in the catalogue/);

      let failures = 0;
      let running = true;
      const load = (async () => {
        while (running) {
          const { status, body } = await graphql('{ movie(id: "2") { title } }', watched.url);
          if (status !== 200 || body.errors) failures += 1;
        }
      })();
      const original = await readFile(file, 'utf8');
      await writeFile(file, original.replace('A film in the catalogue.', 'A film, hot-reloaded.'));
      const deadline = Date.now() + 10_000;
      let after = '';
      while (Date.now() < deadline && !after.includes('hot-reloaded')) {
        after =
          (await graphql<{ __type: { description: string } }>(description, watched.url)).body.data
            ?.__type.description ?? '';
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      running = false;
      await load;
      expect(after).toMatch(/^A film, hot-reloaded./);
      expect(failures).toBe(0);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
