import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Kafka, logLevel, Partitioners } from 'kafkajs';
import type { KafkaMessage } from 'kafkajs';
import { isPortOpen } from '../jvm/freePort';
import { eventually, isAlive } from '../testing/processChecks';
import { KafkaLauncherError, startLocalKafka } from './localKafka';
import type { LocalKafka } from './localKafka';
import { createLogger } from '@cinemaabyss/shared/logging';
import type { Logger } from '@cinemaabyss/shared/logging';
import { TOPICS } from '@cinemaabyss/shared/kafka';

/** A logger that keeps its JSON lines in memory, for tests that read what was logged. */
function memoryLogger(): { logger: Logger; lines: () => { level: string; msg: string }[] } {
  const written: string[] = [];
  const logger = createLogger({
    name: 'test',
    level: 'debug',
    destination: { write: (line: string) => void written.push(line) },
  });
  return { logger, lines: () => written.map((line) => JSON.parse(line)) };
}

async function totalRecords(brokers: string[]): Promise<number> {
  const admin = client(brokers).admin();
  await admin.connect();
  try {
    const offsets = await admin.fetchTopicOffsets(TOPICS.movie);
    return offsets.map((p) => Number(p.high)).reduce((a, b) => a + b, 0);
  } finally {
    await admin.disconnect();
  }
}

/** The broker JVM serving `port`, found through /proc; what stop() must make disappear. */
function findBrokerProcess(port: number): { pid: number; dataDir: string } | undefined {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let argv: string[];
    try {
      argv = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
    } catch {
      continue; // exited while we looked
    }
    const propsFile = argv[argv.indexOf('kafka.Kafka') + 1];
    if (!argv.includes('kafka.Kafka') || !propsFile || !existsSync(propsFile)) continue;
    if (readFileSync(propsFile, 'utf8').includes(`PLAINTEXT://127.0.0.1:${port}\n`)) {
      return { pid: Number(entry), dataDir: path.dirname(propsFile) };
    }
  }
  return undefined;
}

const portFromBrokers = (brokers: string[]): number => Number(brokers[0]?.split(':')[1]);
const portOf = (kafka: LocalKafka): number => portFromBrokers(kafka.brokers);

const client = (brokers: string[]): Kafka =>
  new Kafka({ clientId: 'local-kafka-int-test', brokers, logLevel: logLevel.NOTHING });

async function produceOne(brokers: string[], key: string, value: string): Promise<void> {
  const producer = client(brokers).producer({
    idempotent: true,
    maxInFlightRequests: 1,
    createPartitioner: Partitioners.DefaultPartitioner,
  });
  await producer.connect();
  try {
    await producer.send({ topic: TOPICS.movie, acks: -1, messages: [{ key, value }] });
  } finally {
    await producer.disconnect();
  }
}

