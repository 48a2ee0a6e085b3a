import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { TEST_ADMIN_TOKEN, setMigrationPercent } from '@cinemaabyss/gateway/testing';
import type { RunningGateway } from '@cinemaabyss/gateway/testing';
import { postGraphql } from '@cinemaabyss/shared/testing';
import { startStack } from '../support/startStack';
import { until } from '../support/until';
import type { Stack } from '../support/startStack';

type DescriptionMode = 'real' | 'noisy' | 'stable';

/** Rewrites every object of a subgraph answer: movie 1's title, and descriptions by `mode`. */
function rewrite(value: unknown, mode: DescriptionMode, next: () => number): unknown {
  if (Array.isArray(value)) return value.map((item) => rewrite(item, mode, next));
  if (typeof value !== 'object' || value === null) return value;
  const object = Object.fromEntries(
    Object.entries(value).map(([key, item]) => [key, rewrite(item, mode, next)]),
  );
  if (object.id === '1' && typeof object.title === 'string') object.title = 'Not The Real Title';
  if ('description' in object && mode !== 'real') {
    object.description = mode === 'noisy' ? `changes on every call (${next()})` : 'the stand-in’s';
  }
  return object;
}

/**
 * A stand-in for the movies subgraph in front of the real one: it passes operations through but
 * says movie 1 has another title, can make descriptions change on every call, and keeps the
 * operations it got with whether they were shadow calls.
 */
