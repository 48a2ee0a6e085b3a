import type {
  GatewayExecutionResult,
  GatewayExecutor,
  GatewayGraphQLRequestContext,
  GatewayInterface,
} from '@apollo/server-gateway-interface';
import { Headers } from 'undici';
import { parse } from 'graphql';
import type { OperationDefinitionNode } from 'graphql';
import type { Caller } from '@cinemaabyss/shared/identity';
import { collapseInFlightQueries, collapseKey } from './collapseInFlightQueries';

interface Policy {
  maxAge?: number;
  restrict(hint: { maxAge?: number }): void;
}

function policy(): Policy {
  return {
    restrict(hint) {
      if (hint.maxAge !== undefined && (this.maxAge === undefined || hint.maxAge < this.maxAge)) {
        this.maxAge = hint.maxAge;
      }
    },
  };
}

function requestFor(
  source: string,
  {
    variables = {},
    headers = {},
    caller,
  }: { variables?: object; headers?: Record<string, string>; caller?: Caller } = {},
) {
  const document = parse(source);
  return {
    request: {
      query: source,
      variables,
      http: { method: 'POST', url: '/', headers: new Headers(headers) },
    },
    queryHash: source,
    operationName: null,
    operation: document.definitions[0] as OperationDefinitionNode,
    document,
    overallCachePolicy: policy(),
    context: { requestId: 'r', ...(caller && { caller }) },
  } as unknown as GatewayGraphQLRequestContext;
}

/** A gateway whose executor answers only when the test says so, counting executions. */
function fakeGateway() {
  const waiting: ((result: GatewayExecutionResult) => void)[] = [];
  const executor = jest.fn<Promise<GatewayExecutionResult>, [GatewayGraphQLRequestContext]>(
    (request) =>
      new Promise((resolve) => {
        (request.overallCachePolicy as Policy).restrict({ maxAge: 30 });
        waiting.push(resolve);
      }),
  );
  const gateway: GatewayInterface = {
    onSchemaLoadOrUpdate: () => () => {},
    stop: async () => {},
    load: async () => ({ executor: executor as GatewayExecutor }),
  };
  const answerAll = (data: Record<string, unknown>) =>
    waiting.splice(0).forEach((r) => r({ data }));
  return { gateway, executor, answerAll };
}

async function collapsedExecutor(gateway: GatewayInterface, onCollapsed = () => {}) {
  const { executor } = await collapseInFlightQueries(gateway, onCollapsed).load({ apollo: {} });
  return executor as GatewayExecutor;
}

describe('collapseInFlightQueries', () => {
  it('runs identical concurrent queries once; each caller gets its own result object', async () => {
    const fake = fakeGateway();
    let collapsed = 0;
    const execute = await collapsedExecutor(fake.gateway, () => (collapsed += 1));
    const requests = [1, 2, 3].map(() => requestFor('{ movies { title } }'));
    const results = Promise.all(requests.map((r) => execute(r)));
    await new Promise(setImmediate);
    fake.answerAll({ movies: [{ title: 'Heat' }] });
    const answered = await results;
    expect(fake.executor).toHaveBeenCalledTimes(1);
    expect(collapsed).toBe(2);
    expect(answered.map((r) => r.data)).toEqual([
      { movies: [{ title: 'Heat' }] },
      { movies: [{ title: 'Heat' }] },
      { movies: [{ title: 'Heat' }] },
    ]);
    expect(answered[0]).not.toBe(answered[1]);
    // Followers carry the cache policy the subgraphs set on the request that ran the plan.
    expect(requests.map((r) => (r.overallCachePolicy as Policy).maxAge)).toEqual([30, 30, 30]);
  });

  it('runs the query again once the first execution has answered', async () => {
    const fake = fakeGateway();
    const execute = await collapsedExecutor(fake.gateway);
    const first = execute(requestFor('{ movies { title } }'));
    await new Promise(setImmediate);
    fake.answerAll({ n: 1 });
    await first;
    const second = execute(requestFor('{ movies { title } }'));
    await new Promise(setImmediate);
    fake.answerAll({ n: 2 });
    expect((await second).data).toEqual({ n: 2 });
    expect(fake.executor).toHaveBeenCalledTimes(2);
  });

  it('never collapses mutations', async () => {
    const fake = fakeGateway();
    const execute = await collapsedExecutor(fake.gateway);
    const mutation = 'mutation { rateMovie(userId: "1", movieId: "1", score: 5) { score } }';
    const both = Promise.all([execute(requestFor(mutation)), execute(requestFor(mutation))]);
    await new Promise(setImmediate);
    fake.answerAll({});
    await both;
    expect(fake.executor).toHaveBeenCalledTimes(2);
  });

  it.each([
    ['variables', { variables: { id: '1' } }, { variables: { id: '2' } }],
    ['Authorization', { headers: { authorization: 'a' } }, { headers: { authorization: 'b' } }],
    ['X-User-Id', { headers: { 'x-user-id': '1' } }, { headers: { 'x-user-id': '2' } }],
    // The verified caller decides the labels' sides, and later what the caller may see.
    ['callers', { caller: { subject: '1', scopes: [] } }, { caller: { subject: '2', scopes: [] } }],
    [
      'scopes',
      { caller: { subject: '1', scopes: ['users:read'] } },
      { caller: { subject: '1', scopes: [] } },
    ],
    ['a caller and none', { caller: { subject: '1', scopes: [] } }, {}],
    // Only the debug request may see which side served its migrated fields.
    ['X-Debug-Override-Labels', { headers: { 'x-debug-override-labels': '1' } }, { headers: {} }],
  ])('keeps queries with different %s apart', (_what, a, b) => {
    const source = 'query ($id: ID!) { movie(id: $id) { title } }';
    expect(collapseKey(requestFor(source, a))).not.toEqual(collapseKey(requestFor(source, b)));
    expect(collapseKey(requestFor(source, a))).toEqual(collapseKey(requestFor(source, a)));
  });
});
