import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** A loopback URL nothing listens on (a port the OS just released), to play a dead monolith. */
export async function closedLoopbackUrl(): Promise<string> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return `http://127.0.0.1:${port}`;
}
