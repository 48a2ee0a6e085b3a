import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { composeSupergraph } from '@cinemaabyss/supergraph';
import { setMigrationPercent } from '@cinemaabyss/gateway/testing';
import { createMemoryLogger, postGraphql } from '@cinemaabyss/shared/testing';
import { startStack } from '../support/startStack';
import type { Stack } from '../support/startStack';

type Side = 'movies' | 'monolith';
const USERS = Array.from({ length: 1000 }, (_, i) => `user-${i}`);
const MOVIE_QUERY = '{ movie(id: "1") { id title genres rating } }';

/** A Prometheus counter's value in a /metrics text, 0 when the series is absent. */
function counter(metrics: string, series: string): number {
  const line = metrics.split('\n').find((text) => text.startsWith(`${series} `));
  return line ? Number(line.slice(series.length + 1)) : 0;
}

describe('GraphQL on the live migration dial: progressive @override, sticky per user', () => {
  let stack: Stack;
  const metrics = async () => (await fetch(`${stack.gateway.url}/metrics`)).text();
  const subgraphFetches = async () => {
    const text = await metrics();
    return {
      movies: counter(
        text,
        'gateway_subgraph_request_duration_seconds_count{subgraph="movies",outcome="ok"}',
      ),
      monolith: counter(
        text,
        'gateway_subgraph_request_duration_seconds_count{subgraph="monolith",outcome="ok"}',
      ),
    };
  };

  /** The side that served the overridden fields, as the debug extension reports it. */
  async function graphqlSide(user: string, query = MOVIE_QUERY): Promise<Side> {
    const { status, body } = await postGraphql(`${stack.gateway.url}/graphql`, query, {
      headers: { 'x-user-id': user, 'x-debug-override-labels': '1' },
    });
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    const labels = body.extensions?.overrideLabels as Record<string, { servedBy: Side }>;
    return labels['migration:movies']!.servedBy;
  }

  async function restSide(user: string): Promise<Side> {
    const response = await fetch(`${stack.gateway.url}/api/movies?id=1`, {
      headers: { 'x-user-id': user },
    });
    await response.arrayBuffer();
    return response.headers.get('x-served-by') as Side;
  }

  async function sidesOf(users: string[], side: (user: string) => Promise<Side>) {
    const sides: Side[] = [];
    for (let i = 0; i < users.length; i += 50) {
      sides.push(...(await Promise.all(users.slice(i, i + 50).map(side))));
    }
    return sides;
  }

  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it.each([0, 25, 50, 100])(
    'puts one user’s REST and GraphQL requests on the same side at %i %%',
    async (percent) => {
      await setMigrationPercent(stack.gateway.url, 'movies', percent);
      const users = USERS.slice(0, 200);
      const before = await subgraphFetches();
      const graphql = await sidesOf(users, (user) => graphqlSide(user));
      const after = await subgraphFetches();
      expect(await sidesOf(users, restSide)).toEqual(graphql);
      // The debug extension tells the truth: each query made one fetch, to the side it names.
      const onMovies = graphql.filter((side) => side === 'movies').length;
      expect(after.movies - before.movies).toBe(onMovies);
      expect(after.monolith - before.monolith).toBe(users.length - onMovies);
      if (percent === 0) expect(onMovies).toBe(0);
      if (percent === 100) expect(onMovies).toBe(users.length);
    },
  );

  it('sends 25 % of 1,000 users to the movies subgraph within ±5 %, and 25 → 50 moves nobody back', async () => {
    await setMigrationPercent(stack.gateway.url, 'movies', 25);
    const at25 = await sidesOf(USERS, (user) => graphqlSide(user));
    const share25 = at25.filter((side) => side === 'movies').length;
    expect(share25).toBeGreaterThanOrEqual(200);
    expect(share25).toBeLessThanOrEqual(300);
    await setMigrationPercent(stack.gateway.url, 'movies', 50);
    const at50 = await sidesOf(USERS, (user) => graphqlSide(user));
    USERS.forEach((_, i) => at25[i] === 'movies' && expect(at50[i]).toBe('movies'));
    expect(at50.filter((side) => side === 'movies').length).toBeGreaterThan(share25);
  });

  it('plans an operation once per active label set, not once per user', async () => {
    await setMigrationPercent(stack.gateway.url, 'movies', 40);
    const query = '{ movie(id: "2") { title description } }';
    const built = async () => counter(await metrics(), 'gateway_query_plans_built_total');
    const before = await built();
    await sidesOf(USERS.slice(0, 300), (user) => graphqlSide(user, query));
    expect((await built()) - before).toBe(2);
    // A new percentage moves users between the two plans already cached.
    await setMigrationPercent(stack.gateway.url, 'movies', 70);
    await sidesOf(USERS.slice(0, 300), (user) => graphqlSide(user, query));
    expect((await built()) - before).toBe(2);
  });

  it('answers the same movies from both sides: the contract the two backends share', async () => {
    await setMigrationPercent(stack.gateway.url, 'movies', 50);
    // user-1 is in bucket 0 (on the movies side from 1 %), alice in bucket 79.
    expect(await graphqlSide('user-1')).toBe('movies');
    expect(await graphqlSide('alice')).toBe('monolith');
    const query =
      '{ movies(limit: 500) { id title description genres rating } drama: movies(genre: "drama", limit: 3, offset: 1) { id } movie(id: "3") { title genres } missing: movie(id: "999999") { id } }';
    const asUser = (user: string) =>
      postGraphql(`${stack.gateway.url}/graphql`, query, { headers: { 'x-user-id': user } });
    const [fromMovies, fromMonolith] = await Promise.all([asUser('user-1'), asUser('alice')]);
    expect(fromMovies.body.errors).toBeUndefined();
    expect((fromMovies.body.data?.movies as unknown[]).length).toBeGreaterThanOrEqual(5);
    expect(fromMonolith.body).toEqual(fromMovies.body);
  });

  it('counts GraphQL decisions by side, and says nothing of sides without the debug header', async () => {
    const plain = await postGraphql(`${stack.gateway.url}/graphql`, MOVIE_QUERY, {
      headers: { 'x-user-id': 'user-1' },
    });
    expect(plain.body.extensions).toBeUndefined();
    const text = await metrics();
    for (const side of ['movies', 'monolith']) {
      expect(
        counter(
          text,
          `gateway_migration_decisions_total{migration="movies",surface="graphql",backend="${side}"}`,
        ),
      ).toBeGreaterThan(0);
    }
    // An operation without overridden fields is not a migration decision.
    const before = counter(
      await metrics(),
      'gateway_migration_decisions_total{migration="movies",surface="graphql",backend="movies"}',
    );
    await postGraphql(`${stack.gateway.url}/graphql`, '{ users(limit: 1) { id } }', {
      headers: { 'x-user-id': 'user-1' },
    });
    expect(
      counter(
        await metrics(),
        'gateway_migration_decisions_total{migration="movies",surface="graphql",backend="movies"}',
      ),
    ).toBe(before);
  });

  describe('with other labels in the supergraph', () => {
    let dir: string;
    beforeAll(async () => {
      dir = await mkdtemp(path.join(os.tmpdir(), 'override-labels-'));
    });
    afterAll(async () => {
      await rm(dir, { recursive: true, force: true });
    });

    /** A gateway of the stack on the committed subgraphs with the movies label replaced. */
    async function gatewayWithLabel(label: string) {
      const composed = await composeSupergraph(undefined, {
        editSchema: (_name, sdl) =>
          sdl.replaceAll('label: "migration:movies"', `label: "${label}"`),
      });
      if (!composed.ok) throw new Error(composed.errors.join('; '));
      const file = path.join(dir, `${label.replace(/\W/g, '_')}.graphql`);
      await writeFile(file, composed.supergraphSdl);
      const logs = createMemoryLogger({ name: 'gateway' });
      const gateway = await stack.startGateway({ supergraphPath: file }, { logger: logs.logger });
      return { gateway, logs };
    }

    const sideOn = async (url: string, user: string) => {
      const { body } = await postGraphql(`${url}/graphql`, MOVIE_QUERY, {
        headers: { 'x-user-id': user, 'x-debug-override-labels': '1' },
      });
      expect(body.errors).toBeUndefined();
      return Object.values(body.extensions?.overrideLabels as Record<string, { servedBy: Side }>)[0]
        ?.servedBy;
    };

    it('honours percent(N), sticky per user', async () => {
      const { gateway } = await gatewayWithLabel('percent(30)');
      const first = await Promise.all(USERS.slice(0, 300).map((user) => sideOn(gateway.url, user)));
      const again = await Promise.all(USERS.slice(0, 300).map((user) => sideOn(gateway.url, user)));
      expect(again).toEqual(first);
      const onMovies = first.filter((side) => side === 'movies').length;
      expect(onMovies).toBeGreaterThan(300 * 0.3 - 40);
      expect(onMovies).toBeLessThan(300 * 0.3 + 40);
    });

    it('treats an unknown label as false and logs it once', async () => {
      const { gateway, logs } = await gatewayWithLabel('feature:new-catalogue');
      for (const user of ['user-1', 'user-2', 'alice']) {
        expect(await sideOn(gateway.url, user)).toBe('monolith');
      }
      const warnings = logs.lines.filter(
        (line) => line.msg === 'unknown progressive override label: treated as false',
      );
      expect(warnings).toEqual([expect.objectContaining({ label: 'feature:new-catalogue' })]);
    });
  });
});
