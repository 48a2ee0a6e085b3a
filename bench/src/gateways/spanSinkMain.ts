import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { serveAsChild } from '../processes/serveAsChild';

/**
 * Where the traced gateways of part 1c export their spans: Zipkin's intake path, answered 202
 * once the body is read, the spans discarded. A real Zipkin would put its JVM on the same two
 * cores as the gateways it measures; the gateway's cost (building, batching, serialising and
 * sending spans) is the same either way.
 */
serveAsChild(async () => {
  const server = http.createServer((request, response) => {
    request.resume();
    request.on('end', () => response.writeHead(202).end());
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/api/v2/spans`,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
});
