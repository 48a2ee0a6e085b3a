import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createSilentLogger } from '@cinemaabyss/shared/logging';
import { writeFakeMaven } from '../jvm/fakeMaven';
import { KafkaLauncherError } from './errors';
import {
  DEFAULT_KAFKA_VERSION,
  defaultCacheDir,
  fetchKafkaJars,
  JARS_COMPLETE_STAMP,
  KAFKA_POM,
} from './kafkaJars';

let workDir: string;
let cacheDir: string;
let mvn: string;
let mavenCalls: () => Promise<string[]>;

/** A stand-in for Maven that drops a jar, after a pause that lets concurrent callers overlap, or fails like Maven does. */
async function useFakeMaven(behaviour: 'succeed' | 'fail'): Promise<void> {
  const fake = await writeFakeMaven(
    workDir,
    behaviour === 'succeed'
      ? { succeed: { jar: 'kafka_2.13-fake.jar', delaySeconds: 0.3 } }
      : {
          fail: {
            error:
              '[ERROR] Failed to execute goal: Could not resolve dependencies for kafka_2.13:0.0.0-nope',
          },
        },
  );
  mvn = fake.mvn;
  mavenCalls = fake.calls;
}

const fetch = (kafkaVersion = '4.4.0'): Promise<string> =>
  fetchKafkaJars({ cacheDir, kafkaVersion, mvn, env: process.env, logger: createSilentLogger() });

beforeEach(async () => {
  workDir = await mkdtemp(path.join(os.tmpdir(), 'cinemaabyss-kafka-jars-'));
  cacheDir = path.join(workDir, 'cache');
});

afterEach(async () => {
  await rm(workDir, { recursive: true, force: true });
});

describe('fetchKafkaJars', () => {
  it('runs Maven on the shipped pom with the version, then stamps the libs dir', async () => {
    await useFakeMaven('succeed');

    const libsDir = await fetch('4.4.0');

    expect(libsDir).toBe(path.join(cacheDir, 'kafka-4.4.0', 'libs'));
    expect(existsSync(path.join(libsDir, 'kafka_2.13-fake.jar'))).toBe(true);
    expect(existsSync(path.join(libsDir, JARS_COMPLETE_STAMP))).toBe(true);
    const [call] = await mavenCalls();
    expect(call).toContain(`-f ${KAFKA_POM} dependency:copy-dependencies -DincludeScope=runtime`);
    expect(call).toContain('-Dkafka.version=4.4.0');
    expect(existsSync(KAFKA_POM)).toBe(true);
  });

  it('does not run Maven at all when the stamp is there', async () => {
    const libsDir = path.join(cacheDir, 'kafka-4.4.0', 'libs');
    await mkdir(libsDir, { recursive: true });
    await writeFile(path.join(libsDir, JARS_COMPLETE_STAMP), '');
    await useFakeMaven('fail');

    await expect(fetch('4.4.0')).resolves.toBe(libsDir);
    expect(await mavenCalls()).toEqual([]);
  });

  it('lets concurrent first runs all succeed and leaves no partial dirs behind', async () => {
    await useFakeMaven('succeed');

    const results = await Promise.all([fetch(), fetch(), fetch()]);

    // All three really raced: each ran Maven into its own dir.
    expect(await mavenCalls()).toHaveLength(3);
    expect(new Set(results).size).toBe(1);
    expect(await readdir(path.join(cacheDir, 'kafka-4.4.0'))).toEqual(['libs']);
    expect((await readdir(results[0] ?? '')).sort()).toEqual(
      [JARS_COMPLETE_STAMP, 'kafka_2.13-fake.jar'].sort(),
    );
  });

  it('replaces a libs dir that was left without a stamp', async () => {
    const libsDir = path.join(cacheDir, 'kafka-4.4.0', 'libs');
    await mkdir(libsDir, { recursive: true });
    await writeFile(path.join(libsDir, 'half-downloaded.jar'), '');
    await useFakeMaven('succeed');

    await fetch();

    expect(existsSync(path.join(libsDir, 'half-downloaded.jar'))).toBe(false);
    expect(existsSync(path.join(libsDir, JARS_COMPLETE_STAMP))).toBe(true);
  });

  it("reports Maven's own error and writes no stamp when Maven fails", async () => {
    await useFakeMaven('fail');

    const error: unknown = await fetch('0.0.0-nope').catch((rejection: unknown) => rejection);

    expect(error).toBeInstanceOf(KafkaLauncherError);
    expect((error as Error).message).toContain('org.apache.kafka:kafka_2.13:0.0.0-nope');
    expect((error as Error).message).toContain('[ERROR] Failed to execute goal');
    expect(await readdir(path.join(cacheDir, 'kafka-0.0.0-nope'))).toEqual([]);
  });
});

describe('defaultCacheDir', () => {
  it('uses CINEMAABYSS_CACHE_DIR when set, else ~/.cache/cinemaabyss', () => {
    expect(defaultCacheDir({ CINEMAABYSS_CACHE_DIR: '/srv/cache' })).toBe('/srv/cache');
    expect(defaultCacheDir({})).toBe(path.join(os.homedir(), '.cache', 'cinemaabyss'));
  });
});

describe('the pinned Kafka version', () => {
  it('is the default in pom.xml too, so a bare `mvn` run fetches the same broker', async () => {
    const pom = await readFile(KAFKA_POM, 'utf8');
    expect(pom).toContain(`<kafka.version>${DEFAULT_KAFKA_VERSION}</kafka.version>`);
  });
});
