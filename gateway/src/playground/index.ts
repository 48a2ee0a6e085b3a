export {
  DEFAULT_EXAMPLE_HEADERS,
  DEFAULT_EXAMPLE_QUERY,
  registerPlayground,
} from './registerPlayground';
export type { PlaygroundOptions } from './registerPlayground';
export {
  PLAYGROUND_ASSETS_DIR,
  PLAYGROUND_ENTRY,
  PLAYGROUND_MANIFEST,
  PLAYGROUND_SOURCE_DIR,
  readWebAssetsManifest,
} from './playgroundAssets';
export type { WebAssetsManifest } from './playgroundAssets';
export { playgroundCsp } from './playgroundPage';
export { prefersHtml } from './prefersHtml';
