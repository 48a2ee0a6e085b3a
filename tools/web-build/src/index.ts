import path from 'node:path';
import {
  PLAYGROUND_ASSETS_DIR,
  PLAYGROUND_ENTRY,
  PLAYGROUND_MANIFEST,
} from '@cinemaabyss/gateway/playground-assets';
import type { WebAssetsTarget } from './buildWebAssets';

export { buildWebAssets, ensureWebAssets, inputHashOf } from './buildWebAssets';
export type { WebAssetsTarget } from './buildWebAssets';

/** The gateway's GraphQL playground (GraphiQL). */
export const PLAYGROUND_TARGET: WebAssetsTarget = {
  entry: PLAYGROUND_ENTRY,
  outDir: PLAYGROUND_ASSETS_DIR,
  manifestPath: PLAYGROUND_MANIFEST,
  lockfile: path.resolve(__dirname, '../../../package-lock.json'),
};
