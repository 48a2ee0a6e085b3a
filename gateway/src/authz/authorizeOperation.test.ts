import { buildSchema, parse, print } from 'graphql';
import type { Requirement, SecurityIndex } from './securityDirectives';
import {
  PLACEHOLDER_KEY,
  authorizeOperation,
  isAuthorized,
  nullRemovedFields,
  rightsKey,
} from './authorizeOperation';

const schema = buildSchema(`
  type Query { users: [User!]!, payments(userId: ID!): [Payment!], movie: Movie }
  type Mutation { createPayment(amount: Float!): Payment, rename(name: String!): User }
  type User { id: ID!, username: String!, email: String, payments: [Payment!] }
  type Payment { id: ID!, amount: Float! }
  type Movie { title: String! }
`);
const signedIn: Requirement = { authenticated: true, anyOf: [] };
const index: SecurityIndex = {
  fields: new Map<string, Requirement>([
    ['User.email', signedIn],
    ['User.payments', signedIn],
    ['Query.payments', signedIn],
    ['Mutation.createPayment', { authenticated: true, anyOf: [['payments:write']] }],
  ]),
};
const alice = { subject: 'alice', scopes: ['users:read'] };
const squash = (text: string) => text.replace(/\s+/g, ' ').trim();
const authorize = (source: string, caller = undefined as typeof alice | undefined) =>
  authorizeOperation(parse(source), undefined, schema, index, caller);

describe('isAuthorized', () => {
  it('needs sign-in for @authenticated, and one whole scope set for @requiresScopes', () => {
    expect(isAuthorized({ authenticated: false, anyOf: [] }, undefined)).toBe(true);
    expect(isAuthorized(signedIn, undefined)).toBe(false);
    expect(isAuthorized(signedIn, alice)).toBe(true);
    const either = { authenticated: true, anyOf: [['a', 'b'], ['c']] };
    expect(isAuthorized(either, { subject: 's', scopes: ['a'] })).toBe(false);
    expect(isAuthorized(either, { subject: 's', scopes: ['b', 'a'] })).toBe(true);
    expect(isAuthorized(either, { subject: 's', scopes: ['c'] })).toBe(true);
  });

  it('keys rights by sign-in and scopes only, not by who', () => {
    expect(rightsKey(undefined)).toBe('anonymous');
    expect(rightsKey(alice)).toBe(rightsKey({ subject: 'bob', scopes: ['users:read'] }));
    expect(rightsKey(alice)).not.toBe(rightsKey({ subject: 'alice', scopes: [] }));
  });
});

describe('authorizeOperation', () => {
  it('removes what an anonymous caller may not see, with each removal’s path', () => {
    const { removed, document } = authorize('{ users { username email payments { amount } } }');
    expect(removed).toEqual([
      { coordinate: 'User.email', path: ['users', 'email'] },
      { coordinate: 'User.payments', path: ['users', 'payments'] },
    ]);
    expect(squash(print(document!))).toBe('{ users { username } }');
  });

  it('changes nothing for a caller allowed everything asked', () => {
    expect(authorize('{ users { email } }', alice)).toEqual({ removed: [] });
  });

  it('inlines fragments, and names the path by aliases', () => {
    const { removed, document } = authorize(
      '{ people: users { ...U } } fragment U on User { username mail: email }',
    );
    expect(removed).toEqual([{ coordinate: 'User.email', path: ['people', 'mail'] }]);
    expect(squash(print(document!))).toBe('{ people: users { ... on User { username } } }');
  });

  it('keeps an object whose every field was removed, by a placeholder', () => {
    const { document } = authorize('{ users { email } movie { title } }');
    expect(squash(print(document!))).toBe(
      `{ users { ${PLACEHOLDER_KEY}: __typename } movie { title } }`,
    );
  });

  it('leaves nothing to run when every root field is removed, and drops unused variables', () => {
    expect(authorize('mutation($a: Float!) { createPayment(amount: $a) { id } }', alice)).toEqual({
      removed: [{ coordinate: 'Mutation.createPayment', path: ['createPayment'] }],
    });
    const { document } = authorize(
      'mutation($a: Float!, $n: String!) { createPayment(amount: $a) { id } rename(name: $n) { id } }',
    );
    expect(squash(print(document!))).toBe('mutation ($n: String!) { rename(name: $n) { id } }');
  });
});

describe('nullRemovedFields', () => {
  it('puts null where each removed field was asked, through lists, and takes placeholders out', () => {
    const data = {
      users: [
        { username: 'ripley', [PLACEHOLDER_KEY]: 'User' },
        { username: 'chihiro', [PLACEHOLDER_KEY]: 'User' },
      ],
      movie: null,
    };
    expect(
      nullRemovedFields(data, [
        { coordinate: 'User.email', path: ['users', 'email'] },
        { coordinate: 'Query.payments', path: ['payments'] },
      ]),
    ).toEqual({
      users: [
        { username: 'ripley', email: null },
        { username: 'chihiro', email: null },
      ],
      movie: null,
      payments: null,
    });
  });
});
