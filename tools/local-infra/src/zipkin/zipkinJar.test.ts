import { existsSync } from 'node:fs';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createSilentLogger } from '@cinemaabyss/shared/logging';
import { COMPLETE_STAMP } from '../jvm/cachedDownload';
import { ZipkinLauncherError } from './errors';
import { fetchZipkinJar } from './zipkinJar';

let workDir: string;
let mvn: string;
let callsLog: string;

/** Stands in for Maven: records its arguments, then writes the jar or fails like Maven. */
async function writeFakeMaven(behaviour: 'succeed' | 'fail'): Promise<void> {
  const body =
    behaviour === 'succeed'
      ? `for arg in "$@"; do case "$arg" in -DoutputDirectory=*) out="\${arg#-DoutputDirectory=}";; esac; done
echo jar > "$out/zipkin-server-3.5.1-exec.jar"`
      : `echo "[ERROR] Could not find artifact io.zipkin:zipkin-server:jar:exec:0.0.0"
exit 1`;
  await writeFile(mvn, `#!/bin/sh\necho "$*" >> '${callsLog}'\n${body}\n`);
  await chmod(mvn, 0o755);
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
  mvn = path.join(workDir, 'mvn');
  callsLog = path.join(workDir, 'calls.log');
});
afterEach(() => rm(workDir, { recursive: true, force: true }));

describe('fetchZipkinJar', () => {
  it('copies the exec jar of the version from Maven Central once, beside the Kafka jars', async () => {
    await writeFakeMaven('succeed');

    const jar = await fetch();
    const again = await fetch();

    expect(jar).toBe(path.join(workDir, 'cache', 'zipkin-3.5.1', 'zipkin-server-3.5.1-exec.jar'));
    expect(again).toBe(jar);
    expect(existsSync(jar)).toBe(true);
    expect(existsSync(path.join(path.dirname(jar), COMPLETE_STAMP))).toBe(true);
    const calls = (await readFile(callsLog, 'utf8')).trim().split('\n');
    expect(calls).toHaveLength(1);
    expect(calls[0]).toContain('dependency:copy -Dartifact=io.zipkin:zipkin-server:3.5.1:jar:exec');
  });

  it("reports Maven's own error and caches nothing when the download fails", async () => {
    await writeFakeMaven('fail');

    const error: unknown = await fetch('0.0.0').catch((rejection: unknown) => rejection);

    expect(error).toBeInstanceOf(ZipkinLauncherError);
    expect((error as Error).message).toContain('io.zipkin:zipkin-server:0.0.0:jar:exec');
    expect((error as Error).message).toContain('[ERROR] Could not find artifact');
    expect(existsSync(path.join(workDir, 'cache', 'zipkin-0.0.0'))).toBe(false);
  });
});
