import { Kafka } from 'kafkajs';
import type { KafkaConfig } from 'kafkajs';

interface RequestQueueInternals {
  pending: unknown[];
}

let requestQueuePatched = false;

/**
 * kafkajs 2.2.4 (its last release) re-arms a timer on every broker connection even when no
 * request waits: with an empty queue and no throttling the delay it computes is negative, which
 * Node clamps to 1 ms (and Node 24 reports as a TimeoutNegativeWarning), so each idle connection
 * wakes the event loop a thousand times a second. Nothing needs that timer: enqueueing a request
 * schedules a check, and so does every answer while requests wait. So the check is skipped while
 * the queue is empty.
 */
function skipIdleQueueChecks(): void {
  if (requestQueuePatched) return;
  requestQueuePatched = true;
  // The class is internal to kafkajs (pinned to 2.2.4 in package.json for this reason).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const RequestQueue = require('kafkajs/src/network/requestQueue') as {
    prototype: { scheduleCheckPendingRequests(this: RequestQueueInternals): void };
  };
  const schedule = RequestQueue.prototype.scheduleCheckPendingRequests;
  RequestQueue.prototype.scheduleCheckPendingRequests = function scheduleWhenPending() {
    if (this.pending.length === 0) return;
    schedule.call(this);
  };
}

/** The one way to make a kafkajs client: every producer, consumer and admin starts here. */
export function createKafkaClient(config: KafkaConfig): Kafka {
  skipIdleQueueChecks();
  return new Kafka(config);
}
