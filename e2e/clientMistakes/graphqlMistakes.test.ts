import { countRows, leakedInternal, sendRaw } from '../support/clientMistakes';
import type { GraphQLBody, RawRequest } from '../support/clientMistakes';
import { EVERY_SCOPE, startStack } from '../support/startStack';
import type { Stack } from '../support/startStack';

type Endpoint = 'gateway' | 'movies subgraph' | 'monolith subgraph';

/** A query each endpoint serves that takes an `ID!` argument, for the variable cases. */
const ID_QUERY: Record<Endpoint, string> = {
  gateway: 'query One($id: ID!) { movie(id: $id) { title } }',
  'movies subgraph': 'query One($id: ID!) { movie(id: $id) { title } }',
  'monolith subgraph': 'query One($id: ID!) { user(id: $id) { username } }',
};

const post = (body: unknown, headers: Record<string, string> = {}): RawRequest => ({
  method: 'POST',
  path: '/graphql',
  headers: { 'content-type': 'application/json', ...headers },
  body: typeof body === 'string' ? body : JSON.stringify(body),
});

interface RequestMistake {
  name: string;
  request: (endpoint: Endpoint) => RawRequest;
  status: number;
  /** The error's `extensions.code`, when the answer is in the GraphQL error shape. */
  code?: string;
  only?: Endpoint;
}

const repeat = (n: number, make: (i: number) => string) =>
  Array.from({ length: n }, (_, i) => make(i)).join(' ');

/** Mistakes in the request itself: Apollo answers them before any resolver runs. */
const REQUEST_MISTAKES: RequestMistake[] = [
  {
    name: 'a syntax error',
    request: () => post({ query: '{' }),
    status: 400,
    code: 'GRAPHQL_PARSE_FAILED',
  },
  {
    name: 'an unknown field',
    request: () => post({ query: '{ nothingHere }' }),
    status: 400,
    code: 'GRAPHQL_VALIDATION_FAILED',
  },
  {
    name: 'a variable of the wrong type',
    request: (endpoint) => post({ query: ID_QUERY[endpoint], variables: { id: { not: 'an id' } } }),
    status: 400,
    code: 'BAD_USER_INPUT',
  },
  {
    name: 'a missing variable',
    request: (endpoint) => post({ query: ID_QUERY[endpoint] }),
    status: 400,
    code: 'BAD_USER_INPUT',
  },
  {
    name: 'variables that are a string',
    request: (endpoint) => post({ query: ID_QUERY[endpoint], variables: 'id=1' }),
    status: 400,
    code: 'BAD_REQUEST',
  },
  {
    name: 'variables that are an array',
    request: (endpoint) => post({ query: ID_QUERY[endpoint], variables: [1] }),
    status: 400,
    code: 'BAD_REQUEST',
  },
  {
    name: 'a batch of operations',
    request: () => post([{ query: '{ __typename }' }, { query: '{ __typename }' }]),
    status: 400,
    code: 'BAD_REQUEST',
  },
  {
    name: 'an operationName that matches nothing',
    request: () => post({ query: '{ __typename }', operationName: 'nope' }),
    status: 400,
    code: 'OPERATION_RESOLUTION_FAILURE',
  },
  {
    name: 'two operations and no operationName',
    request: () => post({ query: 'query A { __typename } query B { __typename }' }),
    status: 400,
    code: 'OPERATION_RESOLUTION_FAILURE',
  },
  ...(['movies subgraph', 'monolith subgraph'] as const).map((only) => ({
    name: 'a subscription operation (the subgraphs have no subscription root)',
    request: () => post({ query: 'subscription { __typename }' }),
    status: 400,
    code: 'OPERATION_NOT_SUPPORTED',
    only,
  })),
  {
    // The supergraph has a subscription root, which may not select introspection fields.
    name: 'a subscription to __typename',
    request: () => post({ query: 'subscription { __typename }' }),
    status: 400,
    code: 'GRAPHQL_VALIDATION_FAILED',
    only: 'gateway',
  },
  {
    name: "a subscription to the supergraph's events over POST",
    request: () => post({ query: 'subscription { movieEvents { action } }' }),
    status: 400,
    code: 'OPERATION_NOT_SUPPORTED',
    only: 'gateway',
  },
  {
    name: 'a mutation over GET',
    request: () => ({
      method: 'GET',
      path: `/graphql?query=${encodeURIComponent('mutation { __typename }')}`,
      headers: { 'apollo-require-preflight': 'true' },
    }),
    status: 405,
    code: 'BAD_REQUEST',
  },
  { name: 'no query', request: () => post({ variables: {} }), status: 400, code: 'BAD_REQUEST' },
  {
    name: 'a query that is not a string',
    request: () => post({ query: 5 }),
    status: 400,
    code: 'BAD_REQUEST',
  },
  { name: 'malformed JSON', request: () => post('{"query": '), status: 400 },
  {
    name: 'a body over 1 MiB',
    request: () => post({ query: `{ __typename } #${'x'.repeat(1024 * 1024)}` }),
    status: 413,
  },
  {
    name: 'a text/plain body',
    request: () => ({
      method: 'POST',
      path: '/graphql',
      headers: { 'content-type': 'text/plain' },
      body: JSON.stringify({ query: '{ __typename }' }),
    }),
    status: 415,
  },
  // The gateway's operation limits; the subgraphs sit behind it and have none of their own.
  {
    name: '1,000 aliases (the token limit)',
    request: () => post({ query: `{ ${repeat(1000, (i) => `a${i}: __typename`)} }` }),
    status: 400,
    code: 'GRAPHQL_PARSE_FAILED',
    only: 'gateway',
  },
  {
    name: '1,000 directives (the token limit)',
    request: () => post({ query: `{ __typename ${repeat(1000, () => '@include(if: true)')} }` }),
    status: 400,
    code: 'GRAPHQL_PARSE_FAILED',
    only: 'gateway',
  },
  {
    name: '20,000 fields (the token limit)',
    request: () => post({ query: `{ movies { ${repeat(20_000, () => 'id')} } }` }),
    status: 400,
    code: 'GRAPHQL_PARSE_FAILED',
    only: 'gateway',
  },
  {
    name: '16 aliases (the alias limit)',
    request: () => post({ query: `{ ${repeat(16, (i) => `a${i}: movie(id: "1") { title }`)} }` }),
    status: 400,
    code: 'GRAPHQL_VALIDATION_FAILED',
    only: 'gateway',
  },
];

