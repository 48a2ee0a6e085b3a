/**
 * The page's Content-Security-Policy. Scripts, styles and fetches come only from the gateway
 * itself; GraphiQL's fonts are data: URLs inside its stylesheet. No inline script is allowed:
 * the bundle bootstraps itself and reads its settings from data attributes. The one inline
 * style GraphiQL writes (the scroll lock of its dialogs, via react-style-singleton) carries
 * the per-response nonce; inline style attributes stay blocked.
 */
export function playgroundCsp(styleNonce: string): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    `style-src 'self' 'nonce-${styleNonce}'`,
    "font-src 'self' data:",
    "img-src 'self' data:",
    "connect-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

export interface PlaygroundPageOptions {
  /** GraphQL endpoint the page posts to, e.g. `/graphql`. */
  endpoint: string;
  /** Query shown in the editor on a first visit. */
  exampleQuery: string;
  /** The headers pane's JSON on a first visit. */
  exampleHeaders: string;
  /** URL of the bundled script, versioned so it can be cached for a year. */
  scriptUrl: string;
  /** URL of the bundled stylesheet, versioned likewise. */
  stylesheetUrl: string;
  /** This response's CSP nonce for the style elements GraphiQL inserts. */
  styleNonce: string;
}

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes text for an HTML element body or a double-quoted attribute value. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => HTML_ESCAPES[char] ?? char);
}

/** The playground's HTML: a mount element carrying the settings, and the two bundle files. */
export function renderPlaygroundPage(options: PlaygroundPageOptions): string {
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <meta name="robots" content="noindex" />
    <title>CinemaAbyss GraphQL playground</title>
    <!-- An empty icon keeps browsers from asking for /favicon.ico, a 404 on the gateway. -->
    <link rel="icon" href="data:," />
    <link rel="stylesheet" href="${escapeHtml(options.stylesheetUrl)}" />
    <script defer src="${escapeHtml(options.scriptUrl)}"></script>
  </head>
  <body>
    <div
      id="graphiql"
      data-endpoint="${escapeHtml(options.endpoint)}"
      data-example-query="${escapeHtml(options.exampleQuery)}"
      data-example-headers="${escapeHtml(options.exampleHeaders)}"
      data-style-nonce="${escapeHtml(options.styleNonce)}"
    ></div>
    <noscript>The GraphQL playground needs JavaScript; POST queries to ${escapeHtml(options.endpoint)} instead.</noscript>
  </body>
</html>
`;
}
