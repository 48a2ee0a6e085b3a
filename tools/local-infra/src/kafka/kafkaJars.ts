import os from 'node:os';
import path from 'node:path';
import type { Logger } from '@cinemaabyss/shared/logging';
import { COMPLETE_STAMP, fillCacheDirOnce, isFilled } from '../jvm/cachedDownload';
import { runMaven } from '../jvm/maven';
import { KafkaLauncherError } from './errors';

/**
 * The broker version we run. Proven with kafkajs 2.2.4 by localKafka.int.test.ts; keep it in
 * step with the `kafka.version` default in tools/local-infra/kafka/pom.xml.
 */
export const DEFAULT_KAFKA_VERSION = '4.4.0';

/** Written last, so a libs dir without it is never trusted. */
export const JARS_COMPLETE_STAMP = COMPLETE_STAMP;

/** The pom that lists the broker's jars; it ships with this package, outside src/. */
export const KAFKA_POM = path.resolve(__dirname, '../../kafka/pom.xml');

/** Jars are large and shared by every checkout and worktree, so they live outside the repo (Zipkin's too). */
export function defaultCacheDir(env: NodeJS.ProcessEnv): string {
  return env.CINEMAABYSS_CACHE_DIR || path.join(os.homedir(), '.cache', 'cinemaabyss');
}

export interface FetchKafkaJarsOptions {
  cacheDir: string;
  kafkaVersion: string;
  /** Absolute path of `mvn`. */
  mvn: string;
  env: NodeJS.ProcessEnv;
  logger: Logger;
}

/** Returns `<cacheDir>/kafka-<version>/libs`, running Maven only the first time. */
export async function fetchKafkaJars(options: FetchKafkaJarsOptions): Promise<string> {
  const { cacheDir, kafkaVersion, mvn, env, logger } = options;
  const libsDir = path.join(cacheDir, `kafka-${kafkaVersion}`, 'libs');
  if (isFilled(libsDir)) return libsDir;
  logger.info(
    { kafkaVersion, libsDir },
    'downloading Apache Kafka jars with Maven (first run only)',
  );
  const startedAt = Date.now();
  await fillCacheDirOnce({
    dir: libsDir,
    stamp: `kafka_2.13 ${kafkaVersion} fetched ${new Date().toISOString()}`,
    fill: (outputDir) => copyBrokerJars(mvn, env, kafkaVersion, outputDir),
  });
  logger.info({ kafkaVersion, ms: Date.now() - startedAt }, 'Apache Kafka jars ready');
  return libsDir;
}

async function copyBrokerJars(
  mvn: string,
  env: NodeJS.ProcessEnv,
  kafkaVersion: string,
  outputDir: string,
): Promise<void> {
  const args = [
    '-f',
    KAFKA_POM,
    'dependency:copy-dependencies',
    '-DincludeScope=runtime',
    `-DoutputDirectory=${outputDir}`,
    `-Dkafka.version=${kafkaVersion}`,
  ];
  try {
    await runMaven(mvn, args, env);
  } catch (error) {
    throw new KafkaLauncherError(
      `Maven could not fetch org.apache.kafka:kafka_2.13:${kafkaVersion} ` +
        `(is the version right and Maven Central reachable?):\n${(error as Error).message}`,
      { cause: error },
    );
  }
}
