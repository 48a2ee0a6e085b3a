import type {
  GraphQLDataSource,
  GraphQLDataSourceProcessOptions,
  ServiceMap,
} from '@apollo/gateway';
import type {
  GatewayExecutionResult,
  GatewayGraphQLRequestContext,
  GatewayGraphQLResponse,
} from '@apollo/server-gateway-interface';
import { execute, parse } from 'graphql';
import type { ExecutionResult } from 'graphql';
import { createOperationCache, introspectionAnswer } from './compiledOperations';
import { executePlan, supportsOwnExecution } from './executePlan';
import { federation } from './federationExports';
import { ENGINE_TEST_SUPERGRAPH, engineRequest } from '../testing/engineFixtures';

/**
 * The executor against Apollo's executeQueryPlan on the same plans and the same subgraph
 * replies, good and broken: every result must be the same, errors and their paths included.
 * Each subgraph answers a fetch by executing it on its own schema (as extracted from the
 * supergraph), so aliases and entity fetches are answered as a real one would; a case then
 * breaks the reply as it needs.
 */

const supergraph = federation.Supergraph.build(ENGINE_TEST_SUPERGRAPH);
const apiSchema = supergraph.apiSchema();
const schema = apiSchema.toGraphQLJSSchema();
const supergraphSchema = supergraph.schema.toGraphQLJSSchema();
const planner = new federation.QueryPlanner(supergraph);

/** What a case does to a subgraph's reply before the gateway sees it. */
type Responder = (
  subgraph: string,
  reply: GatewayGraphQLResponse,
  variables: Record<string, unknown>,
) => GatewayGraphQLResponse;

const movieData = (id: string) => ({
  __typename: 'Movie',
  id,
  title: `movie ${id}`,
  description: null,
  genres: ['drama'],
  rating: 6,
  averageRating: 7.5,
});
const userData = (id: string) => ({
  __typename: 'User',
  id,
  username: `user${id}`,
  email: null,
  ratings: [{ score: Number(id) + 5, review: null, movie: movieData(id) }],
});

/** Every subgraph's data; each serves the part its schema selects. */
const rootValue = {
  users: () => ['1', '2', '3'].map(userData),
  user: ({ id }: { id: string }) => userData(id),
  movie: ({ id }: { id: string }) => movieData(id),
  movies: () => ['1', '2'].map(movieData),
  _entities: ({ representations }: { representations: { __typename: string; id: string }[] }) =>
    representations.map(({ __typename, id }) =>
      __typename === 'User' ? userData(id) : movieData(id),
    ),
};

const asIs: Responder = (_subgraph, reply) => reply;

function servicesFrom(respond: Responder): ServiceMap {
  const services: ServiceMap = Object.create(null) as ServiceMap;
  for (const subgraph of supergraph.subgraphs().values()) {
    const subgraphSchema = subgraph.schema.toGraphQLJSSchema();
    const source: GraphQLDataSource = {
      async process(options: GraphQLDataSourceProcessOptions) {
        const variables = { ...options.request.variables };
        const executed = (await execute({
          schema: subgraphSchema,
          document: parse(options.request.query ?? ''),
          rootValue,
          variableValues: variables,
        })) as ExecutionResult;
        const reply = JSON.parse(JSON.stringify(executed)) as GatewayGraphQLResponse;
        return respond(subgraph.name, reply, variables);
      },
    };
    services[subgraph.name] = source;
  }
  return services;
}

const requestFor = engineRequest;

/** A result as a client receives it: errors as JSON (message, path, extensions). */
function asClientSees(result: GatewayExecutionResult) {
  return JSON.parse(JSON.stringify(result)) as unknown;
}

async function bothExecutors(
  query: string,
  variables: Record<string, unknown> = {},
  respond: Responder = asIs,
) {
  const request = requestFor(query, variables);
  const operationContext = federation.buildOperationContext({
    schema,
    operationDocument: request.document,
  });
  const plan = planner.buildQueryPlan(
    federation.operationFromDocument(apiSchema, request.document),
  );
  const theirs = await federation.executeQueryPlan(
    plan,
    servicesFrom(respond),
    requestFor(query, variables),
    operationContext,
    supergraphSchema,
    apiSchema,
  );
  const operations = createOperationCache(apiSchema);
  const ours = await executePlan({
    plan,
    serviceMap: servicesFrom(respond),
    request,
    operation: operations.get(request.queryHash, operationContext),
    supergraphSchema,
    introspect: introspectionAnswer(schema, operationContext, variables),
    telemetry: {},
  });
  expect(supportsOwnExecution(plan, request)).toBe(true);
  return { ours: asClientSees(ours), theirs: asClientSees(theirs) };
}

const NESTED = `{
  users(limit: 3) { id username ratings { score review movie { id title averageRating } } }
}`;

