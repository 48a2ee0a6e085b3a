import fc from 'fast-check';
import { buildClientSchema, getIntrospectionQuery } from 'graphql';
import type { IntrospectionQuery } from 'graphql';
import {
  countEventRecords,
  countRows,
  leakedInternal,
  platformFailures,
  POST_ROUTE_SERVICES,
  sendRaw,
} from '../support/clientMistakes';
import type {
  GraphQLBody,
  RawRequest,
  RawResponse,
  RestService,
  RowCounts,
} from '../support/clientMistakes';
import { startStack } from '../support/startStack';
import type { Stack } from '../support/startStack';
import {
  arbitraryRestRequest,
  malformedGraphQLRequest,
  poisonedBody,
  POST_ROUTES,
  schemaOperations,
} from './fuzzArbitraries';
import type { GraphQLRequestBody } from './fuzzArbitraries';

/**
 * Property-based fuzzing of every route and GraphQL operation with client mistakes, against
 * the real services over real PostgreSQL and Kafka. The seed is fixed, so CI runs the same
 * cases every time; FUZZ_SEED and FUZZ_RUNS explore further locally, e.g.
 * `FUZZ_RUNS=5000 FUZZ_SEED=$RANDOM npx jest e2e/clientMistakes/fuzz`. A failure prints the
 * seed and path that replay it.
 */
const SEED = Number(process.env.FUZZ_SEED ?? 20_261_203);
const RUNS = Number(process.env.FUZZ_RUNS ?? 300);
const settings = (runs = RUNS): fc.Parameters<unknown> => ({ seed: SEED, numRuns: runs });
// Longer local runs need more than jest's default minute.
jest.setTimeout(Math.max(120_000, RUNS * 2_000));

type Service = RestService | 'monolith subgraph';

/** Which services serve each REST path: the POST routes, the operators' list and health. */
const REST_SERVICES: Record<string, readonly Service[]> = {
  ...POST_ROUTE_SERVICES,
  '/api/events': ['events'],
  '/health': ['monolith', 'gateway'],
};

/** The platform's invariants for any answer to any client mistake. */
function expectSound(response: RawResponse, request: RawRequest): void {
  const context = `${request.method} ${request.path} → ${response.status} ${response.text.slice(0, 200)}`;
  if (response.status >= 500) throw new Error(`a client mistake got a 5xx: ${context}`);
  const leak = leakedInternal(response.text);
  if (leak) throw new Error(`the answer leaks "${leak}": ${context}`);
  if (request.method === 'HEAD' || response.text === '') return;
  if (!/^application\/(graphql-response\+)?json/.test(response.contentType)) {
    throw new Error(`the answer is not JSON (${response.contentType}): ${context}`);
  }
  JSON.parse(response.text);
}

/** Row counts, leaving out what the event consumers write later on their own. */
function synchronousRows({ processed_events: _later, ...rows }: RowCounts) {
  return rows;
}

describe('fuzzing client mistakes', () => {
  let stack: Stack;
  const urls = {} as Record<Service, string>;
  const schemas = {} as Record<
    'gateway' | 'movies' | 'monolith subgraph',
    fc.Arbitrary<GraphQLRequestBody>
  >;

  async function introspect(url: string) {
    const response = await sendRaw(url, {
      method: 'POST',
      path: '/graphql',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: getIntrospectionQuery() }),
    });
    const { data } = JSON.parse(response.text) as { data: IntrospectionQuery };
    return schemaOperations(buildClientSchema(data));
  }

  beforeAll(async () => {
    stack = await startStack({}, { withEventsService: true });
    urls.gateway = stack.gateway.url;
    urls.monolith = stack.monolith.url;
    urls.movies = stack.movies.url;
    urls.events = (stack.events as { url: string }).url;
    urls['monolith subgraph'] = stack.monolithSubgraph.url;
    schemas.gateway = await introspect(urls.gateway);
    schemas.movies = await introspect(urls.movies);
    schemas['monolith subgraph'] = await introspect(urls['monolith subgraph']);
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('answers a body with wrong fields 400 naming one of them, writing and publishing nothing', async () => {
    const recordsBefore = await countEventRecords(stack);
    const cases = fc
      .constantFrom(...POST_ROUTES)
      .chain((route) =>
        fc.tuple(fc.constantFrom(...(REST_SERVICES[route.path] ?? [])), poisonedBody(route)),
      );
    await fc.assert(
      fc.asyncProperty(cases, async ([service, { route, poisoned, body }]) => {
        const request: RawRequest = {
          method: 'POST',
          path: route.path,
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
        };
        const before = await countRows(stack);
        const response = await sendRaw(urls[service], request);
        expectSound(response, request);
        const { error } = JSON.parse(response.text) as { error?: string };
        expect({ status: response.status, error }).toEqual({
          status: 400,
          error: expect.stringMatching(new RegExp(`^(${poisoned.join('|')})\\b`)),
        });
        expect(await countRows(stack)).toEqual(before);
      }),
      settings(),
    );
    expect(await countEventRecords(stack)).toBe(recordsBefore);
  });

  it('answers any request to a REST path below 500, in JSON, writing nothing when it refuses', async () => {
    const cases = fc
      .constantFrom(...Object.keys(REST_SERVICES))
      .chain((path) =>
        fc.tuple(fc.constantFrom(...(REST_SERVICES[path] ?? [])), arbitraryRestRequest([path])),
      );
    await fc.assert(
      fc.asyncProperty(cases, async ([service, request]) => {
        const before = synchronousRows(await countRows(stack));
        const response = await sendRaw(urls[service], request);
        expectSound(response, request);
        if (response.status >= 400) {
          expect(synchronousRows(await countRows(stack))).toEqual(before);
        }
      }),
      settings(),
    );
  });

  it('answers every GraphQL operation with arbitrary arguments without a platform failure', async () => {
    const endpoints = ['gateway', 'movies', 'monolith subgraph'] as const;
    const cases = fc
      .constantFrom(...endpoints)
      .chain((endpoint) => fc.tuple(fc.constant(endpoint), schemas[endpoint]));
    await fc.assert(
      fc.asyncProperty(cases, async ([endpoint, operation]) => {
        const request: RawRequest = {
          method: 'POST',
          path: '/graphql',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(operation),
        };
        const before = synchronousRows(await countRows(stack));
        const response = await sendRaw(urls[endpoint], request);
        expectSound(response, request);
        const body = JSON.parse(response.text) as GraphQLBody;
        expect({ failures: platformFailures(body), operation }).toEqual({
          failures: [],
          operation,
        });
        const refused = Object.values(body.data ?? {}).every((value) => value === null);
        if (body.errors?.length && refused) {
          expect(synchronousRows(await countRows(stack))).toEqual(before);
        }
      }),
      settings(),
    );
  });

  it('answers malformed GraphQL requests below 500, in JSON, without a platform failure', async () => {
    const endpoints = ['gateway', 'movies', 'monolith subgraph'] as const;
    const cases = fc
      .constantFrom(...endpoints)
      .chain((endpoint) =>
        fc.tuple(fc.constant(endpoint), malformedGraphQLRequest(schemas[endpoint])),
      );
    await fc.assert(
      fc.asyncProperty(cases, async ([endpoint, request]) => {
        const before = synchronousRows(await countRows(stack));
        const response = await sendRaw(urls[endpoint], request);
        expectSound(response, request);
        const body = JSON.parse(response.text) as GraphQLBody;
        expect(platformFailures(body)).toEqual([]);
        if (response.status >= 400) {
          expect(synchronousRows(await countRows(stack))).toEqual(before);
        }
      }),
      settings(),
    );
  });
});
