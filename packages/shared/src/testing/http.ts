export interface JsonResponse<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
}

export interface SendOptions {
  method?: string;
  /** Serialized with JSON.stringify unless it is already a string (for malformed bodies). */
  body?: unknown;
  headers?: Record<string, string>;
}

/** One HTTP call with a JSON (or empty) response, for tests; fails fast instead of hanging. */
export async function sendJson<T = unknown>(
  url: string,
  { method = 'GET', body, headers = {} }: SendOptions = {},
): Promise<JsonResponse<T>> {
  const hasBody = body !== undefined;
  const response = await fetch(url, {
    method,
    headers: hasBody ? { 'content-type': 'application/json', ...headers } : headers,
    body: hasBody ? (typeof body === 'string' ? body : JSON.stringify(body)) : undefined,
    signal: AbortSignal.timeout(10_000),
  });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    body: (text ? JSON.parse(text) : undefined) as T,
  };
}
