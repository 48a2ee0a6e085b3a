import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ApolloGateway } from '@apollo/gateway';
import {
  joinRequirements,
  readSecurityDirectives,
  withoutSecurityDirectives,
} from './securityDirectives';

const COMMITTED = readFileSync(path.resolve(__dirname, '../../../supergraph.graphql'), 'utf8');

/** A small supergraph-like document: links, definitions and uses, one of them renamed. */
const SDL = `
schema
  @link(url: "https://specs.apollo.dev/link/v1.0")
  @link(url: "https://specs.apollo.dev/authenticated/v0.1", for: SECURITY)
  @link(url: "https://specs.apollo.dev/requiresScopes/v0.1", for: SECURITY, as: "scopes")
{
  query: Query
}
directive @link(url: String, as: String, for: link__Purpose, import: [link__Import]) repeatable on SCHEMA
directive @authenticated on FIELD_DEFINITION | OBJECT | INTERFACE | SCALAR | ENUM
directive @scopes(scopes: [[scopes__Scope!]!]!) on FIELD_DEFINITION | OBJECT | INTERFACE | SCALAR | ENUM
scalar scopes__Scope
scalar link__Import
enum link__Purpose { SECURITY EXECUTION }
type Query {
  public: String
  me: Account @authenticated
  audit: [String] @scopes(scopes: [["audit:read", "staff"], ["admin"]])
}
type Account @scopes(scopes: [["accounts:read"]]) {
  id: ID
  secret: String @authenticated
}
`;

describe('readSecurityDirectives', () => {
  it('reads each field’s requirement, joined with its parent’s and its return type’s', () => {
    const { index } = readSecurityDirectives(SDL);
    expect(Object.fromEntries(index.fields)).toEqual({
      'Query.me': { authenticated: true, anyOf: [['accounts:read']] },
      'Query.audit': { authenticated: true, anyOf: [['audit:read', 'staff'], ['admin']] },
      'Account.id': { authenticated: true, anyOf: [['accounts:read']] },
      'Account.secret': { authenticated: true, anyOf: [['accounts:read']] },
    });
  });

  it('strips the links, the definitions and every use, whatever their local name', () => {
    const { sdl } = readSecurityDirectives(SDL);
    expect(sdl).not.toMatch(/authenticated|@scopes|scopes__Scope/);
    expect(sdl).toContain('@link(url: "https://specs.apollo.dev/link/v1.0")');
    expect(sdl).toMatch(/audit: \[String\]\n/);
  });

  it('leaves a supergraph without them untouched', () => {
    const plain = 'type Query { a: String }';
    expect(readSecurityDirectives(plain)).toEqual({ sdl: plain, index: { fields: new Map() } });
  });

  it('reads the committed supergraph: what the subgraphs protect', () => {
    const { index } = readSecurityDirectives(COMMITTED);
    expect(index.fields.get('User.email')).toEqual({ authenticated: true, anyOf: [] });
    expect(index.fields.get('Mutation.createPayment')).toEqual({
      authenticated: true,
      anyOf: [['payments:write']],
    });
    expect(index.fields.has('User.username')).toBe(false);
    expect(index.fields.has('Query.movies')).toBe(false);
  });

  it('makes the committed supergraph loadable by a stock ApolloGateway, which refuses it as is', async () => {
    const refusing = new ApolloGateway({ supergraphSdl: COMMITTED });
    await expect(refusing.load()).rejects.toThrow(/for: SECURITY but is unsupported/);
    const gateway = new ApolloGateway({ supergraphSdl: withoutSecurityDirectives(COMMITTED) });
    const { schema } = await gateway.load();
    expect(schema.getQueryType()?.getFields().users).toBeDefined();
    await gateway.stop();
  });
});

describe('joinRequirements', () => {
  it('asks for a scope set of each side (their product), and sign-in if either asks', () => {
    expect(
      joinRequirements(
        { authenticated: false, anyOf: [['a'], ['b']] },
        { authenticated: true, anyOf: [['c']] },
      ),
    ).toEqual({
      authenticated: true,
      anyOf: [
        ['a', 'c'],
        ['b', 'c'],
      ],
    });
    expect(
      joinRequirements(
        { authenticated: false, anyOf: [] },
        { authenticated: false, anyOf: [['x']] },
      ),
    ).toEqual({ authenticated: false, anyOf: [['x']] });
  });
});
