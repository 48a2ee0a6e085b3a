import { setTimeout as sleep } from 'node:timers/promises';
import {
  MOVIES_LIST_QUERY,
  NESTED_USERS_QUERY,
  postGraphql,
  USERS_BILLING_QUERY,
} from '../queries';
import type { CountingStack } from '../stack/countingStack';

export interface QueryCount {
  users: number;
  /** REST calls the monolith answered for one `users { payments subscriptions }` query. */
  restCalls: number;
  /** The calls, with query strings shortened. */
  restRequests: string[];
  monolithSql: number;
  /** The full nested query (adds ratings → movie): REST calls and movies-service SQL. */
  nestedRestCalls: number;
  nestedMoviesSql: number;
}

export interface MoviesListCount {
  what: string;
  movies: number;
  statements: number;
  sql: string[];
}

export interface NPlusOneResult {
  byUsers: QueryCount[];
  moviesLists: MoviesListCount[];
}

/** `/api/payments?user_ids=1,2,…,500` reads better as `user_ids=<500 ids>`. */
function shorten(request: string): string {
  return request.replace(/=([\d,]+)/g, (_, ids: string) => `=<${ids.split(',').length} ids>`);
}

/** Lets the last access-log line of a just-answered request be written. */
const settle = () => sleep(20);

/** REST calls and SQL statements of the users queries over the users there are now. */
export async function countUsersQuery(stack: CountingStack): Promise<QueryCount> {
  stack.monolithRequests.reset();
  stack.monolithSql.reset();
  const billing = await postGraphql<{ users: unknown[] }>(stack.gatewayUrl, USERS_BILLING_QUERY);
  await settle();
  if (billing.body.errors || !billing.body.data) throw new Error(JSON.stringify(billing.body));
  const restRequests = stack.monolithRequests.requests.map(shorten);
  const monolithSql = stack.monolithSql.statements;

  stack.monolithRequests.reset();
  stack.moviesSql.reset();
  const nested = await postGraphql(stack.gatewayUrl, NESTED_USERS_QUERY);
  await settle();
  if (nested.body.errors) throw new Error(JSON.stringify(nested.body.errors));
  return {
    users: billing.body.data.users.length,
    restCalls: restRequests.length,
    // Concurrent loader batches reach the monolith in either order.
    restRequests: restRequests.sort(),
    monolithSql,
    nestedRestCalls: stack.monolithRequests.requests.length,
    nestedMoviesSql: stack.moviesSql.statements,
  };
}

/** SQL statements per movies list: REST on both services, GraphQL through the gateway. */
export async function countMoviesLists(stack: CountingStack): Promise<MoviesListCount[]> {
  const counts: MoviesListCount[] = [];
  const rest = async (what: string, url: string, sql: CountingStack['moviesSql']) => {
    sql.reset();
    const response = await fetch(url, { signal: AbortSignal.timeout(10_000) });
    const movies = ((await response.json()) as unknown[]).length;
    counts.push({ what, movies, statements: sql.statements, sql: [...sql.texts] });
  };
  await rest(
    'GET /api/movies on the movies service',
    `${stack.moviesUrl}/api/movies`,
    stack.moviesSql,
  );
  await rest(
    'GET /api/movies on the monolith',
    `${stack.monolithUrl}/api/movies`,
    stack.monolithSql,
  );
  stack.moviesSql.reset();
  const graphql = await postGraphql<{ movies: unknown[] }>(stack.gatewayUrl, MOVIES_LIST_QUERY);
  counts.push({
    what: 'GraphQL movies(limit: 100) via the gateway',
    movies: graphql.body.data?.movies.length ?? 0,
    statements: stack.moviesSql.statements,
    sql: [...stack.moviesSql.texts],
  });
  return counts;
}
