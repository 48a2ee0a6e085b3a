import net from 'node:net';
import { logLevel } from 'kafkajs';
import type { ISocketFactory } from 'kafkajs';
import { isSettled, untilIo, useFakeClock } from '../testing/fakeClock';
import { createMemoryLogger } from '../testing/memoryLogger';
import type { LogLine } from '../testing/memoryLogger';
import { EventBusUnavailableError } from './eventBusErrors';
import { createEventProducer } from './eventProducer';

/** A loopback port nothing listens on: every connect is refused at once. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** A broker that accepts connections and never answers: a send can only end by its deadline. */
async function silentBroker() {
  const sockets = new Set<net.Socket>();
  let bytesReceived = 0;
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('data', (chunk) => (bytesReceived += chunk.length));
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    address: `127.0.0.1:${port}`,
    bytesReceived: () => bytesReceived,
    close() {
      for (const socket of sockets) socket.destroy();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** kafkajs's own way of connecting, noting the (fake) time of every connection attempt. */
function recordingSocketFactory(attemptsAt: number[]): ISocketFactory {
  return ({ host, port, onConnect }) => {
    attemptsAt.push(Date.now());
    return net.connect({ host, port }, onConnect);
  };
}

/**
 * Moves the fake clock in small steps until `condition` holds: each step also lets socket I/O
 * in (a refused connect is seen long before kafkajs's connection timeout could fire).
 */
async function advanceUntil(condition: () => boolean, what: string, limitMs = 10_000) {
  for (let elapsed = 0; !condition(); elapsed += 10) {
    if (elapsed >= limitMs) throw new Error(`no ${what} within ${limitMs} ms of fake time`);
    await jest.advanceTimersByTimeAsync(10);
  }
}

const record = { topic: 'user-events', key: '1', value: '{}' };

const RETRY_MESSAGE = 'Kafka has not acknowledged the send; retrying the same records';

describe('createEventProducer', () => {
  let kafkaConfig: {
    clientId: string;
    brokers: string[];
    logLevel: logLevel;
    connectionTimeout: number;
  };
  beforeEach(async () => {
    kafkaConfig = {
      clientId: 'producer-test',
      brokers: [`127.0.0.1:${await closedPort()}`],
      logLevel: logLevel.NOTHING,
      connectionTimeout: 200,
    };
  });
  afterEach(() => jest.useRealTimers());

  it('fails a bounded send once its timeout passes', async () => {
    const broker = await silentBroker();
    try {
      useFakeClock();
      const producer = createEventProducer(
        { ...kafkaConfig, brokers: [broker.address] },
        { retries: 1, sendTimeoutMs: 300 },
      );
      const sending = producer.send([record]);
      const outcome = sending.then(
        () => 'resolved',
        (error: unknown) => error,
      );
      // Connected and asking the broker: from here only the deadline can end the send.
      await untilIo(() => broker.bytesReceived() > 0, 'the first request to the broker');

      await jest.advanceTimersByTimeAsync(299);
      expect(await isSettled(sending)).toBe(false);
      await jest.advanceTimersByTimeAsync(1);
      expect(await isSettled(sending)).toBe(true);
      const error = await outcome;
      expect(error).toBeInstanceOf(EventBusUnavailableError);
      expect((error as Error).message).toBe('Kafka send did not finish within 300 ms');
      await producer.disconnect();
    } finally {
      await broker.close();
    }
  });

  it('keeps an until-settled send going past any timeout, saying so, until its caller gives up', async () => {
    useFakeClock();
    const attemptsAt: number[] = [];
    const { logger, lines } = createMemoryLogger({ level: 'warn' });
    const producer = createEventProducer(
      { ...kafkaConfig, socketFactory: recordingSocketFactory(attemptsAt) },
      { retries: 1, sendTimeoutMs: 100, delivery: 'until-settled', logger },
    );
    const retries = (): LogLine[] => lines.filter((line) => line.msg === RETRY_MESSAGE);
    const giveUp = new AbortController();
    const sending = producer.send([record], { signal: giveUp.signal });
    sending.catch(() => {});

    // Each retry waits its backoff to the millisecond, from the warning, before connecting again.
    for (const [attempt, retryInMs] of [
      [1, 250],
      [2, 500],
      [3, 1_000],
    ] as const) {
      await advanceUntil(() => retries().length === attempt, `warning of retry ${attempt}`);
      const warning = retries()[attempt - 1];
      expect(warning).toMatchObject({ level: 'warn', attempt, retryInMs });
      const dueAt = Date.parse(String(warning?.time)) + retryInMs;
      const attemptsBefore = attemptsAt.length;
      await jest.advanceTimersByTimeAsync(dueAt - 1 - Date.now());
      expect(attemptsAt).toHaveLength(attemptsBefore);
      await jest.advanceTimersByTimeAsync(1);
      expect(attemptsAt.slice(attemptsBefore, attemptsBefore + 1)).toEqual([dueAt]);
    }
    expect(await isSettled(sending)).toBe(false);

    giveUp.abort();
    await expect(sending).rejects.toThrow('Kafka send abandoned before the broker settled it');
    await producer.disconnect();
  });

  it('ends a pending until-settled send when the producer disconnects', async () => {
    useFakeClock();
    const { logger, lines } = createMemoryLogger({ level: 'warn' });
    const producer = createEventProducer(kafkaConfig, {
      retries: 1,
      delivery: 'until-settled',
      logger,
    });
    const sending = producer.send([record]);
    sending.catch(() => {});
    await advanceUntil(
      () => lines.some((line) => line.msg === RETRY_MESSAGE),
      'warning of the first retry',
    );
    expect(await isSettled(sending)).toBe(false);

    // The clock stands still: disconnecting, not the backoff running out, ends the send.
    await producer.disconnect();
    await expect(sending).rejects.toBeInstanceOf(EventBusUnavailableError);
    await expect(producer.send([record])).rejects.toThrow('producer is closed');
  });
});
