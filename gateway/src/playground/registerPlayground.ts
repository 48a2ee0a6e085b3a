import { createHash, randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { loadPlaygroundAssets } from './loadPlaygroundAssets';
import type { PlaygroundAssets } from './loadPlaygroundAssets';
import { playgroundCsp, renderPlaygroundPage } from './playgroundPage';
import { prefersHtml } from './prefersHtml';

const gzipAsync = promisify(gzip);

/** Shown in the editor on a first visit: one query across both subgraphs. */
export const DEFAULT_EXAMPLE_QUERY = `{
  movies(limit: 5) {
    title
    genres
    averageRating
  }
  users {
    username
    payments {
      amount
    }
  }
}`;

export interface PlaygroundOptions {
  /** Path of the GraphQL endpoint; browsers' GETs there get the playground. @default '/graphql' */
  endpoint?: string;
  /** Query in the editor on a first visit. @default DEFAULT_EXAMPLE_QUERY */
  exampleQuery?: string;
  /** Path under which the bundle is served. @default `${endpoint}/playground` */
  assetsPrefix?: string;
  /** Folder for built bundles. @default node_modules/.cache/cinemaabyss-playground in gateway/ */
  cacheDir?: string;
  /** Where the bundle comes from. @default loadPlaygroundAssets (esbuild, cached on disk) */
  loadAssets?: () => Promise<PlaygroundAssets>;
}

const YEAR_IN_SECONDS = 365 * 24 * 60 * 60;

interface Representation {
  body: Buffer;
  etag: string;
}

interface ServedAsset {
  contentType: string;
  identity: Representation;
  gzip: Representation;
}

function etagOf(body: Buffer): string {
  return `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
}

async function prepareAsset(body: Buffer, contentType: string): Promise<ServedAsset> {
  const etag = etagOf(body);
  return {
    contentType,
    identity: { body, etag },
    // A distinct strong validator per encoding, as RFC 9110 asks for different bytes.
    gzip: { body: await gzipAsync(body), etag: `${etag.slice(0, -1)}-gzip"` },
  };
}

function acceptsGzip(request: FastifyRequest): boolean {
  const header = request.headers['accept-encoding'];
  if (typeof header !== 'string') return false;
  return header.split(',').some((part) => {
    const [coding = '', ...params] = part.split(';').map((piece) => piece.trim().toLowerCase());
    if (coding !== 'gzip' && coding !== '*') return false;
    return !params.some((param) => /^q=0(\.0*)?$/.test(param));
  });
}

