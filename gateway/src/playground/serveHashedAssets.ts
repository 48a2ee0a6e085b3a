import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

/**
 * Serves a page's built files (content-hashed names, each beside its `.br` and `.gz`) under
 * `prefix`: cached for a year as immutable, the compressed copy sent to clients that accept it.
 * The one way the gateway's pages (playground, status page) serve their bundles.
 */
export async function serveHashedAssets(
  app: FastifyInstance,
  { root, prefix }: { root: string; prefix: string },
): Promise<void> {
  await app.register(fastifyStatic, {
    root: path.resolve(root),
    prefix: `${prefix}/`,
    preCompressed: true,
    immutable: true,
    maxAge: '365d',
    index: false,
    decorateReply: false,
    setHeaders: (res) => {
      res.setHeader('x-content-type-options', 'nosniff');
      // The same URL answers br, gzip or identity: caches must key on the request's encodings.
      res.setHeader('vary', 'accept-encoding');
    },
  });
}
