import type { RunningGateway } from '@cinemaabyss/gateway/testing';
import { postGraphql } from '@cinemaabyss/shared/testing';
import type { Stack } from './startStack';
import { until } from './until';

interface ReadySubscriptions {
  subscriptions?: { feed: { state: string }; active: number };
}

async function readyOf(gateway: RunningGateway): Promise<ReadySubscriptions> {
  return (await (await fetch(`${gateway.url}/ready`)).json()) as ReadySubscriptions;
}

/** Waits until the gateway's event feed has joined its group and reads the topics. */
export async function feedReading(gateway: RunningGateway): Promise<void> {
  await until(
    'the subscription feed to read the event topics',
    async () =>
      (await readyOf(gateway)).subscriptions?.feed.state === 'consuming' ? true : undefined,
    { timeoutMs: 60_000 },
  );
}

/** Waits until the gateway holds `count` subscriptions (the transports registered them). */
export async function activeSubscriptions(gateway: RunningGateway, count: number): Promise<void> {
  await until(`${count} active subscriptions`, async () =>
    (await readyOf(gateway)).subscriptions?.active === count ? true : undefined,
  );
}

/** User 1 rates a movie through a gateway, as a signed-in client: one event on movie-events. */
export async function rateMovie(
  stack: Stack,
  gateway: RunningGateway,
  movieId: string,
  score: number,
): Promise<void> {
  const { body } = await postGraphql(
    `${gateway.url}/graphql`,
    `mutation { rateMovie(userId: "1", movieId: "${movieId}", score: ${score}) { score } }`,
    { headers: await stack.bearer({ subject: '1' }) },
  );
  if (body.errors) throw new Error(`rating failed: ${JSON.stringify(body.errors)}`);
}
