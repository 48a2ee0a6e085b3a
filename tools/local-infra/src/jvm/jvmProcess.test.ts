import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { spawnJvm } from './jvmProcess';

/** The process group of a pid, from /proc/<pid>/stat (the field after the state). */
function processGroupOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const afterName = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(afterName[2]);
}

describe('spawnJvm', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'cinemaabyss-jvm-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('runs the server in a process group of its own, so a Ctrl-C to ours does not reach it first, and stops it', async () => {
    // Any long-running program stands in for java here.
    const server = spawnJvm({
      java: '/bin/sleep',
      args: ['30'],
      env: process.env,
      consoleLog: path.join(dir, 'console.log'),
    });

    expect(processGroupOf(server.pid)).toBe(server.pid);
    expect(processGroupOf(server.pid)).not.toBe(processGroupOf(process.pid));
    await server.stop(1_000);
    expect(server.hasExited()).toBe(true);
  });
});
