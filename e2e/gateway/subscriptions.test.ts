import type { Browser } from 'playwright-core';
import { setMigrationPercent } from '@cinemaabyss/gateway/testing';
import type { RunningGateway } from '@cinemaabyss/gateway/testing';
import { postGraphql } from '@cinemaabyss/shared/testing';
import { startRecordingProxy } from '../support/recordingProxy';
import type { RecordingProxy } from '../support/recordingProxy';
import { isRefusal, subscribeAccepted, subscribeSse } from '../support/sseSubscription';
import { EVERY_SCOPE, startStack } from '../support/startStack';
import type { Stack } from '../support/startStack';
import { until } from '../support/until';
import { activeSubscriptions, feedReading, rateMovie } from '../support/subscriptionProbes';
import { subscribeWs, wsClient } from '../support/wsSubscription';
import { launchChromium } from '../../test/chromium';

// The real stack with the events service relaying the writes' outbox to a real Kafka broker,
// and the gateway reading those topics for its subscribers.
jest.setTimeout(120_000);

const MOVIE_EVENTS = (movieId: string) =>
  `subscription { movieEvents(movieId: "${movieId}") { action occurredAt movie { id title averageRating } } }`;

let stack: Stack;

async function movieNow(gateway: RunningGateway, movieId: string) {
  const { body } = await postGraphql<{
    movie: { id: string; title: string; averageRating: number };
  }>(`${gateway.url}/graphql`, `{ movie(id: "${movieId}") { id title averageRating } }`);
  return body.data?.movie;
}

const subscribe = (gateway: RunningGateway, query: string, headers?: Record<string, string>) =>
  subscribeAccepted(gateway.url, query, { ...(headers && { headers }) });

const rate = (gateway: RunningGateway, movieId: string, score: number) =>
  rateMovie(stack, gateway, movieId, score);

beforeAll(async () => {
  stack = await startStack({}, { withSubscriptions: true });
  await feedReading(stack.gateway);
});

afterAll(async () => {
  await stack?.stop();
});

describe('subscriptions over Server-Sent Events (POST /graphql/stream)', () => {
  it('delivers a rating with the movie resolved through the supergraph, only to its movie', async () => {
    const one = await subscribe(stack.gateway, MOVIE_EVENTS('1'));
    const two = await subscribe(stack.gateway, MOVIE_EVENTS('2'));
    try {
      await rate(stack.gateway, '1', 8);
      const first = await one.next();
      expect(first).toEqual({
        event: 'next',
        // The event's cursor, as the SSE id a reconnecting client sends back.
        id: expect.stringMatching(/^[\w-]+$/),
        data: {
          data: {
            movieEvents: {
              action: 'rated',
              occurredAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
              movie: await movieNow(stack.gateway, '1'),
            },
          },
          extensions: { cursor: first.id },
        },
      });
      // Movie 2's subscriber got nothing of movie 1: its first message is about its own movie.
      await rate(stack.gateway, '2', 3);
      const second = await two.next();
      expect(second.data).toMatchObject({
        data: { movieEvents: { action: 'rated', movie: { id: '2' } } },
      });
      expect(one.messages).toHaveLength(1);
      const metrics = await (await fetch(`${stack.gateway.url}/metrics`)).text();
      expect(metrics).toMatch(
        /gateway_subscription_events_total\{field="movieEvents",result="filtered"\} [1-9]/,
      );
      expect(metrics).toMatch(
        /gateway_subscriptions_active\{transport="sse",field="movieEvents"\} 2/,
      );
    } finally {
      one.close();
      two.close();
    }
  });

  it.each([
    [
      'anonymous, to a field for signed-in callers',
      'subscription { userEvents { action } }',
      undefined,
      401,
      'UNAUTHENTICATED',
    ],
    [
      "signed in, to another user's payments without payments:read",
      'subscription { paymentEvents(userId: "2") { action } }',
      { subject: '1' },
      403,
      'FORBIDDEN',
    ],
    [
      "signed in, to every user's events without users:read",
      'subscription { userEvents { action } }',
      { subject: '1' },
      403,
      'FORBIDDEN',
    ],
    ['a query', '{ movies { id } }', undefined, 400, 'OPERATION_NOT_SUPPORTED'],
    ['a syntax error', 'subscription {', undefined, 400, 'GRAPHQL_PARSE_FAILED'],
    [
      'an unknown field',
      'subscription { movieEvents { nope } }',
      undefined,
      400,
      'GRAPHQL_VALIDATION_FAILED',
    ],
  ])('refuses a subscription %s, with a JSON 4xx', async (_case, query, caller, status, code) => {
    const headers = caller ? await stack.bearer(caller) : undefined;
    const answer = await subscribeSse(stack.gateway.url, query, { headers });
    if (!isRefusal(answer)) {
      answer.close();
      throw new Error('the subscription was accepted');
    }
    expect(answer).toEqual({
      status,
      body: { errors: [{ message: expect.any(String), extensions: { code } }] },
    });
  });

  it('refuses a stream requested without Accept: text/event-stream with a JSON 406', async () => {
    const response = await fetch(`${stack.gateway.url}/graphql/stream`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: MOVIE_EVENTS('1') }),
    });
    expect(response.status).toBe(406);
    expect(await response.json()).toEqual({
      errors: [
        {
          message: expect.stringContaining('text/event-stream'),
          extensions: { code: 'NOT_ACCEPTABLE' },
        },
      ],
    });
  });

  it("accepts another user's payments with payments:read, and a bad token is a 401", async () => {
    const allowed = await subscribe(
      stack.gateway,
      'subscription { paymentEvents(userId: "2") { action } }',
      await stack.bearer({ subject: '1', scope: EVERY_SCOPE }),
    );
    allowed.close();
    const badToken = await subscribeSse(stack.gateway.url, MOVIE_EVENTS('1'), {
      headers: { authorization: 'Bearer not.a.token' },
    });
    expect(isRefusal(badToken) && badToken.status).toBe(401);
  });
});

