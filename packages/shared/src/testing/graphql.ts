import { sendJson } from './http';
import type { JsonResponse } from './http';

export interface GraphqlError {
  message: string;
  locations?: { line: number; column: number }[];
  path?: (string | number)[];
  extensions?: { code?: string } & Record<string, unknown>;
}

export interface GraphqlBody<T> {
  data?: T | null;
  errors?: GraphqlError[];
  extensions?: Record<string, unknown>;
}

export interface PostGraphqlOptions {
  variables?: Record<string, unknown>;
  /** e.g. an x-request-id or x-user-id. */
  headers?: Record<string, string>;
}

/** The one GraphQL POST of the tests: `url` is the endpoint itself (…/graphql). */
export function postGraphql<T = Record<string, unknown>>(
  url: string,
  query: string,
  { variables, headers }: PostGraphqlOptions = {},
): Promise<JsonResponse<GraphqlBody<T>>> {
  return sendJson<GraphqlBody<T>>(url, {
    method: 'POST',
    body: variables === undefined ? { query } : { query, variables },
    headers,
  });
}
