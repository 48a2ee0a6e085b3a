import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import type { IncomingHttpHeaders } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import { createHttpApp } from '@cinemaabyss/shared/http';
import { createSilentLogger } from '@cinemaabyss/shared/logging';
import type { FastifyInstance } from 'fastify';
import { registerPlayground } from './registerPlayground';

const BROWSER_ACCEPT = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';
const JS = Buffer.from('/* bundle */ document.title = "playground";'.repeat(20));
const CSS = Buffer.from('body { margin: 0 }'.repeat(20));
const JS_FILE = 'playground-ABCD1234.js';
const CSS_FILE = 'playground-EFGH5678.css';

/** What `npm run build` leaves: hashed files with their .br and .gz, and the manifest. */
async function writeBuild(): Promise<{ dir: string; assetsDir: string; manifestPath: string }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'playground-build-'));
  const assetsDir = path.join(dir, 'playground');
  await mkdir(assetsDir);
  for (const [name, body] of [
    [JS_FILE, JS],
    [CSS_FILE, CSS],
  ] as const) {
    await writeFile(path.join(assetsDir, name), body);
    await writeFile(path.join(assetsDir, `${name}.gz`), gzipSync(body));
    await writeFile(path.join(assetsDir, `${name}.br`), brotliCompressSync(body));
  }
  const manifestPath = path.join(dir, 'playground.json');
  await writeFile(manifestPath, JSON.stringify({ inputHash: 'test', js: JS_FILE, css: CSS_FILE }));
  return { dir, assetsDir, manifestPath };
}

let build: Awaited<ReturnType<typeof writeBuild>>;
beforeAll(async () => {
  build = await writeBuild();
});
afterAll(async () => {
  await rm(build.dir, { recursive: true, force: true });
});

/** A stand-in for the gateway: the playground, then a GraphQL handler for JSON clients. */
async function createApp(): Promise<FastifyInstance> {
  const app = createHttpApp({ logger: createSilentLogger() });
  await registerPlayground(app, {
    endpoint: '/graphql',
    exampleQuery: '{ hello }',
    assetsDir: build.assetsDir,
    manifestPath: build.manifestPath,
  });
  app.get('/graphql', async () => ({ data: { hello: 'world' }, via: 'GET' }));
  app.post('/graphql', async () => ({ data: { hello: 'world' } }));
  await app.listen({ host: '127.0.0.1', port: 0 });
  return app;
}

interface SendOptions {
  method?: string;
  url: string;
  headers?: Record<string, string>;
  payload?: unknown;
}

interface RawResponse {
  statusCode: number;
  headers: IncomingHttpHeaders;
  rawPayload: Buffer;
  body: string;
  json(): unknown;
}

/**
 * One request over loopback with the bytes exactly as sent (fetch would gunzip them).
 * Fastify's inject is not used: light-my-request needs an ESM-only package jest cannot load.
 */
function send(
  app: FastifyInstance,
  { method = 'GET', url, headers = {}, payload }: SendOptions,
): Promise<RawResponse> {
  const address = app.server.address();
  if (!address || typeof address === 'string') throw new Error('the app is not listening');
  const body = payload === undefined ? undefined : JSON.stringify(payload);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port: address.port,
        method,
        path: url,
        headers: body ? { ...headers, 'content-type': 'application/json' } : headers,
        timeout: 10_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const rawPayload = Buffer.concat(chunks);
          resolve({
            statusCode: res.statusCode ?? 0,
            headers: res.headers,
            rawPayload,
            body: rawPayload.toString('utf8'),
            json: () => JSON.parse(rawPayload.toString('utf8')),
          });
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error(`${method} ${url} timed out`)));
    req.on('error', reject);
    req.end(body);
  });
}

function linkedAsset(html: string, extension: 'js' | 'css'): string {
  const match = html.match(new RegExp(`"(/graphql/playground/playground-\\w+\\.${extension})"`));
  if (!match?.[1]) throw new Error(`the page links no .${extension}`);
  return match[1];
}

