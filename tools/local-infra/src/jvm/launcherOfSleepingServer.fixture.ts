/**
 * Run by launcherKilled.int.test.ts as the leader of a process group of its own, standing in
 * for `npm start`: it starts a server through spawnJvm (`sleep` stands in for java), prints its
 * pid, and then ignores SIGTERM (a slow shutdown) until its whole group is SIGKILLed.
 */
import path from 'node:path';
import { spawnJvm } from './jvmProcess';

const dataDir = process.argv[2];
if (!dataDir) throw new Error('usage: launcherOfSleepingServer.fixture.ts <dataDir>');
const server = spawnJvm({
  java: '/bin/sleep',
  args: ['120'],
  env: process.env,
  consoleLog: path.join(dataDir, 'console.log'),
  watchdogRemoves: dataDir,
});
process.on('SIGTERM', () => {});
process.stdout.write(`${server.pid}\n`);
setInterval(() => {}, 60_000);
