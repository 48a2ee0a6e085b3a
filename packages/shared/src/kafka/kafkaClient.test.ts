import { createKafkaClient } from './kafkaClient';

interface RequestQueue {
  pending: unknown[];
  throttleCheckTimeoutId: unknown;
  scheduleCheckPendingRequests(): void;
}

// kafkajs's own per-connection queue, as its broker connections build it.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const RequestQueueClass = require('kafkajs/src/network/requestQueue') as new (options: {
  maxInFlightRequests: number | null;
  requestTimeout: number;
  enforceRequestTimeout: boolean;
  clientId: string;
  broker: string;
  logger: unknown;
}) => RequestQueue;

function newQueue(): RequestQueue {
  return new RequestQueueClass({
    maxInFlightRequests: null,
    requestTimeout: 30_000,
    enforceRequestTimeout: true,
    clientId: 'test',
    broker: '127.0.0.1:1',
    logger: { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} },
  });
}

describe('createKafkaClient', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('makes a kafkajs client with the given settings', () => {
    const kafka = createKafkaClient({ clientId: 'test', brokers: ['127.0.0.1:1'] });

    expect(typeof kafka.producer).toBe('function');
    expect(typeof kafka.admin).toBe('function');
  });

  it('arms no timer on an idle connection: nothing pending, no 1 ms wake-ups', () => {
    createKafkaClient({ clientId: 'test', brokers: ['127.0.0.1:1'] });
    const queue = newQueue();

    queue.scheduleCheckPendingRequests();

    expect(queue.throttleCheckTimeoutId).toBeNull();
    expect(jest.getTimerCount()).toBe(0);
  });

  it('still schedules a check while a request waits', () => {
    createKafkaClient({ clientId: 'test', brokers: ['127.0.0.1:1'] });
    const queue = newQueue();
    queue.pending.push({ correlationId: 1 });

    queue.scheduleCheckPendingRequests();

    expect(queue.throttleCheckTimeoutId).not.toBeNull();
    expect(jest.getTimerCount()).toBe(1);
  });
});
