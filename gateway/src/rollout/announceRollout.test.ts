import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createMemoryLogger } from '@cinemaabyss/shared/testing';
import { createRolloutAnnouncer } from './announceRollout';
import type { Rollout } from './rolloutStore';

const rollout: Rollout = {
  id: 7,
  migration: 'movies',
  state: 'rolled_back',
  steps: [5, 25, 100],
  step: 1,
  extensions: 0,
  settings: {
    stepSeconds: 60,
    minRequests: 200,
    maxErrorRate: 0.01,
    maxLatencyRatio: 1.5,
    maxMismatchRate: 0.001,
    maxExtensions: 3,
    rollbackTo: 0,
  },
  stepStartedAt: '2026-12-07T00:00:00.000Z',
  startedAt: '2026-12-07T00:00:00.000Z',
  startedBy: 'ops',
  reason: 'rolled back at step 2 of 3 (25 %): error rate',
  analyses: [],
};

/** A webhook receiver answering `status`, keeping what it got. */
async function receiver(status: number) {
  const received: unknown[] = [];
  let resolveFirst: () => void = () => undefined;
  const first = new Promise<void>((resolve) => (resolveFirst = resolve));
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push({
        contentType: request.headers['content-type'],
        body: JSON.parse(Buffer.concat(chunks).toString()) as unknown,
      });
      response.writeHead(status).end();
      resolveFirst();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    received,
    first,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Until the logger has written a line with `msg`. */
async function logged(lines: { msg?: string }[], msg: string) {
  for (let i = 0; i < 100 && !lines.some((line) => line.msg === msg); i += 1) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return lines.find((line) => line.msg === msg);
}

describe('announcing a rollout’s state changes', () => {
  it('logs each and POSTs it to the webhook as JSON', async () => {
    const hook = await receiver(204);
    const { logger, lines } = createMemoryLogger({ level: 'info' });
    createRolloutAnnouncer({ logger, webhookUrl: hook.url })(rollout, 'rolled back');
    await hook.first;
    await hook.close();
    expect(hook.received).toEqual([
      {
        contentType: 'application/json',
        body: {
          event: 'rolled back',
          migration: 'movies',
          state: 'rolled_back',
          step: 2,
          percent: 25,
          steps: [5, 25, 100],
          reason: 'rolled back at step 2 of 3 (25 %): error rate',
          at: expect.any(String),
        },
      },
    ]);
    expect(lines).toContainEqual(
      expect.objectContaining({ msg: 'rollout of movies: rolled back', state: 'rolled_back' }),
    );
  });

  it('logs a webhook that refuses or cannot be reached, and goes on', async () => {
    const hook = await receiver(500);
    const { logger, lines } = createMemoryLogger({ level: 'warn' });
    const announce = createRolloutAnnouncer({ logger, webhookUrl: hook.url });
    expect(() => announce(rollout, 'promoted')).not.toThrow();
    expect(await logged(lines, 'the rollout webhook refused an event')).toMatchObject({
      status: 500,
    });
    await hook.close();

    createRolloutAnnouncer({ logger, webhookUrl: 'http://127.0.0.1:9/hook' })(rollout, 'paused');
    expect(await logged(lines, 'the rollout webhook failed')).toMatchObject({ event: 'paused' });
  });
});
