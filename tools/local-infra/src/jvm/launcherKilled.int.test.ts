import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { eventually, isAlive } from '../testing/processChecks';

const FIXTURE = path.join(__dirname, 'launcherOfSleepingServer.fixture.ts');

describe('a server started through spawnJvm', () => {
  let dataDir: string;
  let serverPid: number | undefined;
  beforeEach(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'cinemaabyss-launcher-'));
  });
  afterEach(async () => {
    if (serverPid !== undefined && isAlive(serverPid)) process.kill(serverPid, 'SIGKILL');
    await rm(dataDir, { recursive: true, force: true });
  });

  it('does not outlive its launcher when the launcher’s whole process group gets SIGTERM, then SIGKILL', async () => {
    // Its own group, as a terminal or a process manager gives `npm start`.
    const launcher = spawn(process.execPath, ['--import', 'tsx', FIXTURE, dataDir], {
      stdio: ['ignore', 'pipe', 'inherit'],
      detached: true,
    });
    const launcherGroup = launcher.pid ?? -1;
    serverPid = await new Promise<number>((resolve, reject) => {
      let out = '';
      launcher.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        if (out.includes('\n')) resolve(Number(out.trim()));
      });
      launcher.once('exit', (code) => reject(new Error(`the launcher exited ${code}`)));
    });
    expect(isAlive(serverPid)).toBe(true);

    // What a process manager does on stop: the polite signal to the group, then the kill.
    process.kill(-launcherGroup, 'SIGTERM');
    process.kill(-launcherGroup, 'SIGKILL');

    const pid = serverPid;
    expect(await eventually(() => !isAlive(pid))).toBe(true);
    expect(await eventually(() => !existsSync(dataDir))).toBe(true);
  });
});
