import { request } from 'undici';

export interface GraphqlError {
  message: string;
  locations?: { line: number; column: number }[];
  path?: (string | number)[];
  extensions?: { code?: string };
}

export interface GraphqlResult<T> {
  status: number;
  data?: T | null;
  errors?: GraphqlError[];
}

/** One GraphQL POST, for tests; `headers` can carry an x-request-id. */
export async function postGraphql<T = Record<string, unknown>>(
  graphqlUrl: string,
  query: string,
  variables?: Record<string, unknown>,
  headers: Record<string, string> = {},
): Promise<GraphqlResult<T>> {
  const response = await request(graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
    signal: AbortSignal.timeout(10_000),
  });
  const body = (await response.body.json()) as { data?: T | null; errors?: GraphqlError[] };
  return { status: response.statusCode, ...body };
}
