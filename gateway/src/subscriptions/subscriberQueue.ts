import type { ExecutionResult } from 'graphql';

/** Results a subscriber may have waiting before it counts as too slow. @see SUBSCRIPTION_SEND_QUEUE */
export const SUBSCRIBER_QUEUE_LIMIT = 100;

export interface SubscriberQueue extends AsyncIterableIterator<ExecutionResult> {
  /**
   * Reserves the next place in the stream for a result still being resolved, so results leave
   * in the order they were pushed whatever order they resolve in. False, and nothing queued,
   * when `limit` results already wait: the subscriber does not keep up.
   */
  push(result: ExecutionResult | Promise<ExecutionResult>): boolean;
  /**
   * Puts results to be resolved when taken ahead of everything queued later: what a resuming
   * subscriber missed. They are resolved one by one as the transport reads (so a long catch-up
   * costs memory for one result at a time) and do not count against `limit`.
   */
  replay(backlog: readonly (() => Promise<ExecutionResult>)[]): void;
  /** Ends the stream after what is queued; the transport then completes the subscription. */
  close(): void;
  readonly closed: boolean;
  /** Results waiting to be taken by the transport. */
  readonly waiting: number;
}

/**
 * One subscriber's results, in order, as an async iterator the transports (SSE, graphql-ws)
 * read. The transports take the next result only once the previous one is written to the
 * socket, so what waits here is the subscriber's send backlog; it is bounded by `limit`.
 * `onReturn` runs once when the stream ends either way (the client left, or close()), so the
 * hub forgets the subscriber.
 */
export function createSubscriberQueue(
  onReturn: () => void,
  limit = SUBSCRIBER_QUEUE_LIMIT,
): SubscriberQueue {
  const queued: Promise<ExecutionResult>[] = [];
  let backlog: (() => Promise<ExecutionResult>)[] = [];
  let waiting: ((result: IteratorResult<ExecutionResult>) => void) | undefined;
  let closed = false;
  let returned = false;

  const finish = () => {
    closed = true;
    if (!returned) {
      returned = true;
      onReturn();
    }
  };

  const queue: SubscriberQueue = {
    get closed() {
      return closed;
    },
    get waiting() {
      return queued.length;
    },
    replay(results) {
      backlog = [...backlog, ...results];
    },
    push(result) {
      if (closed) return true;
      const settled = Promise.resolve(result);
      if (waiting) {
        const resolve = waiting;
        waiting = undefined;
        void settled.then((value) => resolve({ value, done: false }));
        return true;
      }
      if (queued.length >= limit) return false;
      queued.push(settled);
      return true;
    },
    close() {
      closed = true;
      if (waiting) {
        const resolve = waiting;
        waiting = undefined;
        finish();
        resolve({ value: undefined, done: true });
      } else if (queued.length === 0 && backlog.length === 0) {
        finish();
      }
    },
    next() {
      const missed = backlog.shift();
      if (missed) return missed().then((value) => ({ value, done: false }));
      const result = queued.shift();
      if (result) return result.then((value) => ({ value, done: false }));
      if (closed) {
        finish();
        return Promise.resolve({ value: undefined, done: true });
      }
      return new Promise((resolve) => {
        waiting = resolve;
      });
    },
    return() {
      queued.length = 0;
      backlog = [];
      const resolve = waiting;
      waiting = undefined;
      finish();
      resolve?.({ value: undefined, done: true });
      return Promise.resolve({ value: undefined, done: true });
    },
    throw(error?: unknown) {
      void queue.return?.();
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    },
    [Symbol.asyncIterator]() {
      return queue;
    },
  };
  return queue;
}
