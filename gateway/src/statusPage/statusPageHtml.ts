import { escapeHtml } from '../playground/playgroundPage';

/**
 * The status page's Content-Security-Policy: everything from the gateway itself, nothing
 * inline (no script, no style element or attribute), no framing, no form posts: the page's
 * own script talks to the admin API with fetch.
 */
export const STATUS_PAGE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

export interface StatusPageHtmlOptions {
  /** The admin API's migrations path the page reads, e.g. `/admin/migrations`. */
  api: string;
  scriptUrl: string;
  stylesheetUrl: string;
}

/** The page: a mount element carrying the API's path, and the two bundle files. No data. */
export function renderStatusPage({ api, scriptUrl, stylesheetUrl }: StatusPageHtmlOptions): string {
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <meta name="robots" content="noindex" />
    <title>CinemaAbyss migrations</title>
    <link rel="icon" href="data:," />
    <link rel="stylesheet" href="${escapeHtml(stylesheetUrl)}" />
    <script defer src="${escapeHtml(scriptUrl)}"></script>
  </head>
  <body>
    <div id="status-page" data-api="${escapeHtml(api)}"></div>
    <noscript>The migration status page needs JavaScript; the admin API is at ${escapeHtml(api)}.</noscript>
  </body>
</html>
`;
}