describe('startLocalKafka', () => {
  // Each test starts one or two JVMs; on a busy 2-core machine that alone can take a minute.
  jest.setTimeout(180_000);
  let kafka: LocalKafka | undefined;

  afterEach(async () => {
    await kafka?.stop();
    kafka = undefined;
  });

  it('starts a broker on free ports that kafkajs produces to and consumes from with a group, and stop() kills it', async () => {
    kafka = await startLocalKafka({ port: 0 });
    const { brokers } = kafka;
    const broker = findBrokerProcess(portOf(kafka));
    expect(broker).toBeDefined();

    await produceOne(brokers, 'movie-42', '{"type":"MovieCreated","id":42}');

    const groupId = 'local-kafka-int-test';
    const consumer = client(brokers).consumer({ groupId });
    await consumer.connect();
    try {
      await consumer.subscribe({ topic: TOPICS.movie, fromBeginning: true });
      const message = await new Promise<KafkaMessage>((resolve, reject) => {
        consumer.run({ eachMessage: async ({ message: m }) => resolve(m) }).catch(reject);
      });
      expect(message.key?.toString()).toBe('movie-42');
      expect(message.value?.toString()).toBe('{"type":"MovieCreated","id":42}');
    } finally {
      await consumer.disconnect();
    }

    // The group's offset commit reached the broker (kafkajs commits on disconnect).
    const admin = client(brokers).admin();
    await admin.connect();
    const [offsets] = await admin.fetchOffsets({ groupId, topics: [TOPICS.movie] });
    await admin.disconnect();
    expect(offsets?.partitions.map((p) => p.offset)).toContain('1');

    await kafka.stop();

    expect(isAlive(broker?.pid ?? -1)).toBe(false);
    expect(await isPortOpen(portOf(kafka))).toBe(false);
    expect(existsSync(broker?.dataDir ?? '')).toBe(false);
  });

  it('reuses a formatted data dir: messages survive a restart and the dir is kept', async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'cinemaabyss-kafka-reuse-'));
    try {
      kafka = await startLocalKafka({ port: 0, dataDir });
      await produceOne(kafka.brokers, 'before-restart', 'v');
      await kafka.stop();
      expect(existsSync(path.join(dataDir, 'kafka-data', 'meta.properties'))).toBe(true);

      kafka = await startLocalKafka({ port: 0, dataDir });
      const admin = client(kafka.brokers).admin();
      await admin.connect();
      const offsets = await admin.fetchTopicOffsets(TOPICS.movie);
      await admin.disconnect();

      expect(offsets.map((p) => Number(p.high)).reduce((a, b) => a + b, 0)).toBe(1);
    } finally {
      await kafka?.stop();
      kafka = undefined;
      await rm(dataDir, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
    }
  });

  it('restarts a broker that was killed, on its port and with its records, logging at error level', async () => {
    const { logger, lines } = memoryLogger();
    kafka = await startLocalKafka({ port: 0, logger, restart: { minDelayMs: 100 } });
    await produceOne(kafka.brokers, 'before-kill', 'v');
    const killed = kafka.pid() as number;

    process.kill(killed, 'SIGKILL');

    const running = kafka;
    expect(await eventually(() => running.restarts() === 1, 90_000)).toBe(true);
    expect(running.pid()).not.toBe(killed);
    expect(isAlive(running.pid() ?? -1)).toBe(true);
    expect(await totalRecords(running.brokers)).toBe(1);
    await produceOne(running.brokers, 'after-restart', 'v');
    expect(await totalRecords(running.brokers)).toBe(2);
    expect(lines()).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          level: 'error',
          msg: 'the local Kafka broker exited unexpectedly; restarting it',
        }),
        expect.objectContaining({
          level: 'warn',
          msg: 'the local Kafka broker is back after a restart',
        }),
      ]),
    );
  });

  it('gives up after its restart attempts when the broker cannot come back, and says so once', async () => {
    const { logger, lines } = memoryLogger();
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'cinemaabyss-kafka-doomed-'));
    const gaveUp: Error[] = [];
    try {
      kafka = await startLocalKafka({
        port: 0,
        dataDir,
        logger,
        restart: { maxAttempts: 2, minDelayMs: 100 },
        onGiveUp: (error) => gaveUp.push(error),
      });
      const killed = kafka.pid() as number;
      // A stored node id that is not the configured one makes every start refuse. Deleting
      // files under a live broker instead races with its writes (rmdir ENOTEMPTY).
      const metaFile = path.join(dataDir, 'kafka-data', 'meta.properties');
      const meta = await readFile(metaFile, 'utf8');
      expect(meta).toMatch(/^node\.id=1$/m);
      await writeFile(metaFile, meta.replace(/^node\.id=1$/m, 'node.id=2'));
      process.kill(killed, 'SIGKILL');

      expect(await eventually(() => gaveUp.length > 0, 150_000)).toBe(true);
      await sleep(500);
      expect(gaveUp).toHaveLength(1);
      expect(await isPortOpen(portOf(kafka))).toBe(false);
      const errors = lines().filter((line) => line.level === 'error');
      expect(errors.map((line) => line.msg)).toEqual([
        'the local Kafka broker exited unexpectedly; restarting it',
        'could not restart the local Kafka broker',
        'could not restart the local Kafka broker',
        'the local Kafka broker is down and could not be restarted',
      ]);
    } finally {
      await kafka?.stop();
      kafka = undefined;
      await rm(dataDir, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
    }
  });

  it('fails with the broker log when the JVM exits during start-up (port taken)', async () => {
    // Accepts connections but never answers, like a wrong service on the port would.
    const held = new Set<net.Socket>();
    const squatter = net.createServer((socket) => held.add(socket));
    await new Promise<void>((resolve) => squatter.listen(0, '127.0.0.1', resolve));
    const { port } = squatter.address() as net.AddressInfo;
    try {
      const error: unknown = await startLocalKafka({ port, controllerPort: 0 }).then(
        (started) => {
          kafka = started;
        },
        (rejection: unknown) => rejection,
      );

      expect(error).toBeInstanceOf(KafkaLauncherError);
      expect((error as Error).message).toContain('exited during start-up');
      expect((error as Error).message).toMatch(/Address already in use/);
    } finally {
      held.forEach((socket) => socket.destroy());
      await new Promise((resolve) => squatter.close(resolve));
    }
  });

  it('does not let the broker or its temp dir outlive a starter process that is SIGKILLed', async () => {
    const repoRoot = path.resolve(__dirname, '../../../..');
    const starter = spawn(
      process.execPath,
      ['--import', 'tsx', path.join(__dirname, 'orphanBroker.fixture.ts')],
      { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let broker: { pid: number; dataDir: string } | undefined;
    try {
      const brokers = await new Promise<string[]>((resolve, reject) => {
        let out = '';
        let err = '';
        starter.stdout.on('data', (chunk: Buffer) => {
          out += chunk.toString();
          if (out.includes('\n')) resolve(JSON.parse(out) as string[]);
        });
        starter.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
        starter.once('exit', (code) => reject(new Error(`starter exited ${code}: ${err}`)));
      });
      broker = findBrokerProcess(portFromBrokers(brokers));
      expect(broker).toBeDefined();

      starter.kill('SIGKILL');

      expect(await eventually(() => !isAlive(broker?.pid ?? -1))).toBe(true);
      expect(await eventually(() => !existsSync(broker?.dataDir ?? ''))).toBe(true);
    } finally {
      starter.kill('SIGKILL');
      if (broker && isAlive(broker.pid)) process.kill(broker.pid, 'SIGKILL');
    }
  });
});
