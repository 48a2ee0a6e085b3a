import nock from 'nock';

/** The fake legacy monolith unit tests mock; not loopback, so only nock can answer it. */
export const LEGACY_URL = 'http://legacy-monolith.test';

export interface RecordedCall {
  method: string;
  /** Path and query, e.g. `/api/users?ids=1,2`. */
  path: string;
  headers: Headers;
  body: unknown;
}

/**
 * apollo-server's nock discipline for a test file: only loopback is reachable, any request
 * nothing mocks fails the test, and every mock must be used. Returns the calls the mocked
 * monolith received, in order, reset before each test.
 */
export function useNockDiscipline(): RecordedCall[] {
  const calls: RecordedCall[] = [];
  const unmatched: string[] = [];
  const onNoMatch = (request: Request) => {
    // Loopback requests (tests talking to the server under test) pass through as "no match".
    if (!/^(127\.0\.0\.1|localhost)$/.test(new URL(request.url).hostname)) {
      unmatched.push(`${request.method} ${request.url}`);
    }
  };

  beforeAll(() => {
    nock.disableNetConnect();
    nock.enableNetConnect(/127\.0\.0\.1|localhost/);
    nock.emitter.on('no match', onNoMatch);
  });
  beforeEach(() => {
    calls.length = 0;
  });
  afterEach(() => {
    const pending = nock.pendingMocks();
    const stray = unmatched.splice(0);
    // Delayed replies a timed-out client gave up on must not fire into the next test.
    nock.abortPendingRequests();
    nock.cleanAll();
    expect(stray).toEqual([]);
    expect(pending).toEqual([]);
  });
  afterAll(() => {
    nock.emitter.removeListener('no match', onNoMatch);
    nock.enableNetConnect();
    nock.restore();
  });
  return calls;
}

/** A scope on the fake monolith that records each request it answers into `calls`. */
export function mockLegacy(calls: RecordedCall[]): nock.Scope {
  const scope = nock(LEGACY_URL);
  scope.on('request', (request: Request, _interceptor: unknown, body: string) => {
    const url = new URL(request.url);
    calls.push({
      method: request.method,
      path: decodeURIComponent(`${url.pathname}${url.search}`),
      headers: request.headers,
      body: body ? JSON.parse(body) : undefined,
    });
  });
  return scope;
}
