import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createSilentLogger } from '@cinemaabyss/shared/logging';
import { COMPLETE_STAMP } from '../jvm/cachedDownload';
import { writeFakeMaven } from '../jvm/fakeMaven';
import { ZipkinLauncherError } from './errors';
import { fetchZipkinJar } from './zipkinJar';

let workDir: string;
let mvn: string;
let mavenCalls: () => Promise<string[]>;

async function useFakeMaven(behaviour: 'succeed' | 'fail'): Promise<void> {
  const fake = await writeFakeMaven(
    workDir,
    behaviour === 'succeed'
      ? { succeed: { jar: 'zipkin-server-3.5.1-exec.jar' } }
      : {
          fail: { error: '[ERROR] Could not find artifact io.zipkin:zipkin-server:jar:exec:0.0.0' },
        },
  );
  mvn = fake.mvn;
  mavenCalls = fake.calls;
}

const fetch = (zipkinVersion = '3.5.1') =>
  fetchZipkinJar({
    cacheDir: path.join(workDir, 'cache'),
    zipkinVersion,
    mvn,
    env: process.env,
    logger: createSilentLogger(),
  });

beforeEach(async () => {
  workDir = await mkdtemp(path.join(os.tmpdir(), 'cinemaabyss-zipkin-jar-'));
});
afterEach(() => rm(workDir, { recursive: true, force: true }));

describe('fetchZipkinJar', () => {
  it('copies the exec jar of the version from Maven Central once, beside the Kafka jars', async () => {
    await useFakeMaven('succeed');

    const jar = await fetch();
    const again = await fetch();

    expect(jar).toBe(path.join(workDir, 'cache', 'zipkin-3.5.1', 'zipkin-server-3.5.1-exec.jar'));
    expect(again).toBe(jar);
    expect(existsSync(jar)).toBe(true);
    expect(existsSync(path.join(path.dirname(jar), COMPLETE_STAMP))).toBe(true);
    const calls = await mavenCalls();
    expect(calls).toHaveLength(1);
    expect(calls[0]).toContain('dependency:copy -Dartifact=io.zipkin:zipkin-server:3.5.1:jar:exec');
  });

  it("reports Maven's own error and caches nothing when the download fails", async () => {
    await useFakeMaven('fail');

    const error: unknown = await fetch('0.0.0').catch((rejection: unknown) => rejection);

    expect(error).toBeInstanceOf(ZipkinLauncherError);
    expect((error as Error).message).toContain('io.zipkin:zipkin-server:0.0.0:jar:exec');
    expect((error as Error).message).toContain('[ERROR] Could not find artifact');
    expect(existsSync(path.join(workDir, 'cache', 'zipkin-0.0.0'))).toBe(false);
  });
});
