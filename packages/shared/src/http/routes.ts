import type { FastifyInstance, RouteHandlerMethod } from 'fastify';

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
const METHODS: readonly Method[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

/**
 * Registers handlers for one path and answers every other method with 405 and an
 * `Allow` header, which Fastify alone would report as 404.
 */
export function registerPath(
  app: FastifyInstance,
  url: string,
  handlers: Partial<Record<Method, RouteHandlerMethod>>,
): void {
  const allowed = METHODS.filter((m) => handlers[m]);
  for (const method of allowed) {
    app.route({ method, url, handler: handlers[method] as RouteHandlerMethod });
  }
  const allow = [...allowed, ...(allowed.includes('GET') ? ['HEAD'] : [])].join(', ');
  const others = METHODS.filter((m) => !handlers[m]);
  if (others.length === 0) return;
  app.route({
    method: others,
    url,
    handler: async (request, reply) =>
      reply
        .code(405)
        .header('allow', allow)
        .send({ error: `method ${request.method} is not allowed on ${url}; use ${allow}` }),
  });
}
