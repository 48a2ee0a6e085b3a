import type { ExecutionResult } from 'graphql';
import { createDomainEvent } from '@cinemaabyss/shared/events';
import type { DomainEvent } from '@cinemaabyss/shared/events';
import { decodeCursor } from './eventCursor';
import type { RoutedEvent } from './eventRouting';
import { createSubscriptionHub } from './subscriptionHub';
import type {
  AcceptedSubscription,
  DeliveryResult,
  FeedRecord,
  SubscriptionHubHooks,
  SubscriptionHubOptions,
} from './subscriptionHub';

const TOPICS = {
  movieEvents: 'movie-events',
  userEvents: 'user-events',
  paymentEvents: 'payment-events',
};

const rated = (movieId: number): DomainEvent =>
  createDomainEvent('movie', 'rated', { movie_id: movieId, user_id: 1, rating: 5 });

/** The feed's records on movie-events: offsets count up per partition, as Kafka's do. */
function movieTopic() {
  const next = new Map<number, number>();
  return (event: DomainEvent, partition = 0, producedAtMs = Date.now()): FeedRecord => {
    const offset = next.get(partition) ?? 0;
    next.set(partition, offset + 1);
    return { event, topic: TOPICS.movieEvents, partition, offset, producedAtMs };
  };
}

const hubWith = (hooks: SubscriptionHubHooks = {}, options: Partial<SubscriptionHubOptions> = {}) =>
  createSubscriptionHub({ topics: TOPICS, ...options }, hooks);

/** A subscription to movieEvents whose hydrations are counted, answering the event's movie. */
function movieSubscription(
  filter: string | undefined,
  shareKey: string,
  hydrations: RoutedEvent[],
  extra: Partial<AcceptedSubscription> = {},
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
    ...extra,
  };
}

async function taken(stream: AsyncIterableIterator<ExecutionResult>, count: number) {
  const results: ExecutionResult[] = [];
  for (let i = 0; i < count; i += 1) results.push((await stream.next()).value as ExecutionResult);
  return results;
}

const movieIds = (results: ExecutionResult[]) =>
  results.map((r) => (r.data?.movieEvents as { movie: { id: string } }).movie.id);

