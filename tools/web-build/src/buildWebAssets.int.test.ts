import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { readWebAssetsManifest } from '@cinemaabyss/gateway/playground-assets';
import { STATUS_PAGE_BUDGET_BYTES } from '@cinemaabyss/gateway/status-page-assets';
import { buildWebAssets, ensureWebAssets, gzippedBytes } from './buildWebAssets';
import type { WebAssetsTarget } from './buildWebAssets';
import { PLAYGROUND_TARGET, STATUS_PAGE_TARGET } from './index';

/** A page of its own in a temporary folder: an entry, a stylesheet, a lockfile. */
async function tinyPage(dir: string): Promise<WebAssetsTarget> {
  const sourceDir = path.join(dir, 'src');
  await rm(sourceDir, { recursive: true, force: true });
  await writeFile(path.join(dir, 'package-lock.json'), '{}');
  await mkdir(sourceDir);
  await writeFile(
    path.join(sourceDir, 'entry.tsx'),
    "import './page.css';\ndocument.title = 'tiny';\n",
  );
  await writeFile(path.join(sourceDir, 'page.css'), 'body { margin: 0 }\n');
  return {
    entry: path.join(sourceDir, 'entry.tsx'),
    outDir: path.join(dir, 'public', 'tiny'),
    manifestPath: path.join(dir, 'public', 'tiny.json'),
    lockfile: path.join(dir, 'package-lock.json'),
  };
}

describe('buildWebAssets', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'web-build-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes content-hashed files, each with brotli and gzip copies, and a manifest naming them', async () => {
    const target = await tinyPage(dir);

    const manifest = await buildWebAssets(target);

    expect(manifest.js).toMatch(/^tiny-[A-Z0-9]+\.js$/);
    expect(manifest.css).toMatch(/^tiny-[A-Z0-9]+\.css$/);
    expect(await readWebAssetsManifest(target.manifestPath)).toEqual(manifest);
    expect((await readdir(target.outDir)).sort()).toEqual(
      [
        manifest.css,
        `${manifest.css}.br`,
        `${manifest.css}.gz`,
        manifest.js,
        `${manifest.js}.br`,
        `${manifest.js}.gz`,
      ].sort(),
    );
    const js = await readFile(path.join(target.outDir, manifest.js));
    expect(js.toString()).toContain('tiny');
    expect(
      brotliDecompressSync(await readFile(path.join(target.outDir, `${manifest.js}.br`))),
    ).toEqual(js);
    expect(gunzipSync(await readFile(path.join(target.outDir, `${manifest.js}.gz`)))).toEqual(js);
  });

  it('rebuilds only when an input changed, and drops the files of the build before', async () => {
    const target = await tinyPage(dir);
    const first = await ensureWebAssets(target);
    const unchanged = await ensureWebAssets(target);

    await writeFile(path.join(path.dirname(target.entry), 'page.css'), 'body { margin: 1px }\n');
    const changed = await ensureWebAssets(target);

    expect(first.built).toBe(true);
    expect(unchanged).toEqual({ manifest: first.manifest, built: false });
    expect(changed.built).toBe(true);
    expect(changed.manifest.css).not.toBe(first.manifest.css);
    expect(changed.manifest.inputHash).not.toBe(first.manifest.inputHash);
    expect(await readdir(target.outDir)).not.toContain(first.manifest.css);
  });

  it('bundles the real playground: React, GraphiQL and its fonts, with nothing left to fetch from a CDN', async () => {
    const target: WebAssetsTarget = {
      ...PLAYGROUND_TARGET,
      outDir: path.join(dir, 'playground'),
      manifestPath: path.join(dir, 'playground.json'),
    };

    const manifest = await buildWebAssets(target);
    const script = await readFile(path.join(target.outDir, manifest.js), 'utf8');
    const stylesheet = await readFile(path.join(target.outDir, manifest.css), 'utf8');

    expect(manifest.js).toMatch(/^playground-[A-Z0-9]+\.js$/);
    expect(script).toContain('graphiql-execute-button');
    expect(script).toContain('react.dev/errors');
    expect(stylesheet).toContain('.graphiql-container');
    expect(stylesheet).toMatch(/@font-face\{[^}]*src:url\(data:font\/woff2;base64,/);
    // Every url() in the stylesheet is inline data; no @import pulls in anything else.
    expect(stylesheet.match(/url\((?!data:)[^)]*\)/g)).toBeNull();
    expect(stylesheet).not.toContain('@import');
    expect(script).not.toMatch(/unpkg\.com|jsdelivr|cdnjs|fonts\.googleapis/);
  });

  it('bundles the real status page, React and uPlot, within its gzipped budget', async () => {
    const target: WebAssetsTarget = {
      ...STATUS_PAGE_TARGET,
      outDir: path.join(dir, 'status-page'),
      manifestPath: path.join(dir, 'status-page.json'),
    };

    const manifest = await buildWebAssets(target);
    const script = await readFile(path.join(target.outDir, manifest.js), 'utf8');
    const stylesheet = await readFile(path.join(target.outDir, manifest.css), 'utf8');
    const weight = await gzippedBytes(target, manifest);

    expect(manifest.js).toMatch(/^status-page-[A-Z0-9]+\.js$/);
    expect(script).toContain('cinemaabyss.adminToken');
    expect(stylesheet).toContain('.uplot');
    expect(weight.total).toBe(weight.js + weight.css);
    expect(weight.total).toBeLessThanOrEqual(STATUS_PAGE_BUDGET_BYTES);
    expect(script).not.toMatch(/https?:\/\/(?!www\.w3\.org|react\.dev|reactjs\.org)/);
  });
});
