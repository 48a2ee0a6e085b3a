import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ConfigError } from '@cinemaabyss/shared/config';
import { ensureKafka, KafkaLauncherError } from './localKafka';
import { parseJavaMajorVersion } from '../jvm/toolchain';
import { ALL_TOPICS } from '@cinemaabyss/shared/kafka';

/** A PATH holding only the fake tools a test writes, so nothing real is found or run. */
let binDir: string;

beforeEach(async () => {
  binDir = await mkdtemp(path.join(os.tmpdir(), 'cinemaabyss-kafka-bin-'));
});

afterEach(async () => {
  await rm(binDir, { recursive: true, force: true });
});

async function fakeTool(name: string, script: string): Promise<void> {
  const file = path.join(binDir, name);
  await writeFile(file, `#!/bin/sh\n${script}\n`);
  await chmod(file, 0o755);
}

const fakeJava = (version: string): Promise<void> =>
  fakeTool('java', `echo 'openjdk version "${version}" 2024-01-16' >&2`);

async function launchError(env: NodeJS.ProcessEnv): Promise<KafkaLauncherError> {
  const error: unknown = await ensureKafka({ env, port: 0 }).then(
    () => undefined,
    (rejection: unknown) => rejection,
  );
  expect(error).toBeInstanceOf(KafkaLauncherError);
  return error as KafkaLauncherError;
}

describe('ensureKafka without KAFKA_BROKERS on a machine that lacks the tools', () => {
  it('names both java and mvn in one error that says what to install or set', async () => {
    const error = await launchError({ PATH: binDir });

    expect(error.message).toContain('`java` was not found');
    expect(error.message).toContain('`mvn` (Maven) was not found');
    expect(error.message).toMatch(/Install Java 17\+ and Maven/);
    expect(error.message).toContain('set KAFKA_BROKERS');
  });

  it('names only mvn when java is there', async () => {
    await fakeJava('17.0.15');

    const error = await launchError({ PATH: binDir });

    expect(error.message).toContain('`mvn` (Maven) was not found');
    expect(error.message).not.toContain('`java` was not found');
  });

  it('rejects a Java older than 17, which Kafka 4 brokers cannot run on', async () => {
    await fakeJava('11.0.22');
    await fakeTool('mvn', 'exit 0');

    const error = await launchError({ PATH: binDir });

    expect(error.message).toContain(`${path.join(binDir, 'java')} is Java 11`);
    expect(error.message).not.toContain('not found');
  });

  it('prefers JAVA_HOME/bin/java over PATH', async () => {
    const javaHome = path.join(binDir, 'jdk');
    await fakeTool('mvn', 'exit 0');
    await mkdir(path.join(javaHome, 'bin'), { recursive: true });
    const homeJava = path.join(javaHome, 'bin', 'java');
    await writeFile(homeJava, `#!/bin/sh\necho 'java version "1.8.0_392"' >&2\n`);
    await chmod(homeJava, 0o755);

    const error = await launchError({ PATH: binDir, JAVA_HOME: javaHome });

    expect(error.message).toContain(`${homeJava} is Java 8`);
  });
});

describe('ensureKafka with KAFKA_BROKERS', () => {
  it('uses the given brokers without looking for java or mvn', async () => {
    const kafka = await ensureKafka({
      env: { KAFKA_BROKERS: ' kafka-1:9092, kafka-2:9093 ', PATH: binDir },
      topics: [],
    });

    expect(kafka.brokers).toEqual(['kafka-1:9092', 'kafka-2:9093']);
    await expect(kafka.stop()).resolves.toBeUndefined();
  });

  it('fails fast on an entry without a port, naming the variable as the services do', async () => {
    const failure = ensureKafka({
      env: { KAFKA_BROKERS: 'kafka-1:9092,kafka-2' },
      topics: ALL_TOPICS,
    });
    await expect(failure).rejects.toBeInstanceOf(ConfigError);
    await expect(failure).rejects.toThrow(/^KAFKA_BROKERS .*bad entries: "kafka-2"$/);
  });
});

describe('parseJavaMajorVersion', () => {
  it.each([
    ['openjdk version "17.0.15" 2025-04-15', 17],
    ['java version "1.8.0_392"', 8],
    ['openjdk version "21" 2023-09-19', 21],
    ['no version here', undefined],
  ])('reads %p as %p', (output, expected) => {
    expect(parseJavaMajorVersion(output)).toBe(expected);
  });
});