describe('createSubscriptionHub', () => {
  it('hydrates an event once per share key and hands it to every matching subscriber', async () => {
    const hub = hubWith();
    const record = movieTopic();
    const hydrations: RoutedEvent[] = [];
    const shared = Array.from({ length: 5 }, () =>
      hub.add(movieSubscription('1', 'anonymous', hydrations)),
    );
    const other = hub.add(movieSubscription(undefined, 'signed-in:1', hydrations));
    await hub.publish(record(rated(1)));
    expect(hydrations).toHaveLength(2);
    for (const stream of [...shared, other]) {
      expect(await taken(stream, 1)).toEqual([
        {
          data: { movieEvents: expect.objectContaining({ movie: { id: '1' } }) },
          extensions: { cursor: expect.any(String) },
        },
      ]);
    }
  });

  it('gives each event a cursor naming where the feed stood on every partition', async () => {
    const hub = hubWith();
    const record = movieTopic();
    hub.begin([
      { topic: TOPICS.movieEvents, partition: 0, offset: 0, end: 0 },
      { topic: TOPICS.movieEvents, partition: 1, offset: 0, end: 0 },
    ]);
    const stream = hub.add(movieSubscription(undefined, 'a', []));
    await hub.publish(record(rated(1), 0));
    await hub.publish(record(rated(2), 1));
    const [first, second] = await taken(stream, 2);
    expect(decodeCursor(first!.extensions!.cursor as string)).toEqual({
      field: 'movieEvents',
      positions: new Map([
        [0, 0],
        [1, -1],
      ]),
    });
    expect(decodeCursor(second!.extensions!.cursor as string)?.positions).toEqual(
      new Map([
        [0, 0],
        [1, 0],
      ]),
    );
  });

  it('skips subscribers filtered to another entity, and counts them', async () => {
    const counted: [string, DeliveryResult, number][] = [];
    const hub = hubWith({
      onEvent: (field, result, count) => counted.push([field, result, count]),
    });
    const hydrations: RoutedEvent[] = [];
    hub.add(movieSubscription('2', 'a', hydrations));
    await hub.publish(movieTopic()(rated(1)));
    expect(hydrations).toHaveLength(0);
    expect(counted).toEqual([['movieEvents', 'filtered', 1]]);
  });

  it('hands an event delivered twice (at least once) to nobody twice', async () => {
    const hub = hubWith();
    const record = movieTopic();
    const hydrations: RoutedEvent[] = [];
    hub.add(movieSubscription(undefined, 'a', hydrations));
    const event = rated(1);
    await hub.publish(record(event));
    await hub.publish(record(event));
    expect(hydrations).toHaveLength(1);
  });

  it('answers a hydration that throws with an internal error, without its message', async () => {
    const failures: unknown[] = [];
    const hub = hubWith({ onHydrationFailed: (err) => failures.push(err) });
    const stream = hub.add({
      ...movieSubscription(undefined, 'a', []),
      hydrate: () => Promise.reject(new Error('SELECT secret FROM nowhere')),
    });
    await hub.publish(movieTopic()(rated(1)));
    const [result] = await taken(stream, 1);
    expect(result!.errors).toEqual([
      { message: 'internal error', extensions: { code: 'INTERNAL_SERVER_ERROR' } },
    ]);
    expect(failures).toHaveLength(1);
  });

  it('forgets a subscriber whose client left, and counts the active ones', async () => {
    const active: number[] = [];
    const hub = hubWith({ onActive: (_t, _f, change) => active.push(change) });
    const hydrations: RoutedEvent[] = [];
    const stream = hub.add(movieSubscription(undefined, 'a', hydrations));
    expect(hub.count()).toBe(1);
    await stream.return?.();
    expect(hub.count()).toBe(0);
    await hub.publish(movieTopic()(rated(1)));
    expect(hydrations).toHaveLength(0);
    expect(active).toEqual([1, -1]);
  });

  it('completes every subscription on closeAll and takes no more', async () => {
    const hub = hubWith();
    const stream = hub.add(movieSubscription(undefined, 'a', []));
    await hub.publish(movieTopic()(rated(1)));
    hub.closeAll();
    expect(hub.isAccepting()).toBe(false);
    // What was queued is still delivered, then the stream ends.
    expect((await stream.next()).done).toBe(false);
    expect((await stream.next()).done).toBe(true);
    expect(hub.count()).toBe(0);
  });

  it('ends a subscriber that falls queueLimit behind, tells it why, and serves the others', async () => {
    const counted: [string, DeliveryResult, number][] = [];
    const hub = hubWith(
      { onEvent: (field, result, count) => counted.push([field, result, count]) },
      { queueLimit: 3 },
    );
    const record = movieTopic();
    const tooSlow = jest.fn();
    const stalled = hub.add(movieSubscription(undefined, 'a', [], { onTooSlow: tooSlow }));
    const reader = hub.add(movieSubscription(undefined, 'a', []));
    const read: ExecutionResult[] = [];
    for (let i = 1; i <= 5; i += 1) {
      await hub.publish(record(rated(i)));
      read.push(...(await taken(reader, 1)));
    }
    expect(tooSlow).toHaveBeenCalledTimes(1);
    expect(counted).toContainEqual(['movieEvents', 'too_slow', 1]);
    expect(hub.count()).toBe(1);
    expect((await stalled.next()).done).toBe(true);
    expect(movieIds(read)).toEqual(['1', '2', '3', '4', '5']);
  });

  it('refuses room past maxSubscriptions', () => {
    const hub = hubWith({}, { maxSubscriptions: 2 });
    hub.add(movieSubscription(undefined, 'a', []));
    expect(hub.hasRoom()).toBe(true);
    hub.add(movieSubscription(undefined, 'a', []));
    expect(hub.hasRoom()).toBe(false);
  });

  describe('resuming from a cursor', () => {
    /** A hub with a subscriber that saw event 1 and left; events 2..n then happen. */
    async function missed(n: number, options: Partial<SubscriptionHubOptions> = {}) {
      const hub = hubWith({}, options);
      const record = movieTopic();
      hub.begin([
        { topic: TOPICS.movieEvents, partition: 0, offset: 0, end: 0 },
        { topic: TOPICS.movieEvents, partition: 1, offset: 0, end: 0 },
      ]);
      const first = hub.add(movieSubscription(undefined, 'a', []));
      await hub.publish(record(rated(1), 0));
      const [seen] = await taken(first, 1);
      await first.return?.();
      for (let i = 2; i <= n; i += 1) await hub.publish(record(rated(i), i % 2));
      return { hub, record, cursor: decodeCursor(seen!.extensions!.cursor as string)! };
    }

    it('gives what was missed across partitions, in order, then live events, none twice', async () => {
      const { hub, record, cursor } = await missed(11);
      const hydrations: RoutedEvent[] = [];
      const stream = hub.add(movieSubscription(undefined, 'b', hydrations, { resumeFrom: cursor }));
      await hub.publish(record(rated(12), 0));
      const results = await taken(stream, 11);
      expect(movieIds(results)).toEqual(['2', '3', '4', '5', '6', '7', '8', '9', '10', '11', '12']);
      expect(results[0]!.extensions).toEqual({ cursor: expect.any(String), resumed: true });
      expect(results[1]!.extensions).toEqual({ cursor: expect.any(String) });
      // Resuming from the last of them gives nothing again.
      const last = decodeCursor(results[10]!.extensions!.cursor as string)!;
      const again = hub.add(movieSubscription(undefined, 'b', [], { resumeFrom: last }));
      await hub.publish(record(rated(13), 1));
      expect(movieIds(await taken(again, 1))).toEqual(['13']);
    });

    it('replays more than the backlog bound without counting the client as too slow', async () => {
      const { hub, record, cursor } = await missed(12, { queueLimit: 3 });
      const tooSlow = jest.fn();
      const stream = hub.add(
        movieSubscription(undefined, 'b', [], { resumeFrom: cursor, onTooSlow: tooSlow }),
      );
      await hub.publish(record(rated(13), 0));
      const results = await taken(stream, 12);
      expect(movieIds(results)).toEqual([
        '2',
        '3',
        '4',
        '5',
        '6',
        '7',
        '8',
        '9',
        '10',
        '11',
        '12',
        '13',
      ]);
      expect(tooSlow).not.toHaveBeenCalled();
    });

    it('replays only what the filter matches', async () => {
      const { hub, cursor } = await missed(6);
      const stream = hub.add(movieSubscription('4', 'b', [], { resumeFrom: cursor }));
      hub.closeAll();
      const results: ExecutionResult[] = [];
      for await (const result of stream) results.push(result);
      expect(movieIds(results)).toEqual(['4']);
    });

    it('has no gap or repeat when events arrive while the missed ones are resolved', async () => {
      const { hub, record, cursor } = await missed(4);
      let release = () => {};
      const gate = new Promise<void>((resolve) => (release = resolve));
      const stream = hub.add(
        movieSubscription(undefined, 'slow', [], {
          resumeFrom: cursor,
          async hydrate(event) {
            if (event.value.id === undefined) throw new Error('no id');
            await gate;
            return { data: { movieEvents: event.value } };
          },
        }),
      );
      const live = hub.publish(record(rated(5), 0));
      release();
      await live;
      expect(movieIds(await taken(stream, 4))).toEqual(['2', '3', '4', '5']);
    });

    it('starts live and says so when retention has dropped some of what was missed', async () => {
      let now = 1_000_000;
      const hub = hubWith({}, { retentionMs: 10_000, now: () => now });
      const record = movieTopic();
      hub.begin([{ topic: TOPICS.movieEvents, partition: 0, offset: 0, end: 0 }]);
      const first = hub.add(movieSubscription(undefined, 'a', []));
      await hub.publish(record(rated(1), 0, now));
      const cursor = decodeCursor((await taken(first, 1))[0]!.extensions!.cursor as string)!;
      await hub.publish(record(rated(2), 0, now));
      now += 20_000;
      await hub.publish(record(rated(3), 0, now));
      const stream = hub.add(movieSubscription(undefined, 'a', [], { resumeFrom: cursor }));
      await hub.publish(record(rated(4), 0, now));
      const [result] = await taken(stream, 1);
      expect(movieIds([result!])).toEqual(['4']);
      expect(result!.extensions).toMatchObject({ resumed: false });
    });

    it('counts a cursor from before the feed start as expired, and starts it live', async () => {
      const hub = hubWith();
      hub.begin([{ topic: TOPICS.movieEvents, partition: 0, offset: 50, end: 60 }]);
      const stream = hub.add(
        movieSubscription(undefined, 'a', [], {
          resumeFrom: { field: 'movieEvents', positions: new Map([[0, 10]]) },
        }),
      );
      await hub.publish({
        event: rated(7),
        topic: TOPICS.movieEvents,
        partition: 0,
        offset: 60,
        producedAtMs: Date.now(),
      });
      const [result] = await taken(stream, 1);
      expect(result!.extensions).toMatchObject({ resumed: false });
    });

    it('skips what a cursor from a replica ahead of this one already covers', async () => {
      const hub = hubWith();
      hub.begin([{ topic: TOPICS.movieEvents, partition: 0, offset: 0, end: 0 }]);
      const stream = hub.add(
        movieSubscription(undefined, 'a', [], {
          resumeFrom: { field: 'movieEvents', positions: new Map([[0, 1]]) },
        }),
      );
      const record = movieTopic();
      for (let i = 1; i <= 3; i += 1) await hub.publish(record(rated(i), 0));
      expect(movieIds(await taken(stream, 1))).toEqual(['3']);
    });
  });

  it('gives history (read back at start) to resumed subscribers only', async () => {
    const hub = hubWith();
    hub.begin([{ topic: TOPICS.movieEvents, partition: 0, offset: 0, end: 2 }]);
    const fresh = hub.add(movieSubscription(undefined, 'a', []));
    const resumed = hub.add(
      movieSubscription(undefined, 'a', [], {
        resumeFrom: { field: 'movieEvents', positions: new Map([[0, 0]]) },
      }),
    );
    const record = movieTopic();
    for (let i = 1; i <= 3; i += 1) await hub.publish(record(rated(i), 0));
    expect(movieIds(await taken(fresh, 1))).toEqual(['3']);
    expect(movieIds(await taken(resumed, 2))).toEqual(['2', '3']);
  });
});