interface InputMistake {
  name: string;
  query: string;
  variables?: Record<string, unknown>;
  /** The subgraph whose resolver judges it; the gateway passes it on. */
  subgraph: 'movies subgraph' | 'monolith subgraph';
  message: string | RegExp;
}

const NUL = 'a\u0000b';
const LONE_SURROGATE = 'x\ud800y';

/** Mistakes in arguments: a resolver (or the legacy REST API behind it) refuses them. */
const INPUT_MISTAKES: InputMistake[] = [
  {
    name: 'createUser with a NUL in username',
    query:
      'mutation($u: String!) { createUser(input: { username: $u, email: "n@x.test" }) { id } }',
    variables: { u: NUL },
    subgraph: 'monolith subgraph',
    message: 'username must not contain NUL characters',
  },
  {
    name: 'createUser with an unpaired surrogate in username',
    query:
      'mutation($u: String!) { createUser(input: { username: $u, email: "s@x.test" }) { id } }',
    variables: { u: LONE_SURROGATE },
    subgraph: 'monolith subgraph',
    message: 'username must be valid Unicode',
  },
  {
    name: 'createPayment of 1e-9',
    query: 'mutation { createPayment(input: { userId: "1", amount: 1e-9 }) { id } }',
    subgraph: 'monolith subgraph',
    message: 'amount must have at most 2 decimal places',
  },
  {
    name: 'createPayment for an id that is not one',
    query: 'mutation { createPayment(input: { userId: "1 OR 1=1", amount: 5 }) { id } }',
    subgraph: 'monolith subgraph',
    message: 'input.userId must be a positive integer id',
  },
  {
    name: 'createSubscription ending on 2025-02-30',
    query:
      'mutation { createSubscription(input: { userId: "1", planType: "basic", startDate: "2025-01-01", endDate: "2025-02-30" }) { id } }',
    subgraph: 'monolith subgraph',
    message: 'end_date must be an RFC 3339 date-time',
  },
  {
    name: 'createSubscription with a NUL in planType',
    query:
      'mutation($p: String!) { createSubscription(input: { userId: "1", planType: $p, startDate: "2025-01-01", endDate: "2025-02-01" }) { id } }',
    variables: { p: NUL },
    subgraph: 'monolith subgraph',
    message: 'plan_type must not contain NUL characters',
  },
  {
    name: 'createMovie with a NUL in title',
    query:
      'mutation($t: String!) { createMovie(input: { title: $t, description: "", rating: 5 }) { id } }',
    variables: { t: NUL },
    subgraph: 'movies subgraph',
    message: 'title must not contain NUL characters',
  },
  {
    name: 'createMovie with an unpaired surrogate in description',
    query:
      'mutation($d: String!) { createMovie(input: { title: "T", description: $d, rating: 5 }) { id } }',
    variables: { d: LONE_SURROGATE },
    subgraph: 'movies subgraph',
    message: 'description must be valid Unicode',
  },
  {
    name: 'createMovie rated 1e-10',
    query: 'mutation { createMovie(input: { title: "T", description: "", rating: 1e-10 }) { id } }',
    subgraph: 'movies subgraph',
    message: 'rating must have at most 1 decimal place',
  },
  {
    name: 'rateMovie with a NUL in review',
    query:
      'mutation($r: String) { rateMovie(userId: "1", movieId: "1", score: 5, review: $r) { score } }',
    variables: { r: NUL },
    subgraph: 'movies subgraph',
    message: 'review must not contain NUL characters',
  },
  {
    name: 'rateMovie with a score of 11',
    query: 'mutation { rateMovie(userId: "1", movieId: "1", score: 11) { score } }',
    subgraph: 'movies subgraph',
    message: 'score must be between 1 and 10',
  },
  {
    name: 'movies filtered by a genre with a NUL',
    query: 'query($g: String) { movies(genre: $g) { id } }',
    variables: { g: NUL },
    subgraph: 'movies subgraph',
    message: 'genre must not contain NUL characters',
  },
  {
    name: 'a user by an id with path characters',
    query: '{ user(id: "../../etc/passwd") { id } }',
    subgraph: 'monolith subgraph',
    message: 'id must be a positive integer id',
  },
];

