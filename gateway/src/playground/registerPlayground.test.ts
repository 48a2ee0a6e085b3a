import { request as httpRequest } from 'node:http';
import type { IncomingHttpHeaders } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { createHttpApp } from '@cinemaabyss/shared/http';
import { createSilentLogger } from '@cinemaabyss/shared/logging';
import type { FastifyInstance } from 'fastify';
import { registerPlayground } from './registerPlayground';

const BROWSER_ACCEPT = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';
const JS = Buffer.from('/* bundle */ document.title = "playground";'.repeat(20));
const CSS = Buffer.from('body { margin: 0 }'.repeat(20));

/** A stand-in for the gateway: the playground, then a GraphQL handler for JSON clients. */
async function createApp(): Promise<FastifyInstance> {
  const app = createHttpApp({ logger: createSilentLogger() });
  await registerPlayground(app, {
    endpoint: '/graphql',
    exampleQuery: '{ hello }',
    loadAssets: async () => ({ js: JS, css: CSS }),
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

function linkedAsset(html: string, file: string): string {
  const match = html.match(new RegExp(`"(/graphql/playground/${file}\\?v=[0-9a-f]+)"`));
  if (!match?.[1]) throw new Error(`the page links no ${file}`);
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

  it('serves the script and stylesheet the page links, cached for a year', async () => {
    const page = await send(app, { url: '/graphql', headers: { accept: BROWSER_ACCEPT } });

    const js = await send(app, { url: linkedAsset(page.body, 'graphiql.js') });
    const css = await send(app, { url: linkedAsset(page.body, 'graphiql.css') });

    expect(js.statusCode).toBe(200);
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(js.rawPayload.equals(JS)).toBe(true);
    expect(js.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(js.headers['etag']).toMatch(/^"[\w-]+"$/);
    expect(js.headers['x-content-type-options']).toBe('nosniff');
    expect(css.statusCode).toBe(200);
    expect(css.headers['content-type']).toBe('text/css; charset=utf-8');
    expect(css.rawPayload.equals(CSS)).toBe(true);
  });

  it('makes unversioned or stale asset URLs revalidate instead of caching them for a year', async () => {
    const plain = await send(app, { url: '/graphql/playground/graphiql.js' });
    const stale = await send(app, { url: '/graphql/playground/graphiql.js?v=0123456789ab' });

    expect(plain.headers['cache-control']).toBe('public, max-age=0, must-revalidate');
    expect(stale.headers['cache-control']).toBe('public, max-age=0, must-revalidate');
  });

  it('answers 304 Not Modified when the ETag still matches', async () => {
    const first = await send(app, { url: '/graphql/playground/graphiql.css' });

    const again = await send(app, {
      url: '/graphql/playground/graphiql.css',
      headers: { 'if-none-match': String(first.headers['etag']) },
    });

    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
    expect(again.headers['etag']).toBe(first.headers['etag']);
  });

  it('sends gzip to clients that accept it, under its own ETag', async () => {
    const plain = await send(app, { url: '/graphql/playground/graphiql.js' });

    const zipped = await send(app, {
      url: '/graphql/playground/graphiql.js',
      headers: { 'accept-encoding': 'gzip, deflate, br' },
    });

    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(zipped.headers['vary']).toBe('accept-encoding');
    expect(gunzipSync(zipped.rawPayload).equals(JS)).toBe(true);
    expect(zipped.headers['etag']).not.toBe(plain.headers['etag']);
    expect(plain.headers['content-encoding']).toBeUndefined();
  });

  it('does not send gzip to a client that refuses it', async () => {
    const response = await send(app, {
      url: '/graphql/playground/graphiql.js',
      headers: { 'accept-encoding': 'gzip;q=0, identity' },
    });

    expect(response.headers['content-encoding']).toBeUndefined();
  });
});

describe('registerPlayground on an app with no GET /graphql route yet', () => {
  it('still shows browsers the page, so it does not depend on how GraphQL is mounted', async () => {
    const app = createHttpApp({ logger: createSilentLogger() });
    await registerPlayground(app, { loadAssets: async () => ({ js: JS, css: CSS }) });
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

  it('fails registration with a clear error when the bundle cannot be built', async () => {
    const app = createHttpApp({ logger: createSilentLogger() });

    await expect(
      registerPlayground(app, {
        loadAssets: async () => {
          throw new Error('Could not resolve "graphiql"');
        },
      }),
    ).rejects.toThrow(
      'could not build the GraphQL playground bundle: Could not resolve "graphiql"',
    );
    await app.close();
  });
});
