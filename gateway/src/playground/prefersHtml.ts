import Negotiator from 'negotiator';

// JSON first: when one range matches both (curl's `*/*`) Negotiator picks the earlier type.
const OFFERED = ['application/json', 'text/html'];

/**
 * Whether an `Accept` header asks for HTML rather than JSON: true for a browser navigating
 * to the endpoint, false for GraphQL clients, curl's accept-anything default and a missing
 * header. When one range covers both (curl's wildcard) JSON wins, as in Apollo Server's own landing-page
 * check, so API clients are never sent a page; between two listed at the same quality, the
 * header's own order decides.
 */
export function prefersHtml(accept: string | undefined): boolean {
  if (!accept) return false;
  return new Negotiator({ headers: { accept } }).mediaType(OFFERED) === 'text/html';
}