/**
 * GraphQL client mistakes, on the gateway and on each subgraph directly: request errors are a
 * 4xx in the GraphQL error shape; argument mistakes are BAD_USER_INPUT (never a code that says
 * the platform failed); nothing leaks and nothing is written.
 */
describe('GraphQL client mistakes', () => {
  let stack: Stack;
  const urls = {} as Record<Endpoint, string>;

  beforeAll(async () => {
    stack = await startStack();
    urls.gateway = stack.gateway.url;
    urls['movies subgraph'] = stack.movies.url;
    urls['monolith subgraph'] = stack.monolithSubgraph.url;
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const endpoints: Endpoint[] = ['gateway', 'movies subgraph', 'monolith subgraph'];

  it.each(
    REQUEST_MISTAKES.flatMap((mistake) =>
      endpoints
        .filter((endpoint) => !mistake.only || mistake.only === endpoint)
        .map((endpoint) => ({ title: `${endpoint}: ${mistake.name}`, endpoint, mistake })),
    ),
  )('$title', async ({ endpoint, mistake }) => {
    const response = await sendRaw(urls[endpoint], mistake.request(endpoint));
    expect({ status: response.status, body: response.text.slice(0, 300) }).toEqual({
      status: mistake.status,
      body: expect.any(String),
    });
    expect(response.contentType).toMatch(/^application\/(graphql-response\+)?json/);
    const body = JSON.parse(response.text) as GraphQLBody & { error?: unknown };
    const errors = body.errors ?? [{ message: String(body.error) }];
    expect(errors[0]?.message).toEqual(expect.any(String));
    if (mistake.code) expect(errors[0]?.extensions?.code).toBe(mistake.code);
    expect(leakedInternal(response.text)).toBeUndefined();
  });

  it.each(
    INPUT_MISTAKES.flatMap((mistake) =>
      (['gateway', mistake.subgraph] as const).map((endpoint) => ({
        title: `${endpoint}: ${mistake.name}`,
        endpoint,
        mistake,
      })),
    ),
  )('$title', async ({ endpoint, mistake }) => {
    const before = await countRows(stack);
    // A caller allowed to write anything: the mistake, not the caller's rights, is judged.
    const allowed = endpoint === 'gateway' ? await stack.bearer({ scope: EVERY_SCOPE }) : {};
    const response = await sendRaw(
      urls[endpoint],
      post({ query: mistake.query, variables: mistake.variables }, allowed),
    );
    expect(response.status).toBe(200);
    const body = JSON.parse(response.text) as GraphQLBody;
    // A mutation's non-null field nulls `data`; a nullable query field is null itself.
    expect(Object.values(body.data ?? {}).every((value) => value === null)).toBe(true);
    const [error] = body.errors ?? [];
    expect(error?.message).toEqual(
      typeof mistake.message === 'string'
        ? expect.stringContaining(mistake.message)
        : expect.stringMatching(mistake.message),
    );
    expect(error?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(leakedInternal(response.text)).toBeUndefined();
    expect(await countRows(stack)).toEqual(before);
  });

  // Found by the fuzz test: @apollo/subgraph answers these with a plain Error (an internal one).
  it.each([
    ['movies subgraph', { __typename: 'Payment', id: '1' }, 'Movie, User'],
    ['movies subgraph', { __typename: 'Rating' }, 'Movie, User'],
    ['monolith subgraph', { id: '1' }, 'Movie, Payment, User, UserSubscription'],
    ['monolith subgraph', 5, 'Movie, Payment, User, UserSubscription'],
  ] as const)(
    '%s: an entity representation %j that names none of its entities',
    async (endpoint, representation, entities) => {
      const response = await sendRaw(
        urls[endpoint],
        post({
          query: 'query($r: [_Any!]!) { _entities(representations: $r) { __typename } }',
          variables: { r: [representation] },
        }),
      );
      const body = JSON.parse(response.text) as GraphQLBody;
      expect(response.status).toBe(200);
      expect(body.errors?.[0]).toMatchObject({
        message: `representations[0] must be an object whose __typename is one of ${entities}`,
        extensions: { code: 'BAD_USER_INPUT' },
      });
    },
  );
});
