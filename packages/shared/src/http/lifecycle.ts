import type { AddressInfo } from 'node:net';
import type { FastifyInstance, FastifyRequest } from 'fastify';

/**
 * A health endpoint: 200 `{"status": true}` while check() says the service can do its work,
 * else 503 `{"status": false, "error": failure}` so orchestrators stop routing to it.
 */
export function registerHealthRoute(
  app: FastifyInstance,
  path: string,
  check: (request: FastifyRequest) => Promise<boolean>,
  failure: string,
): void {
  app.get(path, async (request, reply) => {
    const status = await check(request);
    if (!status) reply.code(503);
    return status ? { status } : { status, error: failure };
  });
}

/** Listens on host:port (0 = any free port) and resolves the base URL, e.g. http://127.0.0.1:8080. */
export async function listenOn(app: FastifyInstance, port: number, host: string): Promise<string> {
  await app.listen({ port, host });
  return `http://${host}:${(app.server.address() as AddressInfo).port}`;
}
