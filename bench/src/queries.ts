import { callerHeaders } from '@cinemaabyss/shared/identity';
import type { LoadTarget } from './load/runLoad';

/** The nested cross-subgraph query every gateway serves: users → payments, subscriptions, ratings → movie. */
export const NESTED_USERS_QUERY = `query NestedUsers {
  users(limit: 500) {
    id
    username
    email
    payments { id amount timestamp }
    subscriptions { id planType startDate endDate active }
    ratings { score review movie { id title genres } }
  }
}`;

/** `users { payments subscriptions }`: the query the N+1 counts are about. */
export const USERS_BILLING_QUERY = `query UsersBilling {
  users(limit: 500) { id payments { id amount } subscriptions { id planType } }
}`;

export const MOVIES_LIST_QUERY = `query MoviesList { movies(limit: 100) { id title genres rating } }`;

/**
 * What the gateways' query plan sends to each subgraph for NESTED_USERS_QUERY (the first
 * fetch, then one `_entities` fetch for every user), so the subgraphs can be loaded directly:
 * the ceiling no gateway can beat.
 */
export const MONOLITH_SUBGRAPH_PART = `query NestedUsers__monolith__0 {
  users(limit: 500) {
    __typename id username email
    payments { id amount timestamp }
    subscriptions { id planType startDate endDate active }
  }
}`;

export const MOVIES_SUBGRAPH_PART = `query NestedUsers__movies__1($representations: [_Any!]!) {
  _entities(representations: $representations) {
    ... on User { ratings { score review movie { id title genres } } }
  }
}`;

/**
 * The bench's caller: a bearer token allowed every field, sent with every GraphQL request, so
 * our gateway (which verifies it and enforces @authenticated / @requiresScopes) answers the
 * whole data, as the stock and Hive gateways (which ignore it) do.
 */
let benchAuthorization: string | undefined;

/** Every scope a field of the supergraph can ask for. */
export const BENCH_CALLER_SCOPES = [
  'users:read',
  'payments:read',
  'subscriptions:read',
  'payments:write',
  'subscriptions:write',
  'ratings:write:any',
];

/**
 * What the gateways tell the subgraphs about the bench caller. Ours derives it from the token;
 * the stock and Hive gateways, which read no tokens, send it as fixed subgraph headers, so the
 * subgraphs' ownership checks (an e-mail is its user's, or needs users:read) answer every
 * gateway alike.
 */
export const BENCH_CALLER_IDENTITY: Record<string, string> = callerHeaders({
  subject: '1',
  scopes: [...BENCH_CALLER_SCOPES].sort(),
});

export function useBenchCaller(token: string): void {
  benchAuthorization = `Bearer ${token}`;
}

/**
 * The headers of a GraphQL request: by default the bench caller's; `null` sends none (an
 * anonymous caller), a string sends that Authorization header.
 */
export function graphqlHeaders(
  authorization: string | null | undefined = benchAuthorization,
): Record<string, string> {
  return {
    'content-type': 'application/json',
    accept: 'application/json',
    ...(authorization && { authorization }),
  };
}

export function graphqlBody(query: string, variables?: Record<string, unknown>): string {
  return JSON.stringify(variables ? { query, variables } : { query });
}

/** A POST of one GraphQL operation, every response checked for data and no errors. */
export function graphqlTarget(
  url: string,
  query: string,
  dataPrefix: string,
  variables?: Record<string, unknown>,
  headers: Record<string, string> = graphqlHeaders(),
): LoadTarget {
  const prefix = `{"data":{"${dataPrefix}":`;
  return {
    url,
    method: 'POST',
    headers,
    body: graphqlBody(query, variables),
    // Responses run to hundreds of KiB; a prefix test and a substring scan cost far less than
    // parsing them in the load generator, which shares the CPU with the gateway.
    verify: (body) => body.startsWith(prefix) && !body.includes('"errors":'),
  };
}

export interface GraphqlResponse<T> {
  data?: T;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
}

/** One GraphQL request outside any load (checks, counting, mutations). */
export async function postGraphql<T>(
  url: string,
  query: string,
  variables?: Record<string, unknown>,
  headers: Record<string, string> = graphqlHeaders(),
): Promise<{ status: number; body: GraphqlResponse<T>; bytes: number }> {
  const response = await fetch(url, {
    method: 'POST',
    headers,
    body: graphqlBody(query, variables),
    signal: AbortSignal.timeout(30_000),
  });
  const text = await response.text();
  return {
    status: response.status,
    body: JSON.parse(text) as GraphqlResponse<T>,
    bytes: text.length,
  };
}
