import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { createMemoryLogger } from '@cinemaabyss/shared/testing';
import { startLocalZipkin } from './localZipkin';
import type { LocalZipkin } from './localZipkin';

jest.setTimeout(180_000);

const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

async function until(check: () => Promise<boolean> | boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(200);
  }
}

/** One span in Zipkin's JSON v2 format, as the OpenTelemetry exporter posts it. */
function zipkinSpan(traceId: string) {
  return {
    traceId,
    id: randomBytes(8).toString('hex'),
    name: 'get /probe',
    kind: 'SERVER',
    timestamp: Date.now() * 1000,
    duration: 1500,
    localEndpoint: { serviceName: 'probe-service' },
  };
}

describe('startLocalZipkin', () => {
  let zipkin: LocalZipkin | undefined;
  afterEach(async () => {
    await zipkin?.stop();
    zipkin = undefined;
  });

  it('runs the official server on a free loopback port that stores spans and serves them by trace id; stop() ends the JVM', async () => {
    const { logger, lines } = createMemoryLogger();
    zipkin = await startLocalZipkin({ port: 0, logger });
    const traceId = randomBytes(16).toString('hex');

    const health = await fetch(`${zipkin.url}/health`);
    const posted = await fetch(zipkin.spansEndpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([zipkinSpan(traceId)]),
    });
    let trace: { localEndpoint: { serviceName: string } }[] = [];
    await until(async () => {
      const response = await fetch(`${zipkin?.url}/api/v2/trace/${traceId}`);
      if (response.ok) trace = (await response.json()) as typeof trace;
      return trace.length > 0;
    }, 10_000);

    expect(health.status).toBe(200);
    expect(posted.status).toBe(202);
    expect(trace.map((span) => span.localEndpoint.serviceName)).toEqual(['probe-service']);
    expect(lines.some((line) => line.msg === 'local Zipkin ready')).toBe(true);
    const pid = zipkin.pid();
    await zipkin.stop();
    expect(isAlive(pid)).toBe(false);
    await expect(fetch(`${zipkin.url}/health`)).rejects.toThrow();
  });

  it('starts a Zipkin that was killed again on its port, logging the exit at error level', async () => {
    const { logger, lines } = createMemoryLogger();
    zipkin = await startLocalZipkin({ port: 0, logger, restart: { minDelayMs: 100 } });
    const firstPid = zipkin.pid();

    process.kill(firstPid, 'SIGKILL');
    await until(() => zipkin?.restarts() === 1, 90_000);

    expect(zipkin.pid()).not.toBe(firstPid);
    expect((await fetch(`${zipkin.url}/health`)).status).toBe(200);
    expect(lines).toContainEqual(
      expect.objectContaining({
        level: 'error',
        msg: 'the local Zipkin server exited unexpectedly; restarting it',
      }),
    );
  });
});
