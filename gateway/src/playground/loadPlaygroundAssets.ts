import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { build, version as esbuildVersion } from 'esbuild';
import type { BuildOptions } from 'esbuild';
import type { FastifyBaseLogger } from 'fastify';

/** The bundled browser side of the playground: GraphiQL, React and our entry, JS and CSS. */
export interface PlaygroundAssets {
  js: Buffer;
  css: Buffer;
}

const GATEWAY_DIR = path.resolve(__dirname, '..', '..');
/** Build inputs: `entry.tsx` and the stylesheet it imports. */
export const PLAYGROUND_SOURCE_DIR = path.join(GATEWAY_DIR, 'playground');
/** Where built bundles are kept between starts, one folder per cache key. */
export const DEFAULT_PLAYGROUND_CACHE_DIR = path.join(
  GATEWAY_DIR,
  'node_modules',
  '.cache',
  'cinemaabyss-playground',
);

const JS_FILE = 'graphiql.js';
const CSS_FILE = 'graphiql.css';

/** Everything about the build but paths; part of the cache key, so a change here rebuilds. */
const BUILD_SETTINGS = {
  bundle: true,
  minify: true,
  format: 'iife',
  platform: 'browser',
  target: ['es2022'],
  jsx: 'automatic',
  // MIT and similar licences ask that notices travel with the code.
  legalComments: 'eof',
  define: { 'process.env.NODE_ENV': '"production"' },
  // Only GraphiQL's websocket subscriptions load graphql-ws; the gateway serves none, and
  // the toolkit turns the failed import into a readable error should anyone try.
  external: ['graphql-ws'],
  logLevel: 'silent',
} satisfies BuildOptions;

export interface LoadPlaygroundAssetsOptions {
  logger: FastifyBaseLogger;
  /** @default DEFAULT_PLAYGROUND_CACHE_DIR (under the gateway's node_modules/.cache) */
  cacheDir?: string;
}

/** Bundles the playground with esbuild, in memory. Takes about a second. */
export async function buildPlaygroundAssets(): Promise<PlaygroundAssets> {
  const result = await build({
    ...BUILD_SETTINGS,
    entryPoints: { graphiql: path.join(PLAYGROUND_SOURCE_DIR, 'entry.tsx') },
    absWorkingDir: GATEWAY_DIR,
    outdir: path.join(GATEWAY_DIR, 'playground-out'),
    write: false,
  });
  const output = (name: string): Buffer => {
    const file = result.outputFiles.find((candidate) => path.basename(candidate.path) === name);
    if (!file) throw new Error(`esbuild produced no ${name} for the playground`);
    return Buffer.from(file.contents);
  };
  return { js: output(JS_FILE), css: output(CSS_FILE) };
}

function findUp(fileName: string, fromDir: string): string | undefined {
  for (let dir = fromDir; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, fileName);
    if (existsSync(candidate)) return candidate;
    if (path.dirname(dir) === dir) return undefined;
  }
}

/**
 * Names a build by everything that goes into it: our sources, the build settings, esbuild's
 * version, and the lockfile (which pins graphiql, React and all they pull in). Without a
 * lockfile the installed dependencies are unknown, so there is no key and nothing is cached.
 */
async function cacheKey(): Promise<string | undefined> {
  const lockfile = findUp('package-lock.json', GATEWAY_DIR);
  if (!lockfile) return undefined;
  const hash = createHash('sha256');
  hash.update(JSON.stringify(BUILD_SETTINGS)).update(esbuildVersion);
  for (const name of (await readdir(PLAYGROUND_SOURCE_DIR)).sort()) {
    hash.update(name).update(await readFile(path.join(PLAYGROUND_SOURCE_DIR, name)));
  }
  hash.update(await readFile(lockfile));
  return hash.digest('hex').slice(0, 16);
}

async function readCached(dir: string): Promise<PlaygroundAssets | undefined> {
  try {
    const [js, css] = await Promise.all([
      readFile(path.join(dir, JS_FILE)),
      readFile(path.join(dir, CSS_FILE)),
    ]);
    return { js, css };
  } catch {
    return undefined;
  }
}

/**
 * Writes a build under `cacheDir/key` through a temporary folder and a rename, so concurrent
 * starts (parallel test workers) never read a half-written bundle; then drops older builds.
 */
async function writeCached(cacheDir: string, key: string, assets: PlaygroundAssets) {
  await mkdir(cacheDir, { recursive: true });
  const tmp = await mkdtemp(path.join(cacheDir, `${key}.tmp-`));
  try {
    await writeFile(path.join(tmp, JS_FILE), assets.js);
    await writeFile(path.join(tmp, CSS_FILE), assets.css);
    await rename(tmp, path.join(cacheDir, key)).catch(async (err: NodeJS.ErrnoException) => {
      // Another process finished the same build first; its copy is identical.
      if (err.code !== 'EEXIST' && err.code !== 'ENOTEMPTY') throw err;
    });
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
  for (const entry of await readdir(cacheDir)) {
    if (/^[0-9a-f]{16}$/.test(entry) && entry !== key) {
      await rm(path.join(cacheDir, entry), { recursive: true, force: true });
    }
  }
}

/**
 * The playground bundle from `cacheDir` when a build of the same inputs is there, otherwise
 * built with esbuild and written there. Not memoised: most callers want loadPlaygroundAssets.
 */
export async function readOrBuildPlaygroundAssets({
  logger,
  cacheDir = DEFAULT_PLAYGROUND_CACHE_DIR,
}: LoadPlaygroundAssetsOptions): Promise<PlaygroundAssets> {
  const started = performance.now();
  const key = await cacheKey();
  const dir = key && path.join(cacheDir, key);
  const cached = dir ? await readCached(dir) : undefined;
  if (cached) {
    logger.debug({ dir, ms: Math.round(performance.now() - started) }, 'playground bundle cached');
    return cached;
  }
  const assets = await buildPlaygroundAssets();
  logger.info(
    {
      ms: Math.round(performance.now() - started),
      jsBytes: assets.js.length,
      cssBytes: assets.css.length,
    },
    'playground bundle built',
  );
  if (key) {
    // A read-only install still serves the playground, rebuilt at each start.
    await writeCached(cacheDir, key, assets).catch((err: unknown) =>
      logger.warn({ err, cacheDir }, 'could not cache the playground bundle'),
    );
  }
  return assets;
}

const loads = new Map<string, Promise<PlaygroundAssets>>();

/**
 * The playground bundle: read from the cache folder when a build with the same inputs is
 * there, otherwise built with esbuild (about a second) and cached. Memoised per cache folder,
 * so several gateways in one process (tests) share one load; a failed load is not memoised.
 */
export function loadPlaygroundAssets(
  options: LoadPlaygroundAssetsOptions,
): Promise<PlaygroundAssets> {
  const memoKey = options.cacheDir ?? DEFAULT_PLAYGROUND_CACHE_DIR;
  let load = loads.get(memoKey);
  if (!load) {
    load = readOrBuildPlaygroundAssets(options);
    loads.set(memoKey, load);
    load.catch(() => loads.delete(memoKey));
  }
  return load;
}
