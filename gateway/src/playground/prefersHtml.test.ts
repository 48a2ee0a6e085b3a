import { prefersHtml } from './prefersHtml';

describe('prefersHtml', () => {
  it.each([
    // Chromium and Firefox navigations.
    'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8',
    'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8',
    'application/json;q=0.5, text/html',
    'text/*',
    'TEXT/HTML',
    // Equal qualities: the header's own order decides (Negotiator's rule).
    'text/html, application/json',
  ])('is true for a browser-like Accept: %s', (accept) => {
    expect(prefersHtml(accept)).toBe(true);
  });

  it.each([
    ['a missing header', undefined],
    ['an empty header', ''],
    ["curl's default", '*/*'],
    ['a GraphQL client', 'application/graphql-response+json, application/json;q=0.9'],
    ['JSON only', 'application/json'],
    ['a tie that lists JSON first', 'application/json, text/html'],
    ['HTML refused', 'text/html;q=0, */*'],
    ['garbage', 'not a media type'],
  ])('is false for %s', (_name, accept) => {
    expect(prefersHtml(accept)).toBe(false);
  });
});
