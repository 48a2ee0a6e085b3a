import path from 'node:path';
import { loadInFreshProcess } from '@cinemaabyss/shared/testing';

// The gateway reads its migration dial from PostgreSQL but reaches no broker: kafkajs has no
// place in its process.
jest.setTimeout(90_000);

describe("the gateway's module graph", () => {
  it('holds pg for the migration dial, and no kafkajs', async () => {
    const { packages } = await loadInFreshProcess(path.join(__dirname, 'server.ts'));

    expect(packages).toEqual(expect.arrayContaining(['fastify', '@apollo/gateway', 'pg']));
    expect(packages).not.toContain('kafkajs');
  });
});
