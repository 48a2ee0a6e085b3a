import { createServer } from 'node:net';
import type { Browser } from 'playwright-core';
import type { RunningGateway } from '@cinemaabyss/gateway/testing';
import { isRefusal, subscribeAccepted, subscribeSse } from '../support/sseSubscription';
import type { SseMessage } from '../support/sseSubscription';
import { startStack } from '../support/startStack';
import type { Stack } from '../support/startStack';
import { until } from '../support/until';
import { activeSubscriptions, feedReading, rateMovie } from '../support/subscriptionProbes';
import { subscribeWs, wsClient } from '../support/wsSubscription';
import { launchChromium } from '../../test/chromium';

// Resuming after a reconnect, on the real stack: ratings go through the monolith's outbox and
// the events service to a real Kafka broker, and the gateway's feed reads them back.
jest.setTimeout(180_000);

const EVENTS_OF = (movieId: string) =>
  `subscription { movieEvents(movieId: "${movieId}") { id action movie { id } } }`;

let stack: Stack;

interface MovieEventResult {
  data: { movieEvents: { id: string; action: string; movie: { id: string } } };
  extensions: { cursor: string; resumed?: boolean };
}

const resultOf = (message: SseMessage) => message.data as MovieEventResult;
const idOf = (result: unknown) => (result as MovieEventResult).data.movieEvents.id;

/** The next n results of a subscription that stays connected. */
async function nextResults(subscription: { next(): Promise<unknown> }, n: number) {
  const results: unknown[] = [];
  for (let i = 0; i < n; i += 1) results.push(await subscription.next());
  return results;
}

const subscribe = (gateway: RunningGateway, query: string, lastEventId?: string) =>
  subscribeAccepted(gateway.url, query, { ...(lastEventId && { lastEventId }) });

const rate = (gateway: RunningGateway, movieId: string, score: number) =>
  rateMovie(stack, gateway, movieId, score);

beforeAll(async () => {
  stack = await startStack({}, { withSubscriptions: true });
  await feedReading(stack.gateway);
});

afterAll(async () => {
  await stack?.stop();
});

describe('resuming over SSE with Last-Event-ID', () => {
  it('gives a client back exactly the 10 ratings it missed, in order, then live ones', async () => {
    const control = await subscribe(stack.gateway, EVENTS_OF('1'));
    let client = await subscribe(stack.gateway, EVENTS_OF('1'));
    try {
      await activeSubscriptions(stack.gateway, 2);
      await rate(stack.gateway, '1', 5);
      const [seen] = [await client.next()];
      await control.next();
      expect(seen!.id).toBe(resultOf(seen!).extensions.cursor);
      client.close();
      await activeSubscriptions(stack.gateway, 1);

      for (let score = 1; score <= 10; score += 1) await rate(stack.gateway, '1', score);
      const missed = (await nextResults(control, 10)).map((m) => idOf((m as SseMessage).data));

      client = await subscribe(stack.gateway, EVENTS_OF('1'), seen!.id);
      const replayed = await nextResults(client, 10);
      expect(replayed.map((m) => idOf((m as SseMessage).data))).toEqual(missed);
      expect(resultOf(replayed[0] as SseMessage).extensions.resumed).toBe(true);
      expect(replayed.every((m) => (m as SseMessage).id !== undefined)).toBe(true);

      await rate(stack.gateway, '1', 9);
      const [live] = await nextResults(control, 1);
      expect(idOf((await client.next()).data)).toBe(idOf((live as SseMessage).data));
      // Nothing else came: no event twice.
      expect(client.messages).toHaveLength(11);
    } finally {
      control.close();
      client.close();
    }
  });

  it('starts a subscription whose id is past retention live, and says so', async () => {
    const shortMemory = await stack.startGateway({
      subscriptions: { ...stack.subscriptions!, replaySeconds: 1 },
    });
    await feedReading(shortMemory);
    const first = await subscribe(shortMemory, EVENTS_OF('2'));
    await activeSubscriptions(shortMemory, 1);
    await rate(stack.gateway, '2', 4);
    const seen = await first.next();
    first.close();
    await rate(stack.gateway, '2', 5);
    // Both that rating and the cursor's own event leave the one-second memory.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const resumed = await subscribe(shortMemory, EVENTS_OF('2'), seen.id);
    try {
      await activeSubscriptions(shortMemory, 1);
      await rate(stack.gateway, '2', 6);
      const message = resultOf(await resumed.next());
      expect(message.extensions.resumed).toBe(false);
      expect(resumed.messages).toHaveLength(1);
    } finally {
      resumed.close();
      await shortMemory.stop();
    }
  });

  it.each([
    ['not a cursor', 'nonsense!', 'not an event id'],
    [
      "another field's cursor",
      Buffer.from('paymentEvents|0:1').toString('base64url'),
      'of paymentEvents, not of movieEvents',
    ],
  ])('refuses a Last-Event-ID that is %s with a 400 naming it', async (_case, id, message) => {
    const answer = await subscribeSse(stack.gateway.url, EVENTS_OF('1'), { lastEventId: id });
    if (!isRefusal(answer)) {
      answer.close();
      throw new Error('the subscription was accepted');
    }
    expect(answer).toEqual({
      status: 400,
      body: {
        errors: [
          { message: expect.stringContaining(message), extensions: { code: 'BAD_USER_INPUT' } },
        ],
      },
    });
  });
});

