import { Dispatcher, MockAgent } from 'undici';
import type { MockPool } from 'undici';

export interface RecordedCall {
  method: string;
  /** Path and query as sent, e.g. `/api/users?ids=1,2`. */
  path: string;
  /** Header names in lower case. */
  headers: Record<string, string>;
  /** The JSON body parsed, or undefined without one. */
  body: unknown;
}

export interface MockBackends {
  /** Give this to the client under test as its dispatcher; it stays valid across tests. */
  readonly dispatcher: Dispatcher;
  /** The current test's interceptors for one origin, e.g. `intercept(url).intercept({...}).reply(…)`. */
  intercept(origin: string): MockPool;
  /** Requests the mocked backends received in this test, in order. */
  readonly calls: RecordedCall[];
}

function headersOf(headers: Dispatcher.DispatchOptions['headers']): Record<string, string> {
  const out: Record<string, string> = {};
  if (!headers) return out;
  const entries: [string, unknown][] = Array.isArray(headers)
    ? // undici's flat [name, value, name, value, …] form
      Array.from({ length: headers.length / 2 }, (_, i) => [
        String(headers[2 * i]),
        headers[2 * i + 1],
      ])
    : Object.entries(headers as Record<string, unknown>);
  for (const [name, value] of entries) out[name.toLowerCase()] = String(value);
  return out;
}

/** Forwards to this test's MockAgent and records what it saw, matched or not. */
class RecordingDispatcher extends Dispatcher {
  agent: MockAgent | undefined;
  readonly calls: RecordedCall[] = [];
  readonly unmatched: string[] = [];

  override dispatch(options: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler) {
    const body = typeof options.body === 'string' ? options.body : undefined;
    this.calls.push({
      method: options.method,
      path: decodeURIComponent(options.path),
      headers: headersOf(options.headers),
      body: body ? JSON.parse(body) : undefined,
    });
    if (!this.agent) throw new Error('a mocked backend was called outside a test');
    // MockAgent reports "no interceptor matched" through the handler, and the client under
    // test may turn it into a tidy error of its own; the test fails from here too.
    const call = `${options.method} ${String(options.origin)}${options.path}`;
    const noteUnmatched = (error: unknown) => {
      if ((error as { code?: unknown }).code === 'UND_MOCK_ERR_MOCK_NOT_MATCHED') {
        this.unmatched.push(call);
      }
    };
    const watched = new Proxy(handler, {
      get(target, property, receiver) {
        const value: unknown = Reflect.get(target, property, receiver);
        if (typeof value !== 'function') return value;
        if (property === 'onError') {
          return (error: Error) => {
            noteUnmatched(error);
            return (value as (e: Error) => void).call(target, error);
          };
        }
        if (property === 'onResponseError') {
          return (controller: unknown, error: Error) => {
            noteUnmatched(error);
            return (value as (c: unknown, e: Error) => void).call(target, controller, error);
          };
        }
        return (value as (...args: unknown[]) => unknown).bind(target);
      },
    });
    return this.agent.dispatch(options, watched);
  }

  override async close(): Promise<void> {}
  override async destroy(): Promise<void> {}
}

/** Mock backends without jest hooks: `reset()` before a test, `verify()` after it. */
export interface MockBackendsSession extends MockBackends {
  /** A fresh MockAgent with no interceptors and no network; calls forgotten. */
  reset(): void;
  /** What went wrong in the test just run (unmatched requests, unused interceptors); ends it. */
  verify(): Promise<string[]>;
}

export function createMockBackends(): MockBackendsSession {
  const recorder = new RecordingDispatcher();
  return {
    dispatcher: recorder,
    calls: recorder.calls,
    intercept(origin) {
      if (!recorder.agent) throw new Error('intercept() is for use inside a test');
      return recorder.agent.get(origin);
    },
    reset() {
      recorder.calls.length = 0;
      recorder.unmatched.length = 0;
      const agent = new MockAgent();
      agent.disableNetConnect();
      recorder.agent = agent;
    },
    async verify() {
      const agent = recorder.agent;
      recorder.agent = undefined;
      const pending = agent?.pendingInterceptors() ?? [];
      // Closing drops delayed replies that a timed-out client gave up on.
      await agent?.close();
      return [
        ...recorder.unmatched.splice(0).map((call) => `no interceptor matched ${call}`),
        ...pending.map((p) => `interceptor never used: ${p.method} ${p.origin}${p.path}`),
      ];
    },
  };
}

/**
 * The mocking discipline of apollo-server's tests, for undici: in each test only interceptors
 * answer (nothing sent through this dispatcher reaches the network, loopback included), a
 * request no interceptor matches fails the test, and so does an interceptor left unused.
 */
export function useMockBackends(): MockBackends {
  const session = createMockBackends();
  beforeEach(() => session.reset());
  afterEach(async () => {
    expect(await session.verify()).toEqual([]);
  });
  return session;
}
