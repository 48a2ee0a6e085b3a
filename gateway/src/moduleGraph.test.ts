import path from 'node:path';
import { loadInFreshProcess } from '@cinemaabyss/shared/testing';

// The gateway reads its migration dial from PostgreSQL and, for its subscribers, the event
// topics on Kafka.
jest.setTimeout(90_000);

describe("the gateway's module graph", () => {
  it('holds pg for the migration dial and kafkajs for the subscriptions feed', async () => {
    const { packages } = await loadInFreshProcess(path.join(__dirname, 'server.ts'));

    expect(packages).toEqual(expect.arrayContaining(['fastify', '@apollo/gateway', 'pg']));
    expect(packages).toContain('kafkajs');
  });
});