describe('SSE requests a client gets wrong', () => {
  it.each([
    [
      'GET with variables that are not JSON',
      '?query=subscription%7B__typename%7D&variables=%7Bnope',
      '"variables" must be JSON',
      'BAD_REQUEST',
    ],
  ])('answers a %s with a 400 naming it', async (_case, search, message, code) => {
    const response = await fetch(`${stack.gateway.url}/graphql/stream${search}`, {
      headers: { accept: 'text/event-stream' },
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      errors: [{ message: expect.stringContaining(message), extensions: { code } }],
    });
  });

  it('refuses extensions.resumeFrom that is not a string, over POST, with a 400', async () => {
    const response = await fetch(`${stack.gateway.url}/graphql/stream`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify({ query: EVENTS_OF('1'), extensions: { resumeFrom: 7 } }),
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      errors: [
        {
          message: expect.stringContaining('extensions.resumeFrom'),
          extensions: { code: 'BAD_USER_INPUT' },
        },
      ],
    });
  });
});

describe('resuming over graphql-ws with extensions.resumeFrom', () => {
  it('has no gap and no repeat at the seam while ratings keep being written', async () => {
    const control = await subscribe(stack.gateway, EVENTS_OF('3'));
    const client = wsClient(stack.gateway.url);
    const before = subscribeWs(client, EVENTS_OF('3'));
    try {
      await activeSubscriptions(stack.gateway, 2);
      await rate(stack.gateway, '3', 5);
      await control.next();
      const seen = (await before.next()) as MovieEventResult;
      before.unsubscribe();
      await activeSubscriptions(stack.gateway, 1);

      // Ratings are written while the client comes back.
      const writes = (async () => {
        for (let score = 1; score <= 20; score += 1)
          await rate(stack.gateway, '3', (score % 10) + 1);
      })();
      await until('some ratings to be delivered', async () =>
        control.messages.length >= 6 ? true : undefined,
      );
      const after = subscribeWs(client, EVENTS_OF('3'), { resumeFrom: seen.extensions.cursor });
      await writes;
      const expected = (await nextResults(control, 20)).map((m) => idOf((m as SseMessage).data));
      const received = (await nextResults(after, 20)).map(idOf);
      expect(received).toEqual(expected);
      expect(new Set(received).size).toBe(20);
      after.unsubscribe();
    } finally {
      control.close();
      await client.dispose();
    }
  });

  it('refuses a resumeFrom that is not a string with an error message', async () => {
    const client = wsClient(stack.gateway.url);
    try {
      const refused = subscribeWs(client, EVENTS_OF('3'), { resumeFrom: 42 });
      await refused.settled;
      expect(refused.failure).toEqual([
        expect.objectContaining({
          message: expect.stringContaining('resumeFrom'),
          extensions: { code: 'BAD_USER_INPUT' },
        }),
      ]);
    } finally {
      await client.dispose();
    }
  });
});

/** A port free now, for a replica that must come back where its clients left it. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe("a browser's EventSource across a replica restart", () => {
  let browser: Browser;

  beforeAll(async () => {
    browser = await launchChromium('the EventSource resume test');
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('reconnects with Last-Event-ID by itself and gets the ratings made while the replica was away', async () => {
    const port = await freePort();
    let replica = await stack.startGateway({ port });
    await feedReading(replica);
    const control = await subscribe(stack.gateway, EVENTS_OF('4'));
    const page = await browser.newPage();
    try {
      await page.goto(`${replica.url}/health`);
      // The browser's own EventSource: a GET, and on reconnect the Last-Event-ID it last saw.
      await page.evaluate(`(() => {
        window.received = [];
        const query = ${JSON.stringify(EVENTS_OF('4'))};
        const source = new EventSource('/graphql/stream?query=' + encodeURIComponent(query));
        source.addEventListener('next', (event) =>
          window.received.push({ id: event.lastEventId, data: JSON.parse(event.data) }));
        window.source = source;
      })()`);
      const received = async () =>
        (await page.evaluate('window.received')) as { id: string; data: MovieEventResult }[];
      await activeSubscriptions(replica, 1);
      await rate(stack.gateway, '4', 5);
      await until('the first event in the browser', async () =>
        (await received()).length === 1 ? true : undefined,
      );

      // The replica goes (its stream completes; the EventSource keeps trying) …
      await replica.stop();
      await rate(stack.gateway, '4', 6);
      await rate(stack.gateway, '4', 7);
      const all = (await nextResults(control, 3)).map((m) => idOf((m as SseMessage).data));
      // … and comes back on the same address.
      replica = await stack.startGateway({ port });
      await until(
        'the missed ratings in the browser',
        async () => ((await received()).length >= 3 ? true : undefined),
        { timeoutMs: 90_000 },
      );
      const got = await received();
      expect(got.map((event) => event.data.data.movieEvents.id)).toEqual(all);
      expect(got[1]!.data.extensions.resumed).toBe(true);
      expect(got.every((event) => event.id === event.data.extensions.cursor)).toBe(true);
    } finally {
      await page.close();
      control.close();
      await replica.stop();
    }
  });
});
