import { setTimeout as sleep } from 'node:timers/promises';
import { logLevel } from 'kafkajs';
import { createKafkaClient } from './kafkaClient';
import type { Admin } from 'kafkajs';
import type { Logger } from '../logger';
import { createSilentLogger } from '../logger';
import { kafkajsLogCreator } from './kafkajsLogging';

/** The topics services exchange domain events on. */
export const TOPICS = {
  movie: 'movie-events',
  user: 'user-events',
  payment: 'payment-events',
} as const;

export const ALL_TOPICS: readonly string[] = Object.freeze(Object.values(TOPICS));

export interface EnsureTopicsOptions {
  /** Partitions for topics that do not exist yet; existing topics are left alone. @default 3 */
  partitions?: number;
  /** Receives kafkajs warnings and a line per created topic. @default silent */
  logger?: Logger;
}

/**
 * Creates the topics that are missing and waits until each has a leader, so a producer's
 * first send does not race topic creation. Safe to call again and from several processes;
 * with no topics it does not connect at all.
 */
export async function ensureTopics(
  brokers: string[],
  topics: readonly string[],
  options: EnsureTopicsOptions = {},
): Promise<void> {
  const { partitions = 3, logger = createSilentLogger() } = options;
  if (topics.length === 0) return;
  const kafka = createKafkaClient({
    clientId: 'cinemaabyss-ensure-topics',
    brokers,
    logLevel: logLevel.WARN,
    logCreator: kafkajsLogCreator(logger),
  });
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = [...new Set(topics)].filter((topic) => !existing.has(topic));
    if (missing.length === 0) return;
    // Only the missing ones: kafkajs skips waitForLeaders when any requested topic exists.
    const created = await admin.createTopics({
      // Replication factor left to the broker's default.replication.factor.
      topics: missing.map((topic) => ({ topic, numPartitions: partitions })),
      waitForLeaders: true,
    });
    if (created) {
      logger.info({ topics: missing, partitions }, 'created Kafka topics');
    } else {
      // Another process created them between listTopics and createTopics, so kafkajs did
      // not wait for their leaders: do that here.
      await waitForLeaders(admin, missing);
    }
  } finally {
    await admin.disconnect();
  }
}

async function waitForLeaders(admin: Admin, topics: string[], timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const metadata = await admin.fetchTopicMetadata({ topics }).catch(() => undefined);
    const ready = metadata?.topics.every(({ partitions }) =>
      partitions.every(({ leader }) => leader >= 0),
    );
    if (ready) return;
    if (Date.now() > deadline) throw new Error(`no leaders for ${topics.join(', ')} yet`);
    await sleep(100);
  }
}

/**
 * How many records the topics hold in all (the sum of their partitions' end offsets): what a
 * test compares before and after requests that must publish nothing.
 */
export async function countTopicRecords(
  brokers: string[],
  topics: readonly string[],
): Promise<number> {
  const admin = createKafkaClient({
    clientId: 'cinemaabyss-count-records',
    brokers,
    logLevel: logLevel.NOTHING,
  }).admin();
  await admin.connect();
  try {
    let total = 0;
    for (const topic of topics) {
      for (const { high } of await admin.fetchTopicOffsets(topic)) total += Number(high);
    }
    return total;
  } finally {
    await admin.disconnect();
  }
}
