import net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { logLevel } from 'kafkajs';
import { createMemoryLogger } from '../testing/memoryLogger';
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

const record = { topic: 'user-events', key: '1', value: '{}' };

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

  it('fails a bounded send once its timeout passes', async () => {
    const producer = createEventProducer(kafkaConfig, { retries: 1, sendTimeoutMs: 300 });
    const started = Date.now();
    await expect(producer.send([record])).rejects.toBeInstanceOf(EventBusUnavailableError);
    expect(Date.now() - started).toBeLessThan(10_000);
    await producer.disconnect();
  });

  it('keeps an until-settled send going past any timeout, saying so, until its caller gives up', async () => {
    const { logger, lines } = createMemoryLogger({ level: 'warn' });
    const producer = createEventProducer(kafkaConfig, {
      retries: 1,
      sendTimeoutMs: 100,
      delivery: 'until-settled',
      logger,
    });
    const giveUp = new AbortController();
    let settled = false;
    const sending = producer.send([record], { signal: giveUp.signal }).finally(() => {
      settled = true;
    });
    sending.catch(() => {});

    await sleep(1_500);
    expect(settled).toBe(false);
    const retries = lines.filter(
      (line) => line.msg === 'Kafka has not acknowledged the send; retrying the same records',
    );
    expect(retries.length).toBeGreaterThanOrEqual(1);
    expect(retries.every((line) => line.level === 'warn')).toBe(true);

    giveUp.abort();
    await expect(sending).rejects.toThrow('Kafka send abandoned before the broker settled it');
    await producer.disconnect();
  });

  it('ends a pending until-settled send when the producer disconnects', async () => {
    const producer = createEventProducer(kafkaConfig, { retries: 1, delivery: 'until-settled' });
    const sending = producer.send([record]);
    sending.catch(() => {});
    await sleep(300);

    await producer.disconnect();
    await expect(sending).rejects.toBeInstanceOf(EventBusUnavailableError);
    await expect(producer.send([record])).rejects.toThrow('producer is closed');
  });
});