async function startStandIn(subgraphUrl: string) {
  const calls: { query: string; shadow: boolean }[] = [];
  let mode: DescriptionMode = 'real';
  let counter = 0;
  const server: Server = createServer((request: IncomingMessage, response: ServerResponse) => {
    void (async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of request) chunks.push(chunk as Buffer);
      const body = Buffer.concat(chunks);
      calls.push({
        query: (JSON.parse(body.toString()) as { query: string }).query,
        shadow: request.headers['x-shadow-request'] === '1',
      });
      const real = await fetch(subgraphUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
        signal: AbortSignal.timeout(5_000),
      });
      const answer = rewrite(await real.json(), mode, () => (counter += 1));
      response
        .writeHead(real.status, { 'content-type': 'application/json' })
        .end(JSON.stringify(answer));
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`,
    calls,
    setMode: (value: DescriptionMode) => (mode = value),
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

interface MismatchRow {
  surface: string;
  operation_name: string | null;
  variables_hash: string | null;
  served_side: string;
  differences: { path: string; served: string; shadow: string }[];
}

/** Expiry of a noise mark for these tests: short enough to see one expire. */
const NOISE_EXPIRY_MS = 2_000;

describe('shadow comparison of GraphQL queries, and noise learned as Diffy does', () => {
  let stack: Stack;
  let standIn: Awaited<ReturnType<typeof startStandIn>>;
  let gateway: RunningGateway;

  const setShadow = (shadowPercent: number, noisePercent: number) =>
    stack.monolith.db.pool.query(
      "UPDATE gateway.migrations SET shadow_percent = $1, noise_percent = $2 WHERE name = 'movies'",
      [shadowPercent, noisePercent],
    );
  const mismatchIds = async () =>
    Number(
      (
        await stack.monolith.db.pool.query(
          'SELECT coalesce(max(id), 0) AS id FROM gateway.migration_mismatches',
        )
      ).rows[0].id,
    );
  const mismatchesAfter = async (id: number) =>
    (
      await stack.monolith.db.pool.query<MismatchRow>(
        `SELECT surface, operation_name, variables_hash, served_side, differences
           FROM gateway.migration_mismatches WHERE id > $1 ORDER BY id`,
        [id],
      )
    ).rows;
  async function shadowCount(result: string): Promise<number> {
    const metrics = await (await fetch(`${gateway.url}/metrics`)).text();
    const series = `gateway_shadow_comparisons_total{migration="movies",surface="graphql",result="${result}"} `;
    const line = metrics.split('\n').find((text) => text.startsWith(series));
    return line ? Number(line.slice(series.length)) : 0;
  }
  const query = (text: string, user: string, variables?: Record<string, unknown>) =>
    postGraphql(`${gateway.url}/graphql`, text, { headers: { 'x-user-id': user }, variables });

  beforeAll(async () => {
    stack = await startStack();
    standIn = await startStandIn(`${stack.movies.url}/graphql`);
    gateway = await stack.startGateway({
      subgraphUrls: { movies: standIn.url, monolith: stack.monolithSubgraph.graphqlUrl },
      shadowNoiseExpiryMs: NOISE_EXPIRY_MS,
    });
    await setMigrationPercent(stack.gateway.url, 'movies', 0);
    await setShadow(0, 0);
    await sleep(1_100); // every replica applies a dial change within 1 s
  });
  afterAll(async () => {
    await stack?.stop();
    await standIn?.stop();
  });
  beforeEach(() => {
    standIn.calls.length = 0;
    standIn.setMode('real');
  });

  it('records a wrong title from the new side at its response path; the client’s answer is untouched', async () => {
    const text = 'query MovieTitle($id: ID!) { movie(id: $id) { id title genres } }';
    const unshadowed = await query(text, 'shadow-user-1', { id: '1' });
    expect(standIn.calls).toEqual([]);
    await setShadow(100, 0);
    await sleep(1_100);
    const before = await mismatchIds();

    const shadowed = await query(text, 'shadow-user-1', { id: '1' });

    expect(shadowed.status).toBe(200);
    expect(shadowed.body).toEqual(unshadowed.body);
    expect(shadowed.headers.get('cache-control')).toBe(unshadowed.headers.get('cache-control'));
    const rows = await until('the mismatch', async () => {
      const found = await mismatchesAfter(before);
      return found.length > 0 ? found : undefined;
    });
    expect(rows).toEqual([
      {
        surface: 'graphql',
        operation_name: 'MovieTitle',
        variables_hash: expect.stringMatching(/^[0-9a-f]{16}$/),
        served_side: 'old',
        differences: [
          {
            path: '/data/movie/title',
            served: JSON.stringify(
              (shadowed.body.data as { movie: { title: string } }).movie.title,
            ),
            shadow: '"Not The Real Title"',
          },
        ],
      },
    ]);
    expect(standIn.calls.map((call) => call.shadow)).toEqual([true]);
  });

  it('finds nothing where both plans agree, and compares no field that one subgraph serves in both', async () => {
    await setShadow(100, 0);
    const matches = await shadowCount('match');
    const before = await mismatchIds();
    // averageRating comes from the movies subgraph in both plans: the stand-in is asked for it
    // either way, so it is no evidence on the migration.
    const response = await query('{ movie(id: "2") { id title averageRating } }', 'shadow-user-2');
    expect(response.body.errors).toBeUndefined();
    await until('the match', async () =>
      (await shadowCount('match')) > matches ? true : undefined,
    );
    expect(await mismatchesAfter(before)).toEqual([]);
  });

  it('never shadows a mutation', async () => {
    await setShadow(100, 100);
    const response = await query(
      'mutation { createMovie(input: { title: "Shadowless", description: "x", genres: ["drama"], rating: 5 }) { id title } }',
      'shadow-user-3',
    );
    expect(response.body.errors).toBeUndefined();
    await sleep(500);
    expect(standIn.calls.map((call) => call.shadow)).toEqual([false]);
  });

  it('reports a field that changes on every call as noise, and as a mismatch again once it has stopped', async () => {
    await setMigrationPercent(stack.gateway.url, 'movies', 100);
    await setShadow(100, 100);
    await sleep(1_100);
    standIn.setMode('noisy');
    const before = await mismatchIds();
    const noise = await shadowCount('noise');
    const text = 'query MovieDescription { movie(id: "2") { id description } }';

    await query(text, 'shadow-user-4');

    await until('the noise', async () => ((await shadowCount('noise')) > noise ? true : undefined));
    expect(await mismatchesAfter(before)).toEqual([]);
    // The serving side (the stand-in) was asked twice: once for the client, once to learn noise.
    expect(standIn.calls.filter((call) => call.shadow)).toHaveLength(1);
    const setting = await fetch(`${gateway.url}/admin/migrations/movies`, {
      headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` },
    }).then((r) => r.json() as Promise<{ noise: { path: string; route: string }[] }>);
    expect(setting.noise).toContainEqual(
      expect.objectContaining({ path: '/data/movie/description', route: 'MovieDescription' }),
    );

    // Stable again, still unlike the monolith's: once the mark expires, a mismatch.
    standIn.setMode('stable');
    await sleep(NOISE_EXPIRY_MS + 500);
    await query(text, 'shadow-user-4');
    const rows = await until('the mismatch', async () => {
      const found = await mismatchesAfter(before);
      return found.length > 0 ? found : undefined;
    });
    expect(rows).toEqual([
      expect.objectContaining({
        served_side: 'new',
        operation_name: 'MovieDescription',
        differences: [expect.objectContaining({ path: '/data/movie/description' })],
      }),
    ]);
  });
});
