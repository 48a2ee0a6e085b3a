import type { ExecutionResult } from 'graphql';

/** Results waiting for a slow subscriber; past this the oldest are dropped (and counted). */
export const SUBSCRIBER_QUEUE_LIMIT = 100;

export interface SubscriberQueue extends AsyncIterableIterator<ExecutionResult> {
  /** Queues a result; false when it pushed out the oldest one (the subscriber lags behind). */
  push(result: ExecutionResult): boolean;
  /** Ends the stream after what is queued; the transport then completes the subscription. */
  close(): void;
  readonly closed: boolean;
}

/**
 * One subscriber's results, in order, as an async iterator the transports (graphql-sse,
 * graphql-ws) read. Bounded: a subscriber that stops reading costs at most `limit` results,
 * never the event feed's pace. `onReturn` runs once when the stream ends either way (the
 * client left, or close()), so the hub forgets the subscriber.
 */
export function createSubscriberQueue(
  onReturn: () => void,
  limit = SUBSCRIBER_QUEUE_LIMIT,
): SubscriberQueue {
  const queued: ExecutionResult[] = [];
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
    push(result) {
      if (closed) return true;
      if (waiting) {
        const resolve = waiting;
        waiting = undefined;
        resolve({ value: result, done: false });
        return true;
      }
      queued.push(result);
      if (queued.length <= limit) return true;
      queued.shift();
      return false;
    },
    close() {
      closed = true;
      if (waiting) {
        const resolve = waiting;
        waiting = undefined;
        finish();
        resolve({ value: undefined, done: true });
      } else if (queued.length === 0) {
        finish();
      }
    },
    next() {
      const result = queued.shift();
      if (result) return Promise.resolve({ value: result, done: false });
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
