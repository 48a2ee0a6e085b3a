import { setTimeout as sleep } from 'node:timers/promises';
import { setMigrationPercent } from '@cinemaabyss/gateway/testing';
import type { RunningGateway } from '@cinemaabyss/gateway/testing';
import { postGraphql } from '@cinemaabyss/shared/testing';
import { startStack } from '../support/startStack';
import type { Stack } from '../support/startStack';

interface SideFigures {
  side: 'old' | 'new';
  requests: number;
  failures: number;
  latency: number;
  replicas: number;
}

/** What the fleet figures table holds for one surface of the movies migration, per side. */
async function figuresBySide(stack: Stack, surface = 'rest'): Promise<SideFigures[]> {
  const { rows } = await stack.monolith.db.pool.query<SideFigures>(
    `SELECT side, sum(requests)::int AS requests, sum(failures)::int AS failures,
            sum((SELECT sum(c) FROM unnest(latency_counts) c))::int AS latency,
            count(DISTINCT replica)::int AS replicas
       FROM gateway.migration_figures
      WHERE migration = 'movies' AND surface = $1
      GROUP BY side ORDER BY side`,
    [surface],
  );
  return rows;
}

/** Each user's GET /api/movies?id=1 through one gateway; the side that answered each. */
async function servedSides(gatewayUrl: string, users: string[]) {
  const sides = { old: 0, new: 0 };
  for (const user of users) {
    const response = await fetch(`${gatewayUrl}/api/movies?id=1`, {
      headers: { 'x-user-id': user },
      signal: AbortSignal.timeout(5_000),
    });
    await response.arrayBuffer();
    expect(response.status).toBe(200);
    sides[response.headers.get('x-served-by') === 'movies' ? 'new' : 'old'] += 1;
  }
  return sides;
}

describe('the fleet figures of a migration', () => {
  let stack: Stack;
  let replica: RunningGateway;

  beforeAll(async () => {
    stack = await startStack();
    replica = await stack.startGateway({});
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('count what every replica served on each side in one table, flushed within seconds', async () => {
    await setMigrationPercent(stack.gateway.url, 'movies', 50);
    await sleep(1_100); // the dial applies on every replica within 1 s
    const users = Array.from({ length: 30 }, (_, i) => `figures-user-${i}`);

    const first = await servedSides(stack.gateway.url, users);
    const second = await servedSides(replica.url, users);

    // Both sides served (50 % of 30 users), so both rows are tested.
    expect(first.new).toBeGreaterThan(0);
    expect(first.old).toBeGreaterThan(0);
    const expected = [
      { side: 'new', requests: first.new + second.new },
      { side: 'old', requests: first.old + second.old },
    ];
    // Each replica flushes every 5 s: poll the table, generously bounded.
    let figures: SideFigures[] = [];
    for (let i = 0; i < 60; i += 1) {
      figures = await figuresBySide(stack);
      if (figures.map((row) => row.requests).join() === expected.map((row) => row.requests).join())
        break;
      await sleep(250);
    }
    expect(figures).toEqual(
      expected.map((row) => ({
        ...row,
        failures: 0,
        // Every request is in exactly one latency bucket.
        latency: row.requests,
        replicas: 2,
      })),
    );
  });

  it('count a new-side call that failed and fell back as a failure of the new side', async () => {
    // A replica whose movies service refuses connections: every new-side GET falls back.
    const broken = await stack.startGateway({ moviesServiceUrl: 'http://127.0.0.1:9' });
    await setMigrationPercent(stack.gateway.url, 'movies', 100);
    await sleep(1_100);
    const before = await figuresBySide(stack);
    const failuresBefore = before.find((row) => row.side === 'new')?.failures ?? 0;

    const sides = await servedSides(broken.url, ['fallback-user-1', 'fallback-user-2']);

    expect(sides).toEqual({ old: 2, new: 0 });
    let failures = failuresBefore;
    for (let i = 0; i < 60 && failures < failuresBefore + 2; i += 1) {
      await sleep(250);
      failures = (await figuresBySide(stack)).find((row) => row.side === 'new')?.failures ?? 0;
    }
    expect(failures).toBe(failuresBefore + 2);
  });

  it('count GraphQL operations on the side their label chose, a failing subgraph as that side’s failure', async () => {
    // A replica whose movies subgraph refuses connections: the new side fails every query.
    const broken = await stack.startGateway({
      subgraphUrls: {
        movies: 'http://127.0.0.1:9/graphql',
        monolith: stack.monolithSubgraph.graphqlUrl,
      },
    });
    const query = (user: string) =>
      postGraphql(`${broken.url}/graphql`, '{ movie(id: "1") { id title } }', {
        headers: { 'x-user-id': user },
      });
    await setMigrationPercent(stack.gateway.url, 'movies', 0);
    await sleep(1_100);
    const served = await query('graphql-figures-user');
    expect(served.body.errors).toBeUndefined();
    await setMigrationPercent(stack.gateway.url, 'movies', 100);
    await sleep(1_100);
    const failed = await query('graphql-figures-user');
    expect(failed.body.errors?.[0]?.extensions?.code).toBe('SERVICE_UNAVAILABLE');

    let figures: SideFigures[] = [];
    for (let i = 0; i < 60 && figures.length < 2; i += 1) {
      await sleep(250);
      figures = await figuresBySide(stack, 'graphql');
    }
    expect(figures).toEqual([
      { side: 'new', requests: 1, failures: 1, latency: 1, replicas: 1 },
      { side: 'old', requests: 1, failures: 0, latency: 1, replicas: 1 },
    ]);
  });
});
