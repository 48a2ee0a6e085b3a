import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { brotliCompress, constants as zlibConstants, gzip } from 'node:zlib';
import { build, version as esbuildVersion } from 'esbuild';
import type { BuildOptions } from 'esbuild';
import { readWebAssetsManifest } from '@cinemaabyss/gateway/playground-assets';
import type { WebAssetsManifest } from '@cinemaabyss/gateway/playground-assets';

const gzipAsync = promisify(gzip);
const brotliAsync = promisify(brotliCompress);

/** One browser page's bundle: an entry, where its files go and the manifest that names them. */
export interface WebAssetsTarget {
  /** The browser entry (`.tsx`); every file of its folder is an input. */
  entry: string;
  /** Receives `<name>-<hash>.js` and `.css`, each with `.br` and `.gz` beside it. */
  outDir: string;
  /** Written last, so a reader never sees a manifest naming files not there yet. */
  manifestPath: string;
  /** The lockfile pinning what the bundle pulls in from node_modules. */
  lockfile: string;
}

/** Everything about the build but paths; part of the input hash, so a change here rebuilds. */
const BUILD_SETTINGS = {
  bundle: true,
  minify: true,
  format: 'iife',
  platform: 'browser',
  target: ['es2022'],
  jsx: 'automatic',
  // Content hashes in the names let the gateway cache every file for a year.
  entryNames: '[name]-[hash]',
  // MIT and similar licences ask that notices travel with the code.
  legalComments: 'eof',
  define: { 'process.env.NODE_ENV': '"production"' },
  logLevel: 'silent',
} satisfies BuildOptions;

/** Names a build by everything that goes into it: sources, settings, esbuild, the lockfile. */
export async function inputHashOf(target: WebAssetsTarget): Promise<string> {
  const hash = createHash('sha256');
  hash.update(JSON.stringify(BUILD_SETTINGS)).update(esbuildVersion);
  const sourceDir = path.dirname(target.entry);
  for (const name of (await readdir(sourceDir)).sort()) {
    hash.update(name).update(await readFile(path.join(sourceDir, name)));
  }
  hash.update(await readFile(target.lockfile));
  return hash.digest('hex').slice(0, 16);
}

async function writeWithCompressedCopies(file: string, contents: Uint8Array): Promise<void> {
  const [brotli, gzipped] = await Promise.all([
    brotliAsync(contents, { params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 11 } }),
    gzipAsync(contents, { level: 9 }),
  ]);
  await Promise.all([
    writeFile(file, contents),
    writeFile(`${file}.br`, brotli),
    writeFile(`${file}.gz`, gzipped),
  ]);
}

/**
 * Bundles one page with esbuild into `outDir` (replaced whole, through a temporary folder and
 * a rename) and writes its manifest. Takes a few seconds.
 */
export async function buildWebAssets(
  target: WebAssetsTarget,
  inputHash?: string,
): Promise<WebAssetsManifest> {
  inputHash ??= await inputHashOf(target);
  const result = await build({
    ...BUILD_SETTINGS,
    // `playground-<hash>.js` for an outDir named playground.
    entryPoints: { [path.basename(target.outDir)]: target.entry },
    absWorkingDir: path.dirname(target.entry),
    outdir: target.outDir,
    write: false,
  });
  const parent = path.dirname(target.outDir);
  await mkdir(parent, { recursive: true });
  const staging = await mkdtemp(path.join(parent, `.${path.basename(target.outDir)}-`));
  const names: Record<'js' | 'css', string | undefined> = { js: undefined, css: undefined };
  try {
    for (const file of result.outputFiles) {
      const name = path.basename(file.path);
      const kind = path.extname(name).slice(1);
      if (kind === 'js' || kind === 'css') names[kind] = name;
      await writeWithCompressedCopies(path.join(staging, name), file.contents);
    }
    if (!names.js || !names.css)
      throw new Error(`esbuild produced no JS or CSS for ${target.entry}`);
    await rm(target.outDir, { recursive: true, force: true });
    await rename(staging, target.outDir);
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
  const manifest: WebAssetsManifest = { inputHash, js: names.js, css: names.css };
  await writeFile(target.manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

/** Builds the page when it was never built or its inputs changed since; otherwise does nothing. */
export async function ensureWebAssets(
  target: WebAssetsTarget,
): Promise<{ manifest: WebAssetsManifest; built: boolean }> {
  const current = await readWebAssetsManifest(target.manifestPath).catch(() => undefined);
  const inputHash = await inputHashOf(target);
  if (current?.inputHash === inputHash) return { manifest: current, built: false };
  return { manifest: await buildWebAssets(target, inputHash), built: true };
}

/** What a built page weighs on the wire: its JavaScript and CSS, gzipped, in bytes. */
export async function gzippedBytes(
  target: WebAssetsTarget,
  manifest: WebAssetsManifest,
): Promise<{ js: number; css: number; total: number }> {
  const size = async (name: string) =>
    (await readFile(path.join(target.outDir, `${name}.gz`))).length;
  const [js, css] = await Promise.all([size(manifest.js), size(manifest.css)]);
  return { js, css, total: js + css };
}
