import { setTimeout as sleep } from 'node:timers/promises';
import { createClient } from 'graphql-ws';
import type { Client } from 'graphql-ws';
import WebSocket from 'ws';
import type { BenchChild } from '../processes/startChild';
import { postGraphql } from '../queries';
import { percentile } from '../stats';

export interface SubscriptionFanoutOptions {
  /** Concurrent subscribers, half over SSE and half over graphql-ws. */
  subscribers: number;
  /** Subscribers spread their filters over this many movies. */
  movies: number;
  /** Ratings written through the gateway, at `ratePerSecond`. */
  ratings: number;
  ratePerSecond: number;
  /** SSE subscribers that drop and come back at once with Last-Event-ID. */
  resumers: number;
  /** Ratings written while they are away. */
  gapRatings: number;
  progress?: (line: string) => void;
}

export interface SubscriptionFanoutResult {
  subscribers: number;
  sse: number;
  ws: number;
  wsConnections: number;
  movies: number;
  ratings: number;
  failedRatings: number;
  ratePerSecond: number;
  /** Deliveries expected (each rating × its movie's subscribers) and received. */
  expected: number;
  delivered: number;
  duplicates: number;
  /** Milliseconds from the rating's answer at the client to the event's arrival. */
  latency: { p50: number; p99: number; max: number };
  /** Gateway CPU over the rating window, in cores (CPU seconds per second). */
  gatewayCores: number;
  /** Gateway CPU per delivered event, ms. */
  cpuMsPerDelivery: number;
  rssMiB: { idle: number; subscribed: number; afterRatings: number };
  /** The gateway's JavaScript heap in use at the same moments. */
  heapMiB: { idle: number; subscribed: number; afterRatings: number };
  resumeStorm: {
    clients: number;
    gapRatings: number;
    /** Events the resumers had missed, in all. */
    missed: number;
    /** Resumers that got exactly what they missed, in order, and nothing twice. */
    complete: number;
    /** From the reconnects to the last resumer's last missed event, ms. */
    catchUpMs: number;
  };
}

const SUBSCRIPTION = `subscription MovieFeed($movieId: ID!) {
  movieEvents(movieId: $movieId) { id action movie { id title averageRating } }
}`;
const RATE_MOVIE = `mutation Rate($userId: ID!, $movieId: ID!, $score: Int!) {
  rateMovie(userId: $userId, movieId: $movieId, score: $score) { score }
}`;
/** graphql-ws subscribers share connections, as a browser tab with a few views would. */
const WS_PER_CONNECTION = 5;
const DELIVERY_DEADLINE_MS = 60_000;

interface Arrival {
  id: string;
  cursor: string;
  at: number;
}

interface Subscriber {
  movieId: string;
  transport: 'sse' | 'ws';
  arrivals: Arrival[];
  close(): void;
}

interface EventResult {
  data?: { movieEvents?: { id: string } };
  extensions?: { cursor?: string };
}

function arrivalOf(result: EventResult): Arrival | undefined {
  const id = result.data?.movieEvents?.id;
  const cursor = result.extensions?.cursor;
  return id && cursor ? { id, cursor, at: performance.now() } : undefined;
}

/** One GraphQL-over-SSE subscription (distinct connections), read as it arrives. */
async function sseSubscriber(
  base: string,
  movieId: string,
  lastEventId?: string,
  arrivals: Arrival[] = [],
): Promise<Subscriber> {
  const controller = new AbortController();
  const response = await fetch(`${base}/graphql/stream`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'text/event-stream',
      ...(lastEventId && { 'last-event-id': lastEventId }),
    },
    body: JSON.stringify({ query: SUBSCRIPTION, variables: { movieId } }),
    signal: controller.signal,
  });
  if (response.status !== 200 || !response.body) {
    throw new Error(`SSE subscription refused: ${response.status} ${await response.text()}`);
  }
  void (async () => {
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const frame = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const data = /^data: (.+)$/m.exec(frame)?.[1];
          if (!frame.includes('event: next') || !data) continue;
          const arrival = arrivalOf(JSON.parse(data) as EventResult);
          if (arrival) arrivals.push(arrival);
        }
      }
    } catch {
      // Closed by the bench.
    }
  })();
  return { movieId, transport: 'sse', arrivals, close: () => controller.abort() };
}

function wsSubscriber(client: Client, movieId: string): Subscriber {
  const arrivals: Arrival[] = [];
  const unsubscribe = client.subscribe(
    { query: SUBSCRIPTION, variables: { movieId } },
    {
      next: (result) => {
        const arrival = arrivalOf(result as EventResult);
        if (arrival) arrivals.push(arrival);
      },
      error: () => {},
      complete: () => {},
    },
  );
  return { movieId, transport: 'ws', arrivals, close: unsubscribe };
}

