import { createServer } from 'node:http';
import type { IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A pass-through in front of a real service that remembers the headers and body of every
 * request it forwards: what a backend or subgraph was told, checked from outside the gateway.
 */
export async function startRecordingProxy(targetOrigin: string) {
  const received: { method: string; url: string; headers: IncomingHttpHeaders; body: string }[] =
    [];
  const server = createServer((request, response) => {
    void (async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of request) chunks.push(chunk as Buffer);
      received.push({
        method: request.method ?? '',
        url: request.url ?? '',
        headers: request.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      });
      const headers = new Headers();
      for (const name of ['content-type', 'accept', 'x-request-id']) {
        const value = request.headers[name];
        if (typeof value === 'string') headers.set(name, value);
      }
      try {
        const real = await fetch(`${targetOrigin}${request.url ?? '/'}`, {
          method: request.method ?? 'GET',
          headers,
          ...(chunks.length > 0 && { body: Buffer.concat(chunks) }),
          signal: AbortSignal.timeout(5_000),
        });
        response
          .writeHead(real.status, { 'content-type': real.headers.get('content-type') ?? '' })
          .end(Buffer.from(await real.arrayBuffer()));
      } catch {
        response.writeHead(502).end();
      }
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received,
    /** The requests received since `mark` (an index into `received`). */
    since: (mark: number) => received.slice(mark),
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export type RecordingProxy = Awaited<ReturnType<typeof startRecordingProxy>>;
