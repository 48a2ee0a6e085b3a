import type { FastifyInstance } from 'fastify';
import { registerPath } from '@cinemaabyss/shared/http';
import { readWebAssetsManifest } from '../playground/playgroundAssets';
import { serveHashedAssets } from '../playground/serveHashedAssets';
import { STATUS_PAGE_ASSETS_DIR, STATUS_PAGE_MANIFEST } from './statusPageAssets';
import { STATUS_PAGE_CSP, renderStatusPage } from './statusPageHtml';

export interface StatusPageOptions {
  /** Folder of the built files. @default STATUS_PAGE_ASSETS_DIR */
  assetsDir?: string;
  /** The build's manifest. @default STATUS_PAGE_MANIFEST */
  manifestPath?: string;
}

/** Where the page is, and where its hashed files are served from. */
export const STATUS_PAGE_PATH = '/admin';
const ASSETS_PREFIX = '/admin/assets';

/**
 * The migration status page at /admin: public files (the page and its content-hashed bundle)
 * outside the admin API's token check; every piece of data the page shows comes from the admin
 * API with the token the operator types. Register it only when the admin API is on. Rejects
 * when the page was never built, so the gateway fails at start-up.
 */
export async function registerStatusPage(
  app: FastifyInstance,
  {
    assetsDir = STATUS_PAGE_ASSETS_DIR,
    manifestPath = STATUS_PAGE_MANIFEST,
  }: StatusPageOptions = {},
): Promise<void> {
  const manifest = await readWebAssetsManifest(manifestPath);
  const page = renderStatusPage({
    api: `${STATUS_PAGE_PATH}/migrations`,
    scriptUrl: `${ASSETS_PREFIX}/${manifest.js}`,
    stylesheetUrl: `${ASSETS_PREFIX}/${manifest.css}`,
  });

  await app.register(async function statusPage(scope) {
    // Content-hashed names: cached for a year; everything else of the page is no-store.
    await serveHashedAssets(scope, { root: assetsDir, prefix: ASSETS_PREFIX });
    registerPath(scope, STATUS_PAGE_PATH, {
      GET: async (_request, reply) =>
        reply
          .header('content-type', 'text/html; charset=utf-8')
          .header('content-security-policy', STATUS_PAGE_CSP)
          .header('cache-control', 'no-store')
          .header('x-content-type-options', 'nosniff')
          .header('x-frame-options', 'DENY')
          .header('referrer-policy', 'no-referrer')
          .send(page),
    });
  });
}