async function activeSubscriptions(base: string): Promise<number> {
  const ready = (await (await fetch(`${base}/ready`)).json()) as {
    subscriptions?: { active: number };
  };
  return ready.subscriptions?.active ?? 0;
}

async function waitFor(what: string, check: () => Promise<boolean> | boolean, timeoutMs: number) {
  const deadline = performance.now() + timeoutMs;
  while (!(await check())) {
    if (performance.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await sleep(100);
  }
}

const mib = (kib: number) => Math.round((kib / 1024) * 10) / 10;

/**
 * Writes ratings through the gateway at a steady rate (open loop), one movie after another,
 * and returns when each was answered, per movie in order: a movie's k-th event is its k-th
 * rating, as its ratings are seconds apart.
 */
async function writeRatings(
  graphqlUrl: string,
  {
    count,
    ratePerSecond,
    movies,
    offset,
  }: { count: number; ratePerSecond: number; movies: number; offset: number },
) {
  const answered = new Map<string, number[]>();
  const pending: Promise<void>[] = [];
  let failed = 0;
  const started = performance.now();
  for (let i = 0; i < count; i += 1) {
    await sleep(Math.max(0, started + (i * 1000) / ratePerSecond - performance.now()));
    const movieId = String(1 + ((offset + i) % movies));
    const times = answered.get(movieId) ?? [];
    answered.set(movieId, times);
    const slot = times.push(NaN) - 1;
    pending.push(
      postGraphql(graphqlUrl, RATE_MOVIE, { userId: '1', movieId, score: 1 + (i % 10) }).then(
        ({ body }) => {
          if (body.errors) failed += 1;
          else times[slot] = performance.now();
        },
        () => {
          failed += 1;
        },
      ),
    );
  }
  await Promise.all(pending);
  return { answered, failed };
}

/**
 * Part 4d: subscriptions at scale. `subscribers` clients (half SSE, half graphql-ws over
 * shared connections) follow `movies` movies while ratings are written at a steady rate; each
 * delivery is timed from its rating's answer. Then `resumers` SSE clients drop, miss
 * `gapRatings` ratings, and come back at once with Last-Event-ID: each must get exactly what it
 * missed (checked against a subscriber of the same movie that stayed), in order, once.
 */
export async function measureSubscriptionFanout(
  gateway: BenchChild,
  options: SubscriptionFanoutOptions,
): Promise<SubscriptionFanoutResult> {
  const base = gateway.info.base as string;
  const graphqlUrl = `${base}/graphql`;
  const log = options.progress ?? (() => {});
  const { movies } = options;
  await waitFor(
    "the gateway's event feed",
    async () => {
      const ready = (await (await fetch(`${base}/ready`)).json()) as {
        subscriptions?: { feed: { state: string } };
      };
      return ready.subscriptions?.feed.state === 'consuming';
    },
    60_000,
  );
  // Warm: plans, pools, the relay and the feed.
  await writeRatings(graphqlUrl, { count: 20, ratePerSecond: 20, movies, offset: 0 });
  await sleep(2_000);
  const idle = await gateway.stats();

  const sseCount = Math.ceil(options.subscribers / 2);
  const wsCount = options.subscribers - sseCount;
  const clients: Client[] = [];
  const subscribers: Subscriber[] = [];
  for (let i = 0; i < sseCount; i += 1) {
    subscribers.push(await sseSubscriber(base, String(1 + (i % movies))));
  }
  for (let i = 0; i < wsCount; i += 1) {
    if (i % WS_PER_CONNECTION === 0) {
      clients.push(
        createClient({
          url: `${base.replace(/^http/, 'ws')}/graphql`,
          webSocketImpl: WebSocket,
          lazy: false,
          retryAttempts: 0,
        }),
      );
    }
    subscribers.push(wsSubscriber(clients.at(-1)!, String(1 + (i % movies))));
  }
  await waitFor(
    `${options.subscribers} subscriptions`,
    async () => (await activeSubscriptions(base)) === options.subscribers,
    60_000,
  );
  const subscribed = await gateway.stats();
  log(
    `${options.subscribers} subscribers (${sseCount} SSE, ${wsCount} graphql-ws on ${clients.length} connections)`,
  );

  try {
    const perMovie = new Map<string, number>();
    for (const s of subscribers) perMovie.set(s.movieId, (perMovie.get(s.movieId) ?? 0) + 1);
    const marks = new Map(subscribers.map((s) => [s, s.arrivals.length]));
    const before = await gateway.stats();
    const windowStart = performance.now();
    const { answered, failed } = await writeRatings(graphqlUrl, {
      count: options.ratings,
      ratePerSecond: options.ratePerSecond,
      movies,
      offset: 0,
    });
    let expected = 0;
    for (const [movieId, times] of answered) {
      expected += times.filter((t) => !Number.isNaN(t)).length * (perMovie.get(movieId) ?? 0);
    }
    const deliveredNow = () =>
      subscribers.reduce((sum, s) => sum + s.arrivals.length - (marks.get(s) ?? 0), 0);
    await waitFor('every delivery', () => deliveredNow() >= expected, DELIVERY_DEADLINE_MS).catch(
      () => log(`deliveries stopped at ${deliveredNow()} of ${expected}`),
    );
    const windowMs = performance.now() - windowStart;
    const after = await gateway.stats();

    const latencies: number[] = [];
    let duplicates = 0;
    for (const s of subscribers) {
      const window = s.arrivals.slice(marks.get(s));
      const times = answered.get(s.movieId) ?? [];
      duplicates += window.length - new Set(window.map((a) => a.id)).size;
      window.forEach((arrival, k) => {
        const answeredAt = times[k];
        // An event may beat its answer to the client; that counts as no wait.
        if (answeredAt !== undefined && !Number.isNaN(answeredAt)) {
          latencies.push(Math.max(0, arrival.at - answeredAt));
        }
      });
    }
    const delivered = deliveredNow();
    log(`delivered ${delivered} of ${expected}; resume storm next`);

    const resumeStorm = await resumeStormOf(base, graphqlUrl, subscribers, options);
    const cpuMs = after.cpuMs - before.cpuMs;
    return {
      subscribers: options.subscribers,
      sse: sseCount,
      ws: wsCount,
      wsConnections: clients.length,
      movies,
      ratings: options.ratings,
      failedRatings: failed,
      ratePerSecond: options.ratePerSecond,
      expected,
      delivered,
      duplicates,
      latency: {
        p50: percentile(latencies, 50),
        p99: percentile(latencies, 99),
        max: Math.max(...latencies),
      },
      gatewayCores: cpuMs / windowMs,
      cpuMsPerDelivery: cpuMs / Math.max(1, delivered),
      rssMiB: {
        idle: mib(idle.rssKiB),
        subscribed: mib(subscribed.rssKiB),
        afterRatings: mib(after.rssKiB),
      },
      heapMiB: {
        idle: mib(idle.heapUsedKiB),
        subscribed: mib(subscribed.heapUsedKiB),
        afterRatings: mib(after.heapUsedKiB),
      },
      resumeStorm,
    };
  } finally {
    for (const s of subscribers) s.close();
    await Promise.all(clients.map((c) => c.dispose()));
  }
}

async function resumeStormOf(
  base: string,
  graphqlUrl: string,
  subscribers: Subscriber[],
  options: SubscriptionFanoutOptions,
): Promise<SubscriptionFanoutResult['resumeStorm']> {
  const leaving = subscribers.filter((s) => s.transport === 'sse').slice(0, options.resumers);
  const witnesses = new Map<string, Subscriber>();
  for (const s of subscribers) {
    if (s.transport === 'ws' && !witnesses.has(s.movieId)) witnesses.set(s.movieId, s);
  }
  for (const s of leaving) s.close();
  const lastSeen = leaving.map((s) => s.arrivals.at(-1));
  await sleep(200);
  await writeRatings(graphqlUrl, {
    count: options.gapRatings,
    ratePerSecond: options.ratePerSecond,
    movies: options.movies,
    offset: 7,
  });
  // Everything of the gap reached the subscribers that stayed.
  await sleep(2_000);
  const missed = leaving.map((s, i) => {
    const witness = witnesses.get(s.movieId)!.arrivals;
    const from = lastSeen[i] ? witness.findIndex((a) => a.id === lastSeen[i]!.id) + 1 : 0;
    return witness.slice(from).map((a) => a.id);
  });
  const started = performance.now();
  const back = await Promise.all(
    leaving.map((s, i) => sseSubscriber(base, s.movieId, lastSeen[i]?.cursor)),
  );
  const total = missed.reduce((sum, ids) => sum + ids.length, 0);
  let catchUpMs = NaN;
  try {
    await waitFor(
      'the resumers to catch up',
      () => back.every((s, i) => s.arrivals.length >= missed[i]!.length),
      DELIVERY_DEADLINE_MS,
    );
    catchUpMs =
      Math.max(
        0,
        ...back.map((s, i) =>
          missed[i]!.length ? s.arrivals[missed[i]!.length - 1]!.at : started,
        ),
      ) - started;
  } catch {
    // Reported as incomplete below.
  }
  const complete = back.filter((s, i) => {
    const got = s.arrivals.slice(0, missed[i]!.length).map((a) => a.id);
    const all = [...leaving[i]!.arrivals, ...s.arrivals].map((a) => a.id);
    return JSON.stringify(got) === JSON.stringify(missed[i]) && new Set(all).size === all.length;
  }).length;
  for (const s of back) s.close();
  return {
    clients: leaving.length,
    gapRatings: options.gapRatings,
    missed: total,
    complete,
    catchUpMs,
  };
}
