import { spawn } from 'node:child_process';
import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { findFreePort, stopChild, waitForHealth } from '@cinemaabyss/local-infra';
import type { BenchChild } from '../processes/startChild';
import { nginxConfig } from './nginxConfig';
import type { NginxShimOptions } from './nginxConfig';

/** Clock ticks per second of /proc's CPU fields (USER_HZ): 100 on every Linux we run on. */
const USER_HZ = 100;

/** A process and its children (nginx's master and its worker). */
async function processTree(root: number): Promise<number[]> {
  const pids = [root];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '');
    // Fields after the command name (which may hold spaces), from its closing parenthesis.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(fields[1]) === root) pids.push(Number(entry));
  }
  return pids;
}

async function cpuMsOf(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // utime and stime are fields 14 and 15 of stat, 12 and 13 after the name.
  return ((Number(fields[11] ?? 0) + Number(fields[12] ?? 0)) * 1000) / USER_HZ;
}

async function statusKiB(pid: number, field: 'VmHWM' | 'VmRSS'): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
  return Number(new RegExp(`^${field}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? 0);
}

/**
 * Runs nginx in the foreground (`daemon off`) with a generated config in `prefixDir`, as a
 * child of the bench, and resolves once it answers on its port. Its CPU time and memory are
 * read from /proc for the master and its worker together, so it is metered like the Node
 * children.
 */
export async function startNginx(
  binary: string,
  options: Omit<NginxShimOptions, 'port'>,
): Promise<BenchChild> {
  const { prefixDir } = options;
  await mkdir(path.join(prefixDir, 'temp'), { recursive: true });
  const port = await findFreePort();
  const configFile = path.join(prefixDir, 'nginx.conf');
  await writeFile(configFile, nginxConfig({ ...options, port }));
  let stderr = '';
  const child = spawn(
    binary,
    [
      '-p',
      prefixDir,
      '-c',
      configFile,
      '-e',
      path.join(prefixDir, 'error.log'),
      '-g',
      'daemon off;',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4_096);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitForHealth(`${url}/nginx-health`, { timeoutMs: 10_000, gone: exited });
  } catch (err) {
    child.kill('SIGKILL');
    throw new Error(`nginx did not start: ${(err as Error).message} ${stderr.trim()}`);
  }
  const pid = child.pid as number;
  return {
    name: 'nginx',
    pid,
    url,
    info: { config: configFile },
    async stats() {
      const pids = await processTree(pid);
      const cpu = await Promise.all(pids.map(cpuMsOf));
      const peak = await Promise.all(pids.map((p) => statusKiB(p, 'VmHWM')));
      const rss = await Promise.all(pids.map((p) => statusKiB(p, 'VmRSS')));
      const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
      return { cpuMs: sum(cpu), maxRssKiB: sum(peak), rssKiB: sum(rss), heapUsedKiB: 0 };
    },
    async stop() {
      // SIGQUIT: a graceful shutdown, workers finish what they are serving.
      await stopChild(child, { graceMs: 10_000, signal: 'SIGQUIT' });
    },
  };
}
