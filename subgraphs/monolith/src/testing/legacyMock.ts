import { isDeepStrictEqual } from 'node:util';
import { useMockBackends } from '@cinemaabyss/shared/testing';
import type { Dispatcher } from '@cinemaabyss/shared/http-client';
import type { RecordedCall } from '@cinemaabyss/shared/testing';

/** The fake legacy monolith unit tests mock; only the mock dispatcher can answer it. */
export const LEGACY_URL = 'http://legacy-monolith.test';

interface ExpectedCall {
  /** Answers after this many ms (a slow monolith). */
  delay(ms: number): ExpectedCall;
  /** Only a request carrying this header matches. */
  matchHeader(name: string, value: string): ExpectedCall;
  /** The status and body (a string as is, anything else as JSON) this call gets; back to the scope. */
  reply(status: number, body: unknown): LegacyScope;
}

/** Calls the mocked monolith expects in this test, each answered once. */
export interface LegacyScope {
  get(path: string, query?: Record<string, string>): ExpectedCall;
  /** Without `body`, any body matches; with it, the JSON must be equal. */
  post(path: string, body?: unknown): ExpectedCall;
}

export interface LegacyMock {
  /** For the client or server under test. */
  dispatcher: Dispatcher;
  /** What the mocked monolith received in this test, in order. */
  calls: RecordedCall[];
  /** Expect calls on the mocked monolith, e.g. `mockLegacy().get('/api/users').reply(200, [])`. */
  mockLegacy(): LegacyScope;
}

/** The mocked legacy monolith for a test file, with shared/testing's mocking discipline. */
export function useLegacyMock(): LegacyMock {
  const backends = useMockBackends();

  const expectCall = (
    scope: LegacyScope,
    method: 'GET' | 'POST',
    path: string,
    match: { query?: Record<string, string>; body?: unknown },
  ): ExpectedCall => {
    const headers: Record<string, string> = {};
    let delayMs = 0;
    const call: ExpectedCall = {
      delay(ms) {
        delayMs = ms;
        return call;
      },
      matchHeader(name, value) {
        headers[name] = value;
        return call;
      },
      reply(status, body) {
        const interceptor = backends.intercept(LEGACY_URL).intercept({
          method,
          path,
          query: match.query,
          headers,
          body:
            match.body === undefined
              ? undefined
              : (sent: string) => isDeepStrictEqual(JSON.parse(sent), match.body),
        });
        const text = typeof body === 'string' ? body : JSON.stringify(body);
        const scheduled = interceptor.reply(status, text, {
          headers: { 'content-type': 'application/json' },
        });
        if (delayMs > 0) scheduled.delay(delayMs);
        return scope;
      },
    };
    return call;
  };

  return {
    dispatcher: backends.dispatcher,
    calls: backends.calls,
    mockLegacy() {
      const scope: LegacyScope = {
        get: (path, query) => expectCall(scope, 'GET', path, { query }),
        post: (path, body) => expectCall(scope, 'POST', path, { body }),
      };
      return scope;
    },
  };
}