describe('executePlan (against executeQueryPlan on the same plans and replies)', () => {
  it('answers a query over both subgraphs with entity fetches', async () => {
    const { ours, theirs } = await bothExecutors(NESTED);
    expect(ours).toEqual(theirs);
    expect(ours).toMatchObject({
      data: {
        users: [
          { id: '1', username: 'user1', ratings: [{ score: 6, movie: { title: 'movie 1' } }] },
          {},
          {},
        ],
      },
    });
  });

  it('keeps aliases, __typename, fragments and @skip / @include with defaults', async () => {
    const query = `query Q($withEmail: Boolean!, $skipRatings: Boolean = false) {
      people: users { kind: __typename handle: username ...on User { id email @include(if: $withEmail) }
        ratings @skip(if: $skipRatings) { score } }
      movie(id: "1") { __typename id genres ... Details }
    }
    fragment Details on Movie { title rating averageRating }`;
    for (const withEmail of [true, false]) {
      const { ours, theirs } = await bothExecutors(query, { withEmail });
      expect(ours).toEqual(theirs);
      expect(ours).toEqual({
        data: {
          people: expect.arrayContaining([
            {
              kind: 'User',
              handle: 'user1',
              id: '1',
              ...(withEmail && { email: null }),
              ratings: [{ score: 6 }],
            },
          ]),
          movie: {
            __typename: 'Movie',
            id: '1',
            genres: ['drama'],
            title: 'movie 1',
            rating: 6,
            averageRating: 7.5,
          },
        },
      });
    }
    const skipped = await bothExecutors(query, { withEmail: false, skipRatings: true });
    expect(skipped.ours).toEqual(skipped.theirs);
    expect(JSON.stringify(skipped.ours)).not.toContain('ratings');
  });

  it('answers introspection beside data', async () => {
    const query =
      '{ __typename __type(name: "Rating") { name fields { name } } movie(id: "1") { title } }';
    const { ours, theirs } = await bothExecutors(query);
    expect(ours).toEqual(theirs);
    expect(ours).toMatchObject({ data: { __typename: 'Query', __type: { name: 'Rating' } } });
  });

  it('bubbles a null in a non-null field to the nearest nullable one, with one error', async () => {
    const { ours, theirs } = await bothExecutors(NESTED, {}, (_subgraph, reply) => {
      const users = (reply.data as { users?: { username: string | null }[] }).users;
      if (users?.[1]) users[1].username = null;
      return reply;
    });
    expect(ours).toEqual(theirs);
    expect(ours).toMatchObject({
      data: null,
      extensions: { valueCompletion: [{ path: ['users', 1, 'username'] }] },
    });
  });

  it('reports invalid values and __typenames, and keeps the rest', async () => {
    const { ours, theirs } = await bothExecutors(NESTED, {}, (subgraph, reply) => {
      const entities = (reply.data as { _entities?: Record<string, unknown>[] })._entities;
      if (subgraph === 'movies' && entities?.[0]) {
        entities[0]['ratings'] = [
          { score: 'ten', review: 3, movie: { __typename: 'Movie', id: '1' } },
        ];
      }
      if (subgraph === 'monolith' && entities?.[1]) entities[1]['__typename'] = 'Nope';
      return reply;
    });
    expect(ours).toEqual(theirs);
    expect(JSON.stringify(ours)).toContain('Invalid value found for field Rating.score');
  });

  it("places a subgraph's errors at the entity's path in the response, naming the subgraph", async () => {
    const { ours, theirs } = await bothExecutors(NESTED, {}, (subgraph, reply) => {
      if (subgraph !== 'movies') return reply;
      return {
        ...reply,
        errors: [
          { message: 'ratings unavailable', path: ['_entities', 2, 'ratings'] },
          { message: '', extensions: { code: 'BAD_THING' } },
        ],
      };
    });
    expect(ours).toEqual(theirs);
    expect(ours).toMatchObject({
      errors: [
        {
          message: 'ratings unavailable',
          path: ['users', 2, 'ratings'],
          extensions: { serviceName: 'movies' },
        },
        { extensions: { code: 'BAD_THING', serviceName: 'movies' } },
      ],
    });
  });

  it('reports a subgraph that fails outright and one that answers with the wrong entity count', async () => {
    for (const broken of ['throws', 'short'] as const) {
      const { ours, theirs } = await bothExecutors(NESTED, {}, (subgraph, reply) => {
        if (subgraph !== 'movies') return reply;
        if (broken === 'throws') throw new Error('subgraph movies is unavailable');
        return { data: { _entities: [] } };
      });
      expect(ours).toEqual(theirs);
      expect(ours).toMatchObject({ errors: [{}] });
    }
  });
});

describe('supportsOwnExecution', () => {
  it('leaves requests that ask for federated traces to executeQueryPlan', () => {
    const request = requestFor('{ users { id } }');
    const plan = planner.buildQueryPlan(
      federation.operationFromDocument(apiSchema, request.document),
    );
    expect(supportsOwnExecution(plan, request)).toBe(true);
    const tracing = {
      ...request,
      metrics: { captureTraces: true },
    } as GatewayGraphQLRequestContext;
    expect(supportsOwnExecution(plan, tracing)).toBe(false);
  });

  it('leaves subscription plans and @defer to executeQueryPlan', () => {
    expect(
      supportsOwnExecution(
        { kind: 'QueryPlan', node: { kind: 'Subscription', primary: { kind: 'Fetch' } } } as never,
        requestFor('{ users { id } }'),
      ),
    ).toBe(false);
    expect(
      supportsOwnExecution(
        {
          kind: 'QueryPlan',
          node: { kind: 'Sequence', nodes: [{ kind: 'Defer', primary: {}, deferred: [] }] },
        } as never,
        requestFor('{ users { id } }'),
      ),
    ).toBe(false);
  });
});
