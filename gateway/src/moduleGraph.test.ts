import path from 'node:path';
import { loadInFreshProcess } from '@cinemaabyss/shared/testing';

// The gateway reaches no database and no broker: their clients have no place in its process.
jest.setTimeout(90_000);

describe("the gateway's module graph", () => {
  it('holds neither pg nor kafkajs', async () => {
    const { packages } = await loadInFreshProcess(path.join(__dirname, 'server.ts'));

    expect(packages).toEqual(expect.arrayContaining(['fastify', '@apollo/gateway']));
    expect(packages).not.toContain('pg');
    expect(packages).not.toContain('kafkajs');
  });
});