describe('subscriptions over WebSocket (graphql-ws on /graphql)', () => {
  it("delivers a rating to graphql-ws's own client, the movie resolved through the supergraph", async () => {
    const client = wsClient(stack.gateway.url);
    const subscription = subscribeWs(client, MOVIE_EVENTS('4'));
    try {
      await activeSubscriptions(stack.gateway, 1);
      await rate(stack.gateway, '4', 7);
      expect(await subscription.next()).toEqual({
        data: {
          movieEvents: {
            action: 'rated',
            occurredAt: expect.any(String),
            movie: await movieNow(stack.gateway, '4'),
          },
        },
        extensions: { cursor: expect.stringMatching(/^[\w-]+$/) },
      });
    } finally {
      subscription.unsubscribe();
      await client.dispose();
    }
  });

  it('takes the token from the init payload, and refuses what the caller may not follow', async () => {
    const signedIn = wsClient(stack.gateway.url, await stack.bearer({ subject: '1' }));
    const anonymous = wsClient(stack.gateway.url);
    try {
      const own = subscribeWs(signedIn, 'subscription { userEvents(userId: "1") { action } }');
      await activeSubscriptions(stack.gateway, 1);
      expect(own.failure).toBeUndefined();
      const refused = subscribeWs(anonymous, 'subscription { userEvents { action } }');
      await refused.settled;
      expect(refused.failure).toEqual([
        expect.objectContaining({ extensions: { code: 'UNAUTHENTICATED' } }),
      ]);
      own.unsubscribe();
    } finally {
      await signedIn.dispose();
      await anonymous.dispose();
    }
  });

  it('closes a connection whose token is bad with 4403', async () => {
    const client = wsClient(stack.gateway.url, { authorization: 'Bearer not.a.token' });
    const subscription = subscribeWs(client, MOVIE_EVENTS('1'));
    await subscription.settled;
    expect(client.closes).toEqual([{ code: 4403, reason: 'Forbidden' }]);
    await client.dispose();
  });
});

