import { setTimeout as sleep } from 'node:timers/promises';
import { createKafkaClient } from '@cinemaabyss/shared/kafka';
import type { logCreator } from 'kafkajs';
import type { BrokerProcess } from './brokerProcess';
import { KafkaLauncherError } from './errors';

/** Probes expect failures (connection refused while the broker boots): nothing to log. */
const silentLogCreator: logCreator = () => () => {};

export interface WaitForBrokerOptions {
  brokers: string[];
  process: BrokerProcess;
  timeoutMs: number;
  /** Pause between probes. @default 250 */
  intervalMs?: number;
}

/**
 * Polls until an admin client sees a registered broker in the cluster, which in KRaft
 * happens only after the node has elected itself controller and the broker has caught up
 * with the metadata log; a plain TCP connect succeeds earlier than that. Fails fast, with the
 * broker's log, when the JVM dies instead of coming up.
 */
export async function waitForBroker(options: WaitForBrokerOptions): Promise<void> {
  const { brokers, process: broker, timeoutMs, intervalMs = 250 } = options;
  const kafka = createKafkaClient({
    clientId: 'cinemaabyss-wait-for-broker',
    brokers,
    logCreator: silentLogCreator,
    connectionTimeout: 1_000,
    requestTimeout: 2_000,
    // We do the retrying here, where the deadline and the JVM's health are known.
    retry: { retries: 0 },
  });
  // Settles only if the JVM dies; raced against each probe so we stop waiting at once.
  const diedEarly = broker.exited.then(({ code, signal }) => {
    throw new KafkaLauncherError(
      `the Kafka broker exited during start-up (code ${code}, signal ${signal}):\n${broker.logTail()}`,
    );
  });
  diedEarly.catch(() => {});

  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    const admin = kafka.admin();
    const probe = (async () => {
      try {
        await admin.connect();
        return (await admin.describeCluster()).brokers.length > 0;
      } catch (error) {
        lastError = error;
        return false;
      } finally {
        await admin.disconnect().catch(() => {});
      }
    })();
    if (await Promise.race([probe, diedEarly])) return;
    await Promise.race([sleep(intervalMs), diedEarly]);
  }
  throw new KafkaLauncherError(
    `the Kafka broker on ${brokers.join(',')} was not ready after ${timeoutMs} ms ` +
      `(last error: ${String(lastError)}):\n${broker.logTail()}`,
  );
}
