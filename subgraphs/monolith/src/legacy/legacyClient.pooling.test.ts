import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Socket } from 'node:net';
import { createSilentLogger } from '@cinemaabyss/shared/logging';
import { createLegacyClient } from './legacyClient';

// No mock dispatcher in this file: it checks the real transport, a pooled undici Agent over loopback.
describe('legacy REST client connection pool', () => {
  let server: http.Server;
  let baseUrl: string;
  const sockets = new Set<Socket>();
  let inFlight = 0;
  let maxInFlight = 0;

  beforeAll(async () => {
    server = http.createServer((request, response) => {
      sockets.add(request.socket);
      inFlight += 1;
      maxInFlight = Math.max(maxInFlight, inFlight);
      // A short pause makes concurrent calls overlap if the pool allowed it.
      setTimeout(() => {
        inFlight -= 1;
        response.setHeader('content-type', 'application/json');
        response.end('[]');
      }, 20);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  beforeEach(() => {
    sockets.clear();
    maxInFlight = 0;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('reuses keep-alive connections for sequential calls', async () => {
    const client = createLegacyClient({ baseUrl, logger: createSilentLogger() });
    try {
      const api = client.forRequest();
      for (let i = 0; i < 20; i += 1) await api.listUsers();
      // fetch resolves the body a moment before undici frees the socket, so the second call
      // may open one more connection; after that the pool only reuses what it has.
      expect(sockets.size).toBeLessThanOrEqual(2);
    } finally {
      await client.close();
    }
  });

  it('never opens more connections than configured, queueing the rest', async () => {
    const client = createLegacyClient({ baseUrl, logger: createSilentLogger(), connections: 2 });
    try {
      const api = client.forRequest();
      await Promise.all(Array.from({ length: 8 }, () => api.listUsers()));
      expect(sockets.size).toBe(2);
      expect(maxInFlight).toBe(2);
    } finally {
      await client.close();
    }
  });
});
