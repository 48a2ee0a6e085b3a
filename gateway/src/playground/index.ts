export { DEFAULT_EXAMPLE_QUERY, registerPlayground } from './registerPlayground';
export type { PlaygroundOptions } from './registerPlayground';
export {
  buildPlaygroundAssets,
  DEFAULT_PLAYGROUND_CACHE_DIR,
  loadPlaygroundAssets,
  readOrBuildPlaygroundAssets,
} from './loadPlaygroundAssets';
export type { LoadPlaygroundAssetsOptions, PlaygroundAssets } from './loadPlaygroundAssets';
export { playgroundCsp } from './playgroundPage';
export { prefersHtml } from './prefersHtml';
