import type { JsonResponse } from '../http';

/** A rejection per the REST contract: the status, a JSON `{"error"}` naming what is wrong. */
export function expectError(response: JsonResponse, status: number, mentions?: string | RegExp) {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toMatch(/^application\/json/);
  const body = response.body as { error?: unknown };
  expect(typeof body.error).toBe('string');
  if (mentions) expect(body.error).toMatch(mentions);
  // Internals stay in the log: no stack frames, no SQL.
  expect(body.error).not.toMatch(/\bat .+\(.+:\d+:\d+\)|SELECT |INSERT |node_modules/);
}
