import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Logger } from '@cinemaabyss/shared/logging';
import { KafkaLauncherError } from './errors';

const execFileAsync = promisify(execFile);

/**
 * The broker version we run. Proven with kafkajs 2.2.4 by localKafka.int.test.ts; keep it in
 * step with the `kafka.version` default in tools/local-infra/kafka/pom.xml.
 */
export const DEFAULT_KAFKA_VERSION = '4.4.0';

/** Written last, so a libs dir without it is never trusted. */
export const JARS_COMPLETE_STAMP = '.cinemaabyss-complete';

/** The pom that lists the broker's jars; it ships with this package, outside src/. */
export const KAFKA_POM = path.resolve(__dirname, '../../kafka/pom.xml');

/** Jars are large and shared by every checkout and worktree, so they live outside the repo. */
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

/**
 * Returns `<cacheDir>/kafka-<version>/libs`, running Maven only when that dir lacks its stamp.
 * Maven writes into a private sibling dir that is renamed into place, so two first runs at
 * once (parallel jest workers, two services) never see or produce a half-filled libs dir.
 */
export async function fetchKafkaJars(options: FetchKafkaJarsOptions): Promise<string> {
  const { cacheDir, kafkaVersion, mvn, env, logger } = options;
  const versionDir = path.join(cacheDir, `kafka-${kafkaVersion}`);
  const libsDir = path.join(versionDir, 'libs');
  if (existsSync(path.join(libsDir, JARS_COMPLETE_STAMP))) return libsDir;

  await mkdir(versionDir, { recursive: true });
  const partialDir = `${libsDir}.partial-${process.pid}-${randomBytes(4).toString('hex')}`;
  logger.info(
    { kafkaVersion, libsDir },
    'downloading Apache Kafka jars with Maven (first run only)',
  );
  const startedAt = Date.now();
  try {
    await runMaven(mvn, env, kafkaVersion, partialDir);
    await writeFile(
      path.join(partialDir, JARS_COMPLETE_STAMP),
      `kafka_2.13 ${kafkaVersion} fetched ${new Date().toISOString()}\n`,
    );
    await moveIntoPlace(partialDir, libsDir);
  } finally {
    await rm(partialDir, { recursive: true, force: true });
  }
  logger.info({ kafkaVersion, ms: Date.now() - startedAt }, 'Apache Kafka jars ready');
  return libsDir;
}

async function runMaven(
  mvn: string,
  env: NodeJS.ProcessEnv,
  kafkaVersion: string,
  outputDir: string,
): Promise<void> {
  const args = [
    '-B',
    '-q',
    '-Dstyle.color=never',
    '-f',
    KAFKA_POM,
    'dependency:copy-dependencies',
    '-DincludeScope=runtime',
    `-DoutputDirectory=${outputDir}`,
    `-Dkafka.version=${kafkaVersion}`,
  ];
  try {
    await execFileAsync(mvn, args, { env, maxBuffer: 16 * 1024 * 1024, timeout: 10 * 60_000 });
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    const tail = `${stdout}\n${stderr}`.trim().split('\n').slice(-20).join('\n');
    throw new KafkaLauncherError(
      `Maven could not fetch org.apache.kafka:kafka_2.13:${kafkaVersion} ` +
        `(is the version right and Maven Central reachable?):\n${tail}`,
      { cause: error },
    );
  }
}

/** rename(2) is atomic; losing the race to another process that finished first is fine. */
async function moveIntoPlace(partialDir: string, libsDir: string): Promise<void> {
  for (let attempt = 0; ; attempt += 1) {
    try {
      await rename(partialDir, libsDir);
      return;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ENOTEMPTY' && code !== 'EEXIST') throw error;
      if (existsSync(path.join(libsDir, JARS_COMPLETE_STAMP))) return;
      // A libs dir without a stamp was left by hand or by an older layout: replace it once.
      if (attempt > 0) throw error;
      await rm(libsDir, { recursive: true, force: true });
    }
  }
}
