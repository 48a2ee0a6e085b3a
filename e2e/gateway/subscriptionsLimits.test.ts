import { postGraphql } from '@cinemaabyss/shared/testing';
import { isRefusal, subscribeSse } from '../support/sseSubscription';
import type { SseSubscription } from '../support/sseSubscription';
import { EVERY_SCOPE, startStack } from '../support/startStack';
import type { Stack } from '../support/startStack';
import { activeSubscriptions, feedReading, rateMovie } from '../support/subscriptionProbes';
import { rawProtocol, subscribeWs, wsClient } from '../support/wsSubscription';

// Limits and bad input on the subscription transports, on the real stack and a real broker.
jest.setTimeout(180_000);

let stack: Stack;

const rate = (movieId: string, score: number) => rateMovie(stack, stack.gateway, movieId, score);

beforeAll(async () => {
  stack = await startStack({}, { withSubscriptions: true });
  await feedReading(stack.gateway);
});

afterAll(async () => {
  await stack?.stop();
});

describe('limits', () => {
  it('refuses the 21st subscription on one graphql-ws connection, naming the limit', async () => {
    const client = wsClient(stack.gateway.url);
    const held = Array.from({ length: 20 }, (_, i) =>
      subscribeWs(client, `subscription { movieEvents(movieId: "${(i % 5) + 1}") { action } }`),
    );
    try {
      await activeSubscriptions(stack.gateway, 20);
      const refused = subscribeWs(client, 'subscription { movieEvents { action } }');
      await refused.settled;
      expect(refused.failure).toEqual([
        expect.objectContaining({
          message: expect.stringContaining('at most 20 subscriptions'),
          extensions: { code: 'TOO_MANY_SUBSCRIPTIONS' },
        }),
      ]);
      // The connection and its 20 subscriptions are untouched.
      expect(held.every((s) => s.failure === undefined && !s.completed)).toBe(true);
      expect(client.closes).toEqual([]);
    } finally {
      for (const subscription of held) subscription.unsubscribe();
      await client.dispose();
    }
    await activeSubscriptions(stack.gateway, 0);
  });

  it('refuses subscriptions past the replica bound with a 503', async () => {
    const small = await stack.startGateway({
      subscriptions: { ...stack.subscriptions!, perReplica: 2 },
    });
    await feedReading(small);
    const held: SseSubscription[] = [];
    try {
      for (let i = 0; i < 2; i += 1) {
        const accepted = await subscribeSse(small.url, 'subscription { movieEvents { action } }');
        if (isRefusal(accepted)) throw new Error(`refused: ${JSON.stringify(accepted.body)}`);
        held.push(accepted);
      }
      await activeSubscriptions(small, 2);
      const third = await subscribeSse(small.url, 'subscription { movieEvents { action } }');
      expect(isRefusal(third) && third).toEqual({
        status: 503,
        body: {
          errors: [
            {
              message: expect.stringContaining('all the subscriptions it may'),
              extensions: { code: 'SERVICE_UNAVAILABLE' },
            },
          ],
        },
      });
    } finally {
      for (const subscription of held) subscription.close();
      await small.stop();
    }
  });

  it('closes readers that stop reading at the bound, with a retryable reason, while others keep receiving', async () => {
    const gateway = await stack.startGateway({
      subscriptions: { ...stack.subscriptions!, sendQueue: 5 },
    });
    await feedReading(gateway);
    // A movie with a long description, selected 15 times: each event is about 75 KB, so a
    // reader that stops fills the socket buffers within a few dozen events.
    const { body } = await postGraphql<{ createMovie: { id: string } }>(
      `${gateway.url}/graphql`,
      `mutation($input: CreateMovieInput!) { createMovie(input: $input) { id } }`,
      {
        variables: {
          input: { title: 'Backpressure', description: 'x'.repeat(5_000), rating: 5 },
        },
        headers: await stack.bearer({ subject: '1', scope: EVERY_SCOPE }),
      },
    );
    const movieId = body.data!.createMovie.id;
    const aliases = Array.from({ length: 15 }, (_, i) => `d${i}: description`).join(' ');
    const query = `subscription { movieEvents(movieId: "${movieId}") { id movie { ${aliases} } } }`;
    const RATINGS = 120;

    const reader = await subscribeSse(gateway.url, query);
    if (isRefusal(reader)) throw new Error('refused');
    const stalledWs = await rawProtocol(gateway.url);
    stalledWs.send({ type: 'connection_init' });
    await stalledWs.received('connection_ack');
    stalledWs.send({ id: '1', type: 'subscribe', payload: { query } });
    // An SSE client that never reads its body.
    const stalledSse = await fetch(`${gateway.url}/graphql/stream`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify({ query }),
    });
    try {
      await activeSubscriptions(gateway, 3);
      stalledWs.socket.pause();
      for (let i = 0; i < RATINGS; i += 1) await rate(movieId, (i % 10) + 1);

      // The reader got every event; the stalled ones were closed at the bound.
      for (let i = 0; i < RATINGS; i += 1) await reader.next(30_000);
      await activeSubscriptions(gateway, 1);
      const metrics = await (await fetch(`${gateway.url}/metrics`)).text();
      expect(metrics).toMatch(
        /gateway_subscription_events_total\{field="movieEvents",result="too_slow"\} 2/,
      );
      // Read now, they find what was sent, then why they were closed.
      stalledWs.socket.resume();
      expect(await stalledWs.closed).toEqual({
        code: 1013,
        reason: 'subscriber too slow; resume from the last cursor',
      });
      const frames = (await stalledSse.text()).trim().split('\n\n');
      expect(frames.at(-1)).toBe(
        `event: error\ndata: ${JSON.stringify({
          errors: [
            {
              message:
                'the subscriber did not keep up with its events; resume with the last event id',
              extensions: { code: 'SUBSCRIBER_TOO_SLOW' },
            },
          ],
        })}`,
      );
      expect(frames.length).toBeLessThan(RATINGS);
    } finally {
      reader.close();
      stalledWs.socket.terminate();
      await gateway.stop();
    }
  });
});

