import { buildSchema, parse } from 'graphql';
import type { OperationDefinitionNode } from 'graphql';
import { getComplexity } from 'graphql-query-complexity';
import { checkPageCost, costVariablesOf, createPageCostCheck } from './pageCostPlugin';

jest.mock('graphql-query-complexity', () => {
  const actual = jest.requireActual('graphql-query-complexity');
  return { ...actual, getComplexity: jest.fn(actual.getComplexity) };
});

const schema = buildSchema(`
  type Query {
    users(limit: Int = 20, offset: Int = 0): [User!]!
    user(id: ID!): User
  }
  type User {
    id: ID!
    name: String
    payments(limit: Int = 20, offset: Int = 0): [Payment!]!
  }
  type Payment { amount: Float }
`);

const QUERY = `query Users($id: ID!, $limit: Int, $offset: Int, $withPayments: Boolean = true) {
  user(id: $id) { name }
  users(limit: $limit, offset: $offset) { id payments(limit: 10) @include(if: $withPayments) { amount } }
}`;
const document = parse(QUERY);
const definition = document.definitions[0] as OperationDefinitionNode;

function operation(variables: Record<string, unknown>) {
  return { schema, document, variables, operationName: 'Users', queryHash: 'h', definition };
}

/** What the full check answers: the reference the remembered one must match. */
function fullCheck(maxCost: number, variables: Record<string, unknown>): string | undefined {
  try {
    checkPageCost(maxCost, operation(variables));
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

function rememberedCheck(
  check: ReturnType<typeof createPageCostCheck>,
  variables: Record<string, unknown>,
): string | undefined {
  try {
    check(operation(variables));
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

beforeEach(() => jest.mocked(getComplexity).mockClear());

describe('the page cost check, remembered per operation and page variables', () => {
  it('reads only the variables of pages and of @include/@skip', () => {
    expect(costVariablesOf(document)).toEqual({
      exact: ['limit', 'withPayments'],
      offsets: ['offset'],
    });
  });

  it('analyses an operation once for requests that differ only in ids and accepted offsets', () => {
    const check = createPageCostCheck(1_000);

    for (const [id, offset] of [
      ['1', 0],
      ['2', 40],
      ['3', undefined],
      ['4', 7],
    ] as const) {
      expect(rememberedCheck(check, { id, limit: 5, offset })).toBeUndefined();
    }

    // Once for an offset given, once for none (the default): readPage sees them apart.
    expect(getComplexity).toHaveBeenCalledTimes(2);
  });

  it('answers as the full check does when a page variable changes the cost', () => {
    const maxCost = 200;
    const check = createPageCostCheck(maxCost);
    for (const variables of [
      { id: '1', limit: 5 },
      { id: '1', limit: 50 }, // 50 users × 10 payments: over 200
      { id: '2', limit: 50 },
      { id: '1', limit: 50, withPayments: false },
      { id: '1', limit: 900 }, // a page out of range
      { id: '3', limit: 900 },
      { id: '1', limit: 5, offset: 3 },
      { id: '1', limit: 5, offset: -1 }, // refused, whatever the cost
      { id: '2', limit: 5, offset: -7 },
      { id: '2', limit: 5, offset: 12 },
    ]) {
      expect(rememberedCheck(check, variables)).toEqual(fullCheck(maxCost, variables));
    }
    expect(rememberedCheck(check, { id: '1', limit: 50 })).toMatch(/exceeds the limit of 200/);
    expect(rememberedCheck(check, { id: '1', limit: 900 })).toMatch(/limit/);
    expect(rememberedCheck(check, { id: '9', limit: 5, offset: -2 })).toMatch(/offset/);
  });

  it('names variables that do not fit the operation as the full check does, every time', () => {
    const check = createPageCostCheck(1_000);
    const bad = { limit: 'ten' };

    expect(rememberedCheck(check, bad)).toEqual(fullCheck(1_000, bad));
    expect(rememberedCheck(check, bad)).toEqual(fullCheck(1_000, bad));
    expect(rememberedCheck(check, bad)).toBeDefined();
  });

  it('keeps the costs of one schema apart from another', () => {
    const check = createPageCostCheck(1_000);
    check(operation({ id: '1', limit: 5 }));
    const other = buildSchema(sameSchemaText());

    check({ ...operation({ id: '1', limit: 5 }), schema: other });

    expect(getComplexity).toHaveBeenCalledTimes(2);
  });
});

/** The same schema, built anew (a new supergraph version is a new schema object). */
function sameSchemaText(): string {
  return `
    type Query { users(limit: Int = 20, offset: Int = 0): [User!]! user(id: ID!): User }
    type User { id: ID! name: String payments(limit: Int = 20, offset: Int = 0): [Payment!]! }
    type Payment { amount: Float }
  `;
}