function matchesIfNoneMatch(request: FastifyRequest, etag: string): boolean {
  const header = request.headers['if-none-match'];
  if (typeof header !== 'string') return false;
  return header
    .split(',')
    .map((tag) => tag.trim().replace(/^W\//, ''))
    .some((tag) => tag === '*' || tag === etag);
}

function sendAsset(
  request: FastifyRequest,
  reply: FastifyReply,
  asset: ServedAsset,
  version: string,
): FastifyReply {
  const versioned = (request.query as { v?: unknown }).v === version;
  const representation = acceptsGzip(request) ? asset.gzip : asset.identity;
  reply
    .header('content-type', asset.contentType)
    .header('etag', representation.etag)
    .header('vary', 'accept-encoding')
    .header('x-content-type-options', 'nosniff')
    // The page links `?v=<content hash>`: that URL never changes meaning. Other URLs revalidate.
    .header(
      'cache-control',
      versioned
        ? `public, max-age=${YEAR_IN_SECONDS}, immutable`
        : 'public, max-age=0, must-revalidate',
    );
  if (matchesIfNoneMatch(request, representation.etag)) return reply.code(304).send();
  if (representation === asset.gzip) reply.header('content-encoding', 'gzip');
  return reply.send(representation.body);
}

function pathOf(url: string): string {
  const query = url.indexOf('?');
  return query === -1 ? url : url.slice(0, query);
}

/**
 * Serves GraphiQL, bundled from npm by the gateway itself (no CDN: it works air-gapped), to
 * browsers that open the GraphQL endpoint, with `exampleQuery` preloaded.
 *
 * Wiring, in the gateway's `createServer`, on the same Fastify instance Apollo is mounted on
 * and before mounting it:
 *
 * ```ts
 * await registerPlayground(app, { endpoint: '/graphql', exampleQuery: config.exampleQuery });
 * await app.register(fastifyApollo(apollo), { path: '/graphql', context });
 * ```
 *
 * - An `onRequest` hook answers `GET <endpoint>` with the page when the `Accept` header
 *   prefers `text/html` over `application/json` (browsers do; GraphQL clients, curl and
 *   fetch's default do not). Everything else, including every POST, reaches Apollo untouched.
 *   Give Apollo `ApolloServerPluginLandingPageDisabled()` so its own CDN-hosted page never shows.
 * - `GET <assetsPrefix>/graphiql.js` and `/graphiql.css` serve the bundle with ETags, gzip when
 *   accepted, and a year of immutable caching for the content-versioned URLs the page links.
 * - The page's CSP allows scripts from the gateway only, and no inline script; see
 *   `playgroundCsp`.
 *
 * Resolves once the bundle is ready: on a first start esbuild builds it (about a second)
 * into `cacheDir`; later starts read it back. Rejects when it cannot be built (broken
 * node_modules), so the gateway fails at start-up rather than on the first page view.
 * To turn the playground off (say, in production), do not call this.
 */
export async function registerPlayground(
  app: FastifyInstance,
  {
    endpoint = '/graphql',
    exampleQuery = DEFAULT_EXAMPLE_QUERY,
    assetsPrefix = `${endpoint}/playground`,
    cacheDir,
    loadAssets = () => loadPlaygroundAssets({ logger: app.log, cacheDir }),
  }: PlaygroundOptions = {},
): Promise<void> {
  const assets = await loadAssets().catch((err: unknown) => {
    throw new Error(
      `could not build the GraphQL playground bundle: ${err instanceof Error ? err.message : String(err)}`,
      { cause: err },
    );
  });
  const [js, css] = await Promise.all([
    prepareAsset(assets.js, 'text/javascript; charset=utf-8'),
    prepareAsset(assets.css, 'text/css; charset=utf-8'),
  ]);
  const version = createHash('sha256')
    .update(js.identity.etag)
    .update(css.identity.etag)
    .digest('hex')
    .slice(0, 12);
  const scriptUrl = `${assetsPrefix}/graphiql.js?v=${version}`;
  const stylesheetUrl = `${assetsPrefix}/graphiql.css?v=${version}`;

  app.get(`${assetsPrefix}/graphiql.js`, (request, reply) =>
    sendAsset(request, reply, js, version),
  );
  app.get(`${assetsPrefix}/graphiql.css`, (request, reply) =>
    sendAsset(request, reply, css, version),
  );

  // A callback hook, not an async one: it sees every request the gateway serves, and passes
  // all but a browser's GET of the endpoint straight on.
  app.addHook('onRequest', (request, reply, done) => {
    if (
      request.method !== 'GET' ||
      pathOf(request.url) !== endpoint ||
      !prefersHtml(request.headers.accept)
    ) {
      done();
      return;
    }
    const styleNonce = randomBytes(16).toString('base64');
    const page = renderPlaygroundPage({
      endpoint,
      exampleQuery,
      scriptUrl,
      stylesheetUrl,
      styleNonce,
    });
    // Answered here, so done() is not called: Fastify's rule for a callback hook that replies.
    reply
      .header('content-type', 'text/html; charset=utf-8')
      .header('content-security-policy', playgroundCsp(styleNonce))
      .header('cache-control', 'no-cache')
      .header('vary', 'accept')
      .header('x-content-type-options', 'nosniff')
      .header('referrer-policy', 'no-referrer')
      .send(page);
  });
}
