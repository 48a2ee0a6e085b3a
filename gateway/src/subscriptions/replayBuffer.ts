import type { RoutedEvent } from './eventRouting';
import type { Positions } from './eventCursor';

/** One event a subscription could be given again, as it was delivered live. */
export interface ReplayableEvent {
  routed: RoutedEvent;
  partition: number;
  offset: number;
  producedAtMs: number;
  /** The id it was delivered with (eventCursor.ts). */
  cursor: string;
}

export type ReplaySince =
  | { expired: false; events: ReplayableEvent[] }
  /** Some event after the cursor is no longer held: a resume from it would have a gap. */
  | { expired: true };

interface TopicLog {
  /** Per partition, the last offset the feed handled. */
  positions: Map<number, number>;
  /** Per partition, the lowest offset still replayable: everything from it on is held. */
  floors: Map<number, number>;
  events: ReplayableEvent[];
  /** Index of the oldest held event (evicted ones are dropped in batches). */
  head: number;
}

export interface ReplayBufferOptions {
  /** How long an event stays replayable, by its Kafka timestamp. */
  retentionMs: number;
  /** At most this many events held per topic, the oldest dropped first. */
  maxEvents: number;
  now?: () => number;
}

/**
 * The replica's memory of recent events, per topic, in the order the feed handled them (so in
 * partition order), with where the feed stands on each partition. A resuming subscription asks
 * for everything after its cursor; the answer is all of it, or "expired" when retention or the
 * size bound has dropped some of it. Nothing is read back from Kafka on a resume: the feed
 * starts `retentionMs` in the past, so the buffer holds the window from the first moment.
 */
export function createReplayBuffer({
  retentionMs,
  maxEvents,
  now = Date.now,
}: ReplayBufferOptions) {
  const topics = new Map<string, TopicLog>();

  function logOf(topic: string): TopicLog {
    let log = topics.get(topic);
    if (!log) {
      log = { positions: new Map(), floors: new Map(), events: [], head: 0 };
      topics.set(topic, log);
    }
    return log;
  }

  function evict(log: TopicLog): void {
    const oldest = now() - retentionMs;
    while (log.head < log.events.length) {
      const event = log.events[log.head]!;
      const held = log.events.length - log.head;
      if (event.producedAtMs >= oldest && held <= maxEvents) break;
      log.floors.set(
        event.partition,
        Math.max(log.floors.get(event.partition) ?? 0, event.offset + 1),
      );
      log.head += 1;
    }
    // Compact once the dropped prefix outgrows what is held.
    if (log.head > 1_024 && log.head * 2 > log.events.length) {
      log.events = log.events.slice(log.head);
      log.head = 0;
    }
  }

  return {
    /** Where the feed starts reading a partition: nothing before it is replayable. */
    begin(topic: string, partition: number, offset: number): void {
      const log = logOf(topic);
      if (!log.floors.has(partition)) log.floors.set(partition, offset);
      if (!log.positions.has(partition)) log.positions.set(partition, offset - 1);
    },
    /** The feed handled this record (an event or not); returns the topic's positions now. */
    advance(topic: string, partition: number, offset: number): Positions {
      const log = logOf(topic);
      if (!log.floors.has(partition)) log.floors.set(partition, offset);
      log.positions.set(partition, Math.max(log.positions.get(partition) ?? -1, offset));
      return log.positions;
    },
    positions: (topic: string): Positions => logOf(topic).positions,
    append(topic: string, event: ReplayableEvent): void {
      const log = logOf(topic);
      log.events.push(event);
      evict(log);
    },
    /** Every held event of the topic after the cursor's positions, in the order handled. */
    since(topic: string, cursor: Positions): ReplaySince {
      const log = logOf(topic);
      evict(log);
      for (const [partition, floor] of log.floors) {
        if ((cursor.get(partition) ?? -1) + 1 < floor) return { expired: true };
      }
      const events: ReplayableEvent[] = [];
      for (let i = log.head; i < log.events.length; i += 1) {
        const event = log.events[i]!;
        if (event.offset > (cursor.get(event.partition) ?? -1)) events.push(event);
      }
      return { expired: false, events };
    },
    /** Events held, over every topic. */
    size(): number {
      let total = 0;
      for (const log of topics.values()) total += log.events.length - log.head;
      return total;
    },
  };
}

export type ReplayBuffer = ReturnType<typeof createReplayBuffer>;
