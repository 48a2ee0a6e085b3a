import { readFileSync } from 'node:fs';
import path from 'node:path';
import type {
  GatewayExecutionResult,
  GatewayGraphQLRequestContext,
} from '@apollo/server-gateway-interface';
import { buildSchema, getOperationAST, parse, print, stripIgnoredCharacters } from 'graphql';
import { createMemoryLogger } from '@cinemaabyss/shared/testing';
import type { ShadowOutcome } from '../figures/figuresRecorder';
import { indexOverrides } from '../graphql/overrideIndex';
import type { ExecutedOperation, LabelConditions } from '../graphql/progressiveOverride';
import { createGraphqlShadow, variablesHash } from './graphqlShadow';
import type { NewMismatch } from './mismatchStore';

const supergraph = readFileSync(path.join(__dirname, '../../../supergraph.graphql'), 'utf8');
const schema = buildSchema(supergraph);
const overrides = indexOverrides(supergraph);
const LABEL = 'migration:movies';

function setup() {
  const outcomes: ShadowOutcome[] = [];
  const kept: NewMismatch[] = [];
  const shadow = createGraphqlShadow({
    migration: 'movies',
    settings: () => ({ shadowPercent: 100, noisePercent: 0, ignorePaths: [] }),
    figures: { shadow: (outcome) => outcomes.push(outcome) },
    mismatches: { record: async (mismatch) => void kept.push(mismatch) },
    noise: { learn: () => undefined, noisyPaths: () => new Set() },
    logger: createMemoryLogger({ level: 'warn' }).logger,
    maxInFlight: 8,
    timeoutMs: 2_000,
    random: () => 0.5,
  });
  return { shadow, outcomes, kept };
}

/** An answered operation; `answers` gives each side's result by whether the label is active. */
function executed(
  query: string,
  answers: (active: boolean) => GatewayExecutionResult,
  { headers = {} as Record<string, string>, variables = { id: '1' } } = {},
) {
  const document = parse(query);
  const runs: { shadow: boolean; active: boolean | undefined; asked: string }[] = [];
  const request = {
    request: {
      query,
      variables,
      http: { method: 'POST', headers: new Map(Object.entries(headers)) },
    },
    document,
    operation: getOperationAST(document)!,
    operationName: getOperationAST(document)!.name?.value ?? null,
    queryHash: 'hash',
    schema,
    context: { requestId: 'r1' },
    metrics: {},
  } as unknown as GatewayGraphQLRequestContext;
  const conditions: LabelConditions = new Map([[LABEL, false]]);
  const operation: ExecutedOperation = {
    request,
    conditions,
    decisions: [{ label: LABEL, active: false, migration: 'movies', servedBy: 'monolith' }],
    result: answers(false),
    overrides,
    executeWithLabels: async (shadowRequest, labels) => {
      runs.push({
        shadow: (shadowRequest.context as { shadow?: boolean }).shadow === true,
        active: labels.get(LABEL),
        asked: stripIgnoredCharacters(print(shadowRequest.document)),
      });
      return answers(labels.get(LABEL) === true);
    },
  };
  return { operation, runs };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('the GraphQL shadow', () => {
  it('runs a sampled query on the other side’s plan in a shadow context and keeps a mismatch at its path', async () => {
    const { shadow, outcomes, kept } = setup();
    const { operation, runs } = executed(
      'query MovieTitle($id: ID!) { movie(id: $id) { id title averageRating } }',
      (active) => ({
        data: {
          movie: { id: '1', title: active ? 'Alien³' : 'Alien', averageRating: active ? 1 : 2 },
        },
      }),
    );
    shadow.consider(operation, 4);
    await settle();
    await settle();

    // Asked only what can differ: averageRating comes from one subgraph in both plans.
    expect(runs).toEqual([
      { shadow: true, active: true, asked: 'query MovieTitle($id:ID!){movie(id:$id){id title}}' },
    ]);
    expect(outcomes.map((o) => [o.side, o.surface, o.result])).toEqual([
      ['new', 'graphql', 'mismatch'],
    ]);
    expect(kept).toEqual([
      {
        migration: 'movies',
        surface: 'graphql',
        request: {
          method: 'POST',
          operationName: 'MovieTitle',
          variablesHash: variablesHash({ id: '1' }),
          userBucket: null,
          servedSide: 'old',
        },
        status: { served: 200, shadow: 200 },
        latencyMs: { served: 4, shadow: expect.any(Number) },
        // averageRating comes from one subgraph in both plans: not compared.
        differences: [{ path: '/data/movie/title', served: '"Alien"', shadow: '"Alien³"' }],
      },
    ]);
  });

  it('compares error codes within the evidence only', async () => {
    const { shadow, outcomes } = setup();
    // The client's answer has an error on payments, which the shadow run never asks.
    const { operation } = executed(
      '{ user(id: "1") { payments { id } ratings { movie { title } } } }',
      (active) =>
        active
          ? { data: { user: { ratings: [{ movie: { title: 'Alien' } }] } } }
          : {
              data: { user: { payments: null, ratings: [{ movie: { title: 'Alien' } }] } },
              errors: [
                {
                  message: 'down',
                  path: ['user', 'payments'],
                  extensions: { code: 'SERVICE_UNAVAILABLE' },
                },
              ] as unknown as GatewayExecutionResult['errors'],
            },
    );
    shadow.consider(operation, 1);
    await settle();
    await settle();
    expect(outcomes.map((o) => o.result)).toEqual(['match']);
  });

  it('compares error codes', async () => {
    const { shadow, kept } = setup();
    const { operation } = executed('{ movie(id: "1") { title } }', (active) =>
      active
        ? {
            data: { movie: null },
            errors: [
              { message: 'down', extensions: { code: 'SERVICE_UNAVAILABLE' } },
            ] as unknown as GatewayExecutionResult['errors'],
          }
        : { data: { movie: { title: 'Alien' } } },
    );
    shadow.consider(operation, 1);
    await settle();
    await settle();
    expect(kept[0]?.differences).toEqual([
      { path: '/errors', served: '[]', shadow: '["SERVICE_UNAVAILABLE"]' },
      { path: '/data/movie', served: '{"title":"Alien"}', shadow: 'null' },
    ]);
  });

  it('never shadows a mutation, a shadow run, or an operation without the label', async () => {
    const { shadow, outcomes } = setup();
    const mutation = executed(
      'mutation { createMovie(input: { title: "x", description: "y", rating: 1 }) { title } }',
      () => ({ data: {} }),
    );
    const shadowCall = executed('{ movie(id: "1") { title } }', () => ({ data: {} }), {
      headers: { 'x-shadow-request': '1' },
    });
    const other = executed('{ movie(id: "1") { title } }', () => ({ data: {} }));
    other.operation.conditions = new Map([['percent(5)', true]]);
    for (const { operation } of [mutation, shadowCall, other]) shadow.consider(operation, 1);
    await settle();
    expect([...mutation.runs, ...shadowCall.runs, ...other.runs]).toEqual([]);
    expect(outcomes).toEqual([]);
  });
});
