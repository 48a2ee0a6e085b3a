import { createServer } from 'node:http';
import type { OutgoingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  backendAddress,
  createBackendClient,
  forwardedRequestHeaders,
} from '@cinemaabyss/gateway/backend-client';
import { loadConfig } from '@cinemaabyss/gateway/config';
import { serveAsChild } from '../processes/serveAsChild';
import { readGatewaySpec } from './gatewaySpec';

/**
 * A measuring instrument, not product code: the floor of any Node proxy hop. `node:http`'s
 * server hands each request (method, URL, end-to-end headers; the bench sends only
 * `GET /api/movies`, no body) to the gateway's own backend client (undici over keep-alive, at
 * the gateway's default timeout) and writes back status, content-type and body. No framework,
 * no routing, no metrics, no logging: what a second hop costs with nothing on top, on the same
 * cores, so part 2 can tell the shim's own cost from the hop's.
 */
serveAsChild(async () => {
  const spec = readGatewaySpec();
  const client = createBackendClient({ timeoutMs: loadConfig({}).backendTimeoutMs });
  const movies = backendAddress(spec.moviesServiceUrl);
  const server = createServer((req, res) => {
    client
      .forward('movies', movies, req.url ?? '/', {
        method: req.method ?? 'GET',
        headers: forwardedRequestHeaders(req.headers),
      })
      .then((response) => {
        const type = response.headers['content-type'];
        const headers: OutgoingHttpHeaders = { 'content-length': response.body.length };
        if (typeof type === 'string') headers['content-type'] = type;
        res.writeHead(response.status, headers);
        res.end(response.body);
      })
      .catch(() => {
        // A failed hop must count as a failure at the load generator, never as a fast answer.
        if (!res.headersSent) res.writeHead(502);
        res.end();
      });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    async stop() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
      await client.close();
    },
  };
});
