import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import {
  PLAYGROUND_ASSETS_DIR,
  PLAYGROUND_MANIFEST,
  readWebAssetsManifest,
} from './playgroundAssets';
import { playgroundCsp, renderPlaygroundPage } from './playgroundPage';
import { prefersHtml } from './prefersHtml';
import { serveHashedAssets } from './serveHashedAssets';

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

/**
 * The headers pane on a first visit: how to ask as a signed-in caller. A hint header, not a
 * placeholder Authorization (which would be refused), so the example query runs as it is.
 */
export const DEFAULT_EXAMPLE_HEADERS = JSON.stringify(
  {
    'x-sign-in-hint':
      'Add "Authorization": "Bearer <JWT>" to ask as a signed-in caller. A token for the npm start stack: npm run -s token -- --sub 1 --scopes users:read,payments:read',
  },
  null,
  2,
);

export interface PlaygroundOptions {
  /** Path of the GraphQL endpoint; browsers' GETs there get the playground. @default '/graphql' */
  endpoint?: string;
  /** Query in the editor on a first visit. @default DEFAULT_EXAMPLE_QUERY */
  exampleQuery?: string;
  /** Headers pane on a first visit. @default DEFAULT_EXAMPLE_HEADERS */
  exampleHeaders?: string;
  /** Path under which the built files are served. @default `${endpoint}/playground` */
  assetsPrefix?: string;
  /** Folder of the built files. @default PLAYGROUND_ASSETS_DIR (gateway/dist/public/playground) */
  assetsDir?: string;
  /** The build's manifest. @default PLAYGROUND_MANIFEST */
  manifestPath?: string;
}

function pathOf(url: string): string {
  const query = url.indexOf('?');
  return query === -1 ? url : url.slice(0, query);
}

/**
 * Serves GraphiQL, built from npm at build time (no CDN: it works air-gapped), to browsers
 * that open the GraphQL endpoint, with `exampleQuery` preloaded.
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
 * - `<assetsPrefix>/*` serves the built files with @fastify/static: their names carry a content
 *   hash, so they are cached for a year as immutable; the build's brotli and gzip files are
 *   sent to clients that accept them.
 * - The page's CSP allows scripts from the gateway only, and no inline script; see
 *   `playgroundCsp`.
 *
 * Rejects when the files were never built, so the gateway fails at start-up rather than on
 * the first page view. To turn the playground off (say, in production), do not call this.
 */
export async function registerPlayground(
  app: FastifyInstance,
  {
    endpoint = '/graphql',
    exampleQuery = DEFAULT_EXAMPLE_QUERY,
    exampleHeaders = DEFAULT_EXAMPLE_HEADERS,
    assetsPrefix = `${endpoint}/playground`,
    assetsDir = PLAYGROUND_ASSETS_DIR,
    manifestPath = PLAYGROUND_MANIFEST,
  }: PlaygroundOptions = {},
): Promise<void> {
  const manifest = await readWebAssetsManifest(manifestPath);
  const scriptUrl = `${assetsPrefix}/${manifest.js}`;
  const stylesheetUrl = `${assetsPrefix}/${manifest.css}`;

  await serveHashedAssets(app, { root: assetsDir, prefix: assetsPrefix });

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
      exampleHeaders,
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