describe('bad protocol messages over graphql-ws', () => {
  it.each([
    ['a message that is not JSON', 'not json', 4400],
    ['a message of no known type', { type: 'shout' }, 4400],
    ['a subscribe without a query', { id: '1', type: 'subscribe', payload: {} }, 4400],
  ])('closes on %s with 4400', async (_case, message, code) => {
    const connection = await rawProtocol(stack.gateway.url);
    connection.send({ type: 'connection_init' });
    await connection.received('connection_ack');
    connection.send(message);
    expect((await connection.closed).code).toBe(code);
  });

  it('closes a subscribe before connection_init with 4401', async () => {
    const connection = await rawProtocol(stack.gateway.url);
    connection.send({
      id: '1',
      type: 'subscribe',
      payload: { query: 'subscription { movieEvents { action } }' },
    });
    expect(await connection.closed).toEqual({ code: 4401, reason: 'Unauthorized' });
  });

  it('closes a second subscribe with an id in use with 4409', async () => {
    const connection = await rawProtocol(stack.gateway.url);
    connection.send({ type: 'connection_init' });
    await connection.received('connection_ack');
    const subscribe = {
      id: 'same',
      type: 'subscribe',
      payload: { query: 'subscription { movieEvents { action } }' },
    };
    connection.send(subscribe);
    connection.send(subscribe);
    expect(await connection.closed).toEqual({
      code: 4409,
      reason: 'Subscriber for same already exists',
    });
  });

  it('closes on a message over 64 KiB with 1009, and ignores a complete for an unknown id', async () => {
    const connection = await rawProtocol(stack.gateway.url);
    connection.send({ type: 'connection_init' });
    await connection.received('connection_ack');
    connection.send({ id: 'nobody', type: 'complete' });
    connection.send({ type: 'ping' });
    await connection.received('pong');
    connection.send({
      id: '1',
      type: 'subscribe',
      payload: { query: `subscription { movieEvents { action } } # ${'x'.repeat(70_000)}` },
    });
    expect((await connection.closed).code).toBe(1009);
    // The gateway is unharmed.
    expect((await fetch(`${stack.gateway.url}/health`)).status).toBe(200);
  });
});
