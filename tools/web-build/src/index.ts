import path from 'node:path';
import {
  PLAYGROUND_ASSETS_DIR,
  PLAYGROUND_ENTRY,
  PLAYGROUND_MANIFEST,
} from '@cinemaabyss/gateway/playground-assets';
import {
  STATUS_PAGE_ASSETS_DIR,
  STATUS_PAGE_ENTRY,
  STATUS_PAGE_MANIFEST,
} from '@cinemaabyss/gateway/status-page-assets';
import { ensureWebAssets } from './buildWebAssets';
import type { WebAssetsTarget } from './buildWebAssets';

export { buildWebAssets, ensureWebAssets, gzippedBytes, inputHashOf } from './buildWebAssets';
export type { WebAssetsTarget } from './buildWebAssets';

/** The gateway's GraphQL playground (GraphiQL). */
export const PLAYGROUND_TARGET: WebAssetsTarget = {
  entry: PLAYGROUND_ENTRY,
  outDir: PLAYGROUND_ASSETS_DIR,
  manifestPath: PLAYGROUND_MANIFEST,
  lockfile: path.resolve(__dirname, '../../../package-lock.json'),
};

/** The gateway's migration status page at /admin (React and uPlot). */
export const STATUS_PAGE_TARGET: WebAssetsTarget = {
  entry: STATUS_PAGE_ENTRY,
  outDir: STATUS_PAGE_ASSETS_DIR,
  manifestPath: STATUS_PAGE_MANIFEST,
  lockfile: PLAYGROUND_TARGET.lockfile,
};

/** Every page the gateway serves, by name. */
export const WEB_TARGETS = { playground: PLAYGROUND_TARGET, 'status page': STATUS_PAGE_TARGET };

/** Builds every page that is missing or stale; says which were built. */
export async function ensureAllWebAssets(): Promise<string[]> {
  const built: string[] = [];
  for (const [name, target] of Object.entries(WEB_TARGETS)) {
    if ((await ensureWebAssets(target)).built) built.push(name);
  }
  return built;
}