describe('subscribing from the playground, in a real browser', () => {
  let browser: Browser;

  beforeAll(async () => {
    browser = await launchChromium("the playground's subscription test");
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('shows each event of a subscription run in GraphiQL, over graphql-ws', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    const problems: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(message.text());
    });
    page.on('pageerror', (error) => problems.push(error.message));
    try {
      await page.goto(`${stack.gateway.url}/graphql`, { waitUntil: 'load' });
      const editor = page.locator('.graphiql-query-editor .CodeMirror');
      await editor.waitFor();
      await page.evaluate(
        `document.querySelector('.graphiql-query-editor .CodeMirror').CodeMirror.setValue(${JSON.stringify(
          'subscription OnMovie5 { movieEvents(movieId: "5") { action movie { id title } } }',
        )})`,
      );
      await page.locator('.graphiql-execute-button').click();
      await activeSubscriptions(stack.gateway, 1);
      await rate(stack.gateway, '5', 9);
      const movie = await movieNow(stack.gateway, '5');
      await page
        .locator('.graphiql-response .CodeMirror-line', { hasText: String(movie?.title) })
        .waitFor({ timeout: 20_000 });
      const shown = JSON.parse(
        String(
          await page.evaluate(
            `document.querySelector('.graphiql-response .CodeMirror').CodeMirror.getValue()`,
          ),
        ),
      ) as unknown;
      expect(shown).toEqual({
        data: { movieEvents: { action: 'rated', movie: { id: '5', title: movie?.title } } },
        extensions: { cursor: expect.any(String) },
      });
      expect(problems).toEqual([]);
    } finally {
      await page.close();
    }
  });
});

describe('hydration shared by subscribers', () => {
  let proxy: RecordingProxy;
  let gateway: RunningGateway;

  beforeAll(async () => {
    proxy = await startRecordingProxy(stack.movies.url);
    // Without the subgraph fetch dedup, which would hide one fetch per subscriber.
    gateway = await stack.startGateway({
      deduplicateInFlight: false,
      subgraphUrls: { movies: `${proxy.url}/graphql`, monolith: stack.monolithSubgraph.graphqlUrl },
    });
    await feedReading(gateway);
  });

  afterAll(async () => {
    await proxy?.stop();
  });

  it.each([0, 100])(
    'answers 50 subscribers with one fetch to the movies subgraph per event (dial at %i %%)',
    async (percent) => {
      await setMigrationPercent(gateway.url, 'movies', percent);
      const subscribers = await Promise.all(
        Array.from({ length: 50 }, () => subscribe(gateway, MOVIE_EVENTS('3'))),
      );
      try {
        const mark = proxy.received.length;
        await rate(stack.gateway, '3', percent === 0 ? 4 : 6);
        const answers = await Promise.all(subscribers.map((s) => s.next()));
        const entityFetches = proxy
          .since(mark)
          .filter((request) => request.body.includes('_entities'));
        expect(entityFetches).toHaveLength(1);
        const expected = await movieNow(gateway, '3');
        for (const answer of answers) {
          expect(answer.data).toEqual({
            data: {
              movieEvents: { action: 'rated', occurredAt: expect.any(String), movie: expected },
            },
            extensions: { cursor: expect.any(String) },
          });
        }
      } finally {
        for (const subscriber of subscribers) subscriber.close();
      }
    },
  );

  it('completes every subscription when the gateway shuts down, SSE and WebSocket', async () => {
    const closing = await stack.startGateway({});
    await feedReading(closing);
    const subscribers = await Promise.all([
      subscribe(closing, MOVIE_EVENTS('1')),
      subscribe(closing, 'subscription { movieEvents { action } }'),
    ]);
    const client = wsClient(closing.url);
    const overWebSocket = subscribeWs(client, MOVIE_EVENTS('1'));
    await activeSubscriptions(closing, 3);
    await closing.stop();
    for (const subscriber of subscribers) {
      await subscriber.ended;
      expect(subscriber.messages.at(-1)).toEqual({ event: 'complete', data: null });
    }
    await overWebSocket.settled;
    expect(overWebSocket.completed).toBe(true);
    expect(overWebSocket.failure).toBeUndefined();
    // Closed cleanly: by the client once it has nothing left (1000), or by the gateway (1001).
    await until('the WebSocket to close', async () =>
      client.closes.length > 0 ? true : undefined,
    );
    expect([1000, 1001]).toContain(client.closes[0]?.code);
    await client.dispose();
  });
});