describe('registerPlayground', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    app = await createApp();
  });
  afterAll(async () => {
    await app.close();
  });

  it('answers a browser GET /graphql with the playground page under a strict CSP', async () => {
    const response = await send(app, { url: '/graphql', headers: { accept: BROWSER_ACCEPT } });

    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
    const csp = String(response.headers['content-security-policy']);
    expect(csp).toContain("default-src 'none'; script-src 'self'; style-src 'self' 'nonce-");
    const nonce = csp.match(/'nonce-([^']+)'/)?.[1];
    expect(response.body).toContain(`data-style-nonce="${nonce}"`);
    expect(response.headers['vary']).toBe('accept');
    expect(response.headers['x-request-id']).toBeDefined();
    expect(response.body).toContain('data-endpoint="/graphql"');
    expect(response.body).toContain('data-example-query="{ hello }"');
  });

  it('uses a fresh style nonce for every page', async () => {
    const nonces = await Promise.all(
      [1, 2].map(async () => {
        const response = await send(app, { url: '/graphql', headers: { accept: BROWSER_ACCEPT } });
        return String(response.headers['content-security-policy']).match(/'nonce-([^']+)'/)?.[1];
      }),
    );

    expect(nonces[0]).toMatch(/^[A-Za-z0-9+/]{22}==$/);
    expect(nonces[1]).not.toBe(nonces[0]);
  });

  it('shows the page to a browser even when the URL carries a query string', async () => {
    const response = await send(app, {
      url: '/graphql?query=%7Bhello%7D',
      headers: { accept: BROWSER_ACCEPT },
    });

    expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
  });

  it.each([
    ['application/json', 'application/json'],
    ['a GraphQL client', 'application/graphql-response+json, application/json'],
    ['curl', '*/*'],
  ])('leaves GET /graphql from %s to the GraphQL handler', async (_name, accept) => {
    const response = await send(app, { url: '/graphql', headers: { accept } });

    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ data: { hello: 'world' }, via: 'GET' });
  });

  it('leaves POST /graphql to the GraphQL handler whatever the Accept header', async () => {
    const response = await send(app, {
      method: 'POST',
      url: '/graphql',
      headers: { accept: BROWSER_ACCEPT },
      payload: { query: '{ hello }' },
    });

    expect(response.json()).toEqual({ data: { hello: 'world' } });
  });

  it('serves the script and stylesheet the page links, by hashed name, cached for a year', async () => {
    const page = await send(app, { url: '/graphql', headers: { accept: BROWSER_ACCEPT } });

    const js = await send(app, { url: linkedAsset(page.body, 'js') });
    const css = await send(app, { url: linkedAsset(page.body, 'css') });

    expect(linkedAsset(page.body, 'js')).toBe(`/graphql/playground/${JS_FILE}`);
    expect(js.statusCode).toBe(200);
    expect(js.headers['content-type']).toMatch(/^(text|application)\/javascript; charset=utf-8$/);
    expect(js.rawPayload.equals(JS)).toBe(true);
    expect(js.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(js.headers['etag']).toBeDefined();
    expect(js.headers['x-content-type-options']).toBe('nosniff');
    expect(css.statusCode).toBe(200);
    expect(css.headers['content-type']).toBe('text/css; charset=utf-8');
    expect(css.rawPayload.equals(CSS)).toBe(true);
  });

  it('answers 404 for a file the build did not produce, and 403 for a path out of its folder', async () => {
    const missing = await send(app, { url: '/graphql/playground/playground-OLD.js' });
    const manifest = await send(app, { url: '/graphql/playground/../playground.json' });

    expect(missing.statusCode).toBe(404);
    expect(manifest.statusCode).toBe(403);
  });

  it('answers 304 Not Modified when the ETag still matches', async () => {
    const first = await send(app, { url: `/graphql/playground/${CSS_FILE}` });

    const again = await send(app, {
      url: `/graphql/playground/${CSS_FILE}`,
      headers: { 'if-none-match': String(first.headers['etag']) },
    });

    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
  });

  it('sends the prebuilt brotli file to clients that accept it, gzip to those that accept only gzip', async () => {
    const brotli = await send(app, {
      url: `/graphql/playground/${JS_FILE}`,
      headers: { 'accept-encoding': 'gzip, deflate, br' },
    });
    const gzipped = await send(app, {
      url: `/graphql/playground/${JS_FILE}`,
      headers: { 'accept-encoding': 'gzip' },
    });

    expect(brotli.headers['content-encoding']).toBe('br');
    expect(brotliDecompressSync(brotli.rawPayload).equals(JS)).toBe(true);
    expect(gzipped.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gzipped.rawPayload).equals(JS)).toBe(true);
    expect(String(gzipped.headers['vary'])).toMatch(/accept-encoding/i);
  });

  it('does not send a compressed file to a client that refuses it', async () => {
    const response = await send(app, {
      url: `/graphql/playground/${JS_FILE}`,
      headers: { 'accept-encoding': 'gzip;q=0, identity' },
    });

    expect(response.headers['content-encoding']).toBeUndefined();
    expect(response.rawPayload.equals(JS)).toBe(true);
  });
});

describe('registerPlayground on an app with no GET /graphql route yet', () => {
  it('still shows browsers the page, so it does not depend on how GraphQL is mounted', async () => {
    const app = createHttpApp({ logger: createSilentLogger() });
    await registerPlayground(app, {
      assetsDir: build.assetsDir,
      manifestPath: build.manifestPath,
    });
    app.post('/graphql', async () => ({ data: { hello: 'world' } }));
    await app.listen({ host: '127.0.0.1', port: 0 });

    const page = await send(app, { url: '/graphql', headers: { accept: BROWSER_ACCEPT } });
    const json = await send(app, { url: '/graphql', headers: { accept: 'application/json' } });
    await app.close();

    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.body).toContain('data-example-query="{\n  movies(limit: 5) {');
    expect(json.statusCode).toBe(404);
  });

  it('fails registration with an error that says how to build when nothing was built', async () => {
    const app = createHttpApp({ logger: createSilentLogger() });

    await expect(
      registerPlayground(app, {
        assetsDir: build.assetsDir,
        manifestPath: path.join(build.dir, 'never-built.json'),
      }),
    ).rejects.toThrow(/no built front-end assets at .*never-built\.json: run `npm run build`/);
    await app.close();
  });
});
