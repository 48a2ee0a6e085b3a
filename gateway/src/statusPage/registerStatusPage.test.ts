import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { gzipSync, brotliCompressSync } from 'node:zlib';
import { createHttpApp } from '@cinemaabyss/shared/http';
import { createSilentLogger } from '@cinemaabyss/shared/logging';
import type { FastifyInstance } from 'fastify';
import { registerStatusPage } from './registerStatusPage';
import { STATUS_PAGE_CSP } from './statusPageHtml';

const JS_FILE = 'status-page-ABCD1234.js';
const CSS_FILE = 'status-page-EFGH5678.css';

async function writeBuild() {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'status-page-build-'));
  const assetsDir = path.join(dir, 'status-page');
  await mkdir(assetsDir);
  for (const [name, body] of [
    [JS_FILE, Buffer.from('document.title = "status";')],
    [CSS_FILE, Buffer.from('body { margin: 0 }')],
  ] as const) {
    await writeFile(path.join(assetsDir, name), body);
    await writeFile(path.join(assetsDir, `${name}.gz`), gzipSync(body));
    await writeFile(path.join(assetsDir, `${name}.br`), brotliCompressSync(body));
  }
  const manifestPath = path.join(dir, 'status-page.json');
  await writeFile(manifestPath, JSON.stringify({ inputHash: 'test', js: JS_FILE, css: CSS_FILE }));
  return { dir, assetsDir, manifestPath };
}

describe('the status page at /admin', () => {
  let build: Awaited<ReturnType<typeof writeBuild>>;
  let app: FastifyInstance;
  let base: string;
  const get = (url: string, init?: RequestInit) => fetch(`${base}${url}`, init);
  beforeAll(async () => {
    build = await writeBuild();
    app = createHttpApp({ logger: createSilentLogger() });
    await registerStatusPage(app, { assetsDir: build.assetsDir, manifestPath: build.manifestPath });
    base = await app.listen({ host: '127.0.0.1', port: 0 });
  });
  afterAll(async () => {
    await app.close();
    await rm(build.dir, { recursive: true, force: true });
  });

  it('serves the page with no data in it, a strict CSP and no-store', async () => {
    const page = await get('/admin');
    const body = await page.text();
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('content-security-policy')).toBe(STATUS_PAGE_CSP);
    expect(STATUS_PAGE_CSP).toContain("frame-ancestors 'none'");
    expect(STATUS_PAGE_CSP).not.toContain('unsafe-inline');
    expect(page.headers.get('cache-control')).toBe('no-store');
    expect(body).toContain('data-api="/admin/migrations"');
    expect(body).toContain(`<script defer src="/admin/assets/${JS_FILE}"></script>`);
    expect(body).toContain(`href="/admin/assets/${CSS_FILE}"`);
    // No inline script: the only <script> has a src.
    expect(body.match(/<script(?![^>]*\ssrc=)/g)).toBeNull();
  });

  it('serves the hashed files for a year, compressed when asked', async () => {
    const script = await get(`/admin/assets/${JS_FILE}`, {
      headers: { 'accept-encoding': 'gzip' },
    });
    expect(script.status).toBe(200);
    expect(await script.text()).toBe('document.title = "status";');
    expect(script.headers.get('content-encoding')).toBe('gzip');
    expect(script.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
  });

  it('answers another method on /admin with 405', async () => {
    const post = await get('/admin', { method: 'POST' });
    expect(post.status).toBe(405);
  });
});
