import type { ExecutionResult } from 'graphql';
import { createDomainEvent } from '@cinemaabyss/shared/events';
import type { DomainEvent } from '@cinemaabyss/shared/events';
import type { RoutedEvent } from './eventRouting';
import { createSubscriptionHub } from './subscriptionHub';
import type { AcceptedSubscription, DeliveryResult } from './subscriptionHub';

const rated = (movieId: number): DomainEvent =>
  createDomainEvent('movie', 'rated', { movie_id: movieId, user_id: 1, rating: 5 });

/** A subscription to movieEvents whose hydrations are counted, answering the event's movie. */
function movieSubscription(
  filter: string | undefined,
  shareKey: string,
  hydrations: RoutedEvent[],
): AcceptedSubscription {
  return {
    field: 'movieEvents',
    filter,
    transport: 'sse',
    shareKey: () => shareKey,
    async hydrate(event) {
      hydrations.push(event);
      return { data: { movieEvents: event.value } };
    },
  };
}

async function taken(stream: AsyncIterableIterator<ExecutionResult>, count: number) {
  const results: ExecutionResult[] = [];
  for (let i = 0; i < count; i += 1) results.push((await stream.next()).value as ExecutionResult);
  return results;
}

describe('createSubscriptionHub', () => {
  it('hydrates an event once per share key and hands it to every matching subscriber', async () => {
    const hub = createSubscriptionHub();
    const hydrations: RoutedEvent[] = [];
    const shared = Array.from({ length: 5 }, () =>
      hub.add(movieSubscription('1', 'anonymous', hydrations)),
    );
    const other = hub.add(movieSubscription(undefined, 'signed-in:1', hydrations));
    await hub.publish(rated(1), Date.now());
    expect(hydrations).toHaveLength(2);
    for (const stream of [...shared, other]) {
      expect(await taken(stream, 1)).toEqual([
        { data: { movieEvents: expect.objectContaining({ movie: { id: '1' } }) } },
      ]);
    }
  });

  it('skips subscribers filtered to another entity, and counts them', async () => {
    const counted: [string, DeliveryResult, number][] = [];
    const hub = createSubscriptionHub({
      onEvent: (field, result, count) => counted.push([field, result, count]),
    });
    const hydrations: RoutedEvent[] = [];
    hub.add(movieSubscription('2', 'a', hydrations));
    await hub.publish(rated(1), Date.now());
    expect(hydrations).toHaveLength(0);
    expect(counted).toEqual([['movieEvents', 'filtered', 1]]);
  });

  it('hands an event delivered twice (at least once) to nobody twice', async () => {
    const hub = createSubscriptionHub();
    const hydrations: RoutedEvent[] = [];
    hub.add(movieSubscription(undefined, 'a', hydrations));
    const event = rated(1);
    await hub.publish(event, Date.now());
    await hub.publish(event, Date.now());
    expect(hydrations).toHaveLength(1);
  });

  it('answers a hydration that throws with an internal error, without its message', async () => {
    const failures: unknown[] = [];
    const hub = createSubscriptionHub({ onHydrationFailed: (err) => failures.push(err) });
    const stream = hub.add({
      ...movieSubscription(undefined, 'a', []),
      hydrate: () => Promise.reject(new Error('SELECT secret FROM nowhere')),
    });
    await hub.publish(rated(1), Date.now());
    expect(await taken(stream, 1)).toEqual([
      { errors: [{ message: 'internal error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] },
    ]);
    expect(failures).toHaveLength(1);
  });

  it('forgets a subscriber whose client left, and counts the active ones', async () => {
    const active: number[] = [];
    const hub = createSubscriptionHub({ onActive: (_t, _f, change) => active.push(change) });
    const hydrations: RoutedEvent[] = [];
    const stream = hub.add(movieSubscription(undefined, 'a', hydrations));
    expect(hub.count()).toBe(1);
    await stream.return?.();
    expect(hub.count()).toBe(0);
    await hub.publish(rated(1), Date.now());
    expect(hydrations).toHaveLength(0);
    expect(active).toEqual([1, -1]);
  });

  it('completes every subscription on closeAll and takes no more', async () => {
    const hub = createSubscriptionHub();
    const stream = hub.add(movieSubscription(undefined, 'a', []));
    await hub.publish(rated(1), Date.now());
    hub.closeAll();
    expect(hub.isAccepting()).toBe(false);
    // What was queued is still delivered, then the stream ends.
    expect((await stream.next()).done).toBe(false);
    expect((await stream.next()).done).toBe(true);
    expect(hub.count()).toBe(0);
  });

  it('drops the oldest results of a subscriber that does not read, and counts them', async () => {
    const counted: [string, DeliveryResult, number][] = [];
    const hub = createSubscriptionHub({
      onEvent: (field, result, count) => counted.push([field, result, count]),
    });
    hub.add(movieSubscription(undefined, 'a', []));
    for (let i = 0; i < 101; i += 1) await hub.publish(rated(i + 1), Date.now());
    expect(counted.filter(([, result]) => result === 'dropped')).toEqual([
      ['movieEvents', 'dropped', 1],
    ]);
  });
});
