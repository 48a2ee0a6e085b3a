import type {
  GraphQLDataSource,
  GraphQLDataSourceProcessOptions,
  SupergraphSdlHook,
} from '@apollo/gateway';
import { createSilentLogger } from '@cinemaabyss/shared/logging';
import { createSupergraphEngine } from './supergraphEngine';
import type { SupergraphEngineOptions } from './supergraphEngine';
import { ENGINE_TEST_SUPERGRAPH, engineRequest } from '../testing/engineFixtures';

const SUPERGRAPH = ENGINE_TEST_SUPERGRAPH;
const LABEL = 'migration:movies';
const MOVIE_QUERY = 'query Movie($id: ID!) { movie(id: $id) { id title } }';
const logger = createSilentLogger();

/** A subgraph that answers every fetch with a movie titled after itself, and counts its calls. */
function fakeSubgraph(name: string) {
  const queries: string[] = [];
  const source: GraphQLDataSource = {
    async process(options: GraphQLDataSourceProcessOptions) {
      queries.push(options.request.query ?? '');
      return { data: { movie: { id: '1', title: `from ${name}` } } };
    },
  };
  return { queries, source };
}

function requestFor(query: string, variables: Record<string, unknown> = { id: '1' }) {
  return engineRequest(query, variables);
}

/** An engine over fake subgraphs; `source()` is what its supergraph source was handed. */
function engineWith(
  overrides: Partial<SupergraphEngineOptions> = {},
  cleanup?: () => Promise<void>,
) {
  let hooks: Parameters<SupergraphSdlHook>[0] | undefined;
  const subgraphs = {
    monolith: fakeSubgraph('monolith'),
    movies: fakeSubgraph('movies'),
    events: fakeSubgraph('events'),
  };
  const plansBuilt: string[][] = [];
  const built: string[] = [];
  const engine = createSupergraphEngine({
    supergraphSdl: async (given) => {
      hooks = given;
      return { supergraphSdl: SUPERGRAPH, cleanup };
    },
    buildService: ({ name }) => {
      built.push(name);
      return subgraphs[name as keyof typeof subgraphs].source;
    },
    logger,
    onPlanBuilt: (labels) => plansBuilt.push(labels),
    ...overrides,
  });
  const source = () => {
    if (!hooks) throw new Error('the engine has not loaded');
    return hooks;
  };
  return { engine, subgraphs, plansBuilt, built, source };
}

describe('the supergraph engine', () => {
  it('loads the supergraph, tells its listeners, and answers through the planned subgraph', async () => {
    const { engine, subgraphs } = engineWith();
    const loads: string[] = [];
    engine.onSchemaLoadOrUpdate(({ apiSchema, coreSupergraphSdl }) => {
      loads.push(coreSupergraphSdl);
      expect(apiSchema.getQueryType()?.getFields().movie).toBeDefined();
    });

    const { executor } = await engine.load({ apollo: {} as never });
    const result = await executor!(requestFor(MOVIE_QUERY));

    expect(loads).toEqual([SUPERGRAPH]);
    expect(result).toEqual({ data: { movie: { id: '1', title: 'from monolith' } } });
    expect(subgraphs.monolith.queries).toHaveLength(1);
    expect(subgraphs.movies.queries).toHaveLength(0);
  });

  it("plans with the request's override conditions: an active label moves the field to its new subgraph", async () => {
    const { engine, subgraphs } = engineWith();
    await engine.load({ apollo: {} as never });

    const on = await engine.execute(requestFor(MOVIE_QUERY), new Map([[LABEL, true]]));
    const off = await engine.execute(requestFor(MOVIE_QUERY), new Map([[LABEL, false]]));

    expect(on.data).toEqual({ movie: { id: '1', title: 'from movies' } });
    expect(off.data).toEqual({ movie: { id: '1', title: 'from monolith' } });
    expect(subgraphs.movies.queries).toHaveLength(1);
    expect(subgraphs.monolith.queries).toHaveLength(1);
  });

  it('builds a plan once per operation and active label set, and again after a new supergraph', async () => {
    const { engine, plansBuilt, source } = engineWith();
    await engine.load({ apollo: {} as never });

    for (const active of [false, true, false, true]) {
      await engine.execute(requestFor(MOVIE_QUERY), new Map([[LABEL, active]]));
    }
    expect(plansBuilt).toEqual([[], [LABEL]]);

    source().update(SUPERGRAPH); // the same version: nothing to reload
    await engine.execute(requestFor(MOVIE_QUERY), new Map([[LABEL, true]]));
    expect(plansBuilt).toHaveLength(2);

    source().update(`${SUPERGRAPH}\n# a new version\n`);
    await engine.execute(requestFor(MOVIE_QUERY), new Map([[LABEL, true]]));
    expect(plansBuilt).toEqual([[], [LABEL], [LABEL]]);
  });

  it('caches neither plan nor compiled operation for a request without a query hash', async () => {
    const { engine, plansBuilt } = engineWith();
    await engine.load({ apollo: {} as never });
    const unhashed = (query: string) => ({ ...requestFor(query, {}), queryHash: '' });

    const ids = await engine.execute(unhashed('{ movie(id: "1") { id } }'));
    const titles = await engine.execute(unhashed('{ movie(id: "1") { title } }'));

    expect(ids.data).toEqual({ movie: { id: '1' } });
    expect(titles.data).toEqual({ movie: { title: 'from monolith' } });
    expect(plansBuilt).toHaveLength(2);
  });

  it('answers variables that do not fit the operation with errors, calling no subgraph', async () => {
    const { engine, subgraphs } = engineWith();
    await engine.load({ apollo: {} as never });

    const result = await engine.execute(requestFor(MOVIE_QUERY, { id: { not: 'an id' } }));

    expect(result.errors?.[0]?.message).toMatch(/Variable "\$id"/);
    expect(result.data).toBeUndefined();
    expect(subgraphs.monolith.queries).toHaveLength(0);
  });

  it('makes one data source per subgraph and keeps it across versions with the same URLs', async () => {
    const { engine, built, source } = engineWith();
    await engine.load({ apollo: {} as never });
    source().update(`${SUPERGRAPH}\n# a new version\n`);

    expect([...built].sort()).toEqual(['events', 'monolith', 'movies']);
  });

  it('refuses a new version whose subgraph fails its health check, naming it', async () => {
    const { engine, source } = engineWith({
      buildService: ({ name }) => ({
        process: async () => {
          if (name === 'movies') throw new Error('connection refused');
          return { data: { __typename: 'Query' } };
        },
      }),
    });
    await engine.load({ apollo: {} as never });

    await expect(source().healthCheck(SUPERGRAPH)).rejects.toThrow(
      /subgraph movies failed its health check: Error: connection refused/,
    );
  });

  it('runs the source cleanup once when stopped, and refuses updates after', async () => {
    const cleanup = jest.fn(async () => undefined);
    const { engine, source } = engineWith({}, cleanup);
    await engine.load({ apollo: {} as never });

    await engine.stop();
    await engine.stop();

    expect(cleanup).toHaveBeenCalledTimes(1);
    expect(() => source().update(`${SUPERGRAPH}\n# later\n`)).toThrow(/stopped/);
  });
});
