import { startLocalKafka } from '@cinemaabyss/local-infra';
import type { LocalKafka } from '@cinemaabyss/local-infra';
import { postGraphql } from '@cinemaabyss/shared/testing';
import { isRefusal, subscribeSse } from '../support/sseSubscription';
import { startStack } from '../support/startStack';
import type { Stack } from '../support/startStack';
import { until } from '../support/until';

// A broker of its own, killed under its launcher, which starts it again on the same ports.
jest.setTimeout(180_000);

interface FeedReady {
  subscriptions?: { feed: { state: string; restarts: number } };
}

async function feed(stack: Stack): Promise<FeedReady['subscriptions']> {
  const ready = (await (await fetch(`${stack.gateway.url}/ready`)).json()) as FeedReady;
  return ready.subscriptions;
}

describe('subscriptions when the Kafka broker is killed and comes back', () => {
  let kafka: LocalKafka | undefined;
  let stack: Stack | undefined;

  beforeAll(async () => {
    kafka = await startLocalKafka({ port: 0, restart: { minDelayMs: 200 } });
    stack = await startStack({}, { withSubscriptions: true, brokers: kafka.brokers });
    const running = stack;
    await until(
      'the subscription feed to read',
      async () => ((await feed(running))?.feed.state === 'consuming' ? true : undefined),
      { timeoutMs: 60_000 },
    );
  });
  afterAll(async () => {
    await stack?.stop();
    await kafka?.stop();
  });

  it('keeps the subscription open and delivers the events written after the broker is back', async () => {
    if (!stack || !kafka) throw new Error('not started');
    const running = stack;
    const subscription = await subscribeSse(
      running.gateway.url,
      'subscription { movieEvents(movieId: "2") { action movie { id } } }',
    );
    if (isRefusal(subscription)) throw new Error(`refused: ${JSON.stringify(subscription.body)}`);
    try {
      const broker = kafka;
      process.kill(broker.pid() as number, 'SIGKILL');
      await until(
        'the broker to be started again',
        async () => (broker.restarts() === 1 ? true : undefined),
        { timeoutMs: 90_000 },
      );
      // Ratings written from now on reach the topic once the relay gets through; the feed,
      // which kept its consumer trying, hands the first that arrives after it has rejoined to
      // the subscription that stayed open. (Events between the broker's return and the rejoin
      // are not replayed: the feed starts at the latest offset.)
      const token = await running.bearer({ subject: '1' });
      for (let attempt = 0; attempt < 45 && subscription.messages.length === 0; attempt += 1) {
        const { body } = await postGraphql(
          `${running.gateway.url}/graphql`,
          'mutation { rateMovie(userId: "1", movieId: "2", score: 5) { score } }',
          { headers: token },
        );
        expect(body.errors).toBeUndefined();
        await new Promise((resolve) => setTimeout(resolve, 2_000));
      }
      expect(subscription.messages[0]).toEqual({
        event: 'next',
        id: expect.any(String),
        data: {
          data: { movieEvents: { action: 'rated', movie: { id: '2' } } },
          extensions: { cursor: expect.any(String) },
        },
      });
      expect((await feed(running))?.feed.state).toBe('consuming');
    } finally {
      subscription.close();
    }
  });
});
