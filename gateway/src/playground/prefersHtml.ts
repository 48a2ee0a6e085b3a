interface MediaRange {
  type: string;
  subtype: string;
  quality: number;
}

function parseAccept(accept: string): MediaRange[] {
  const ranges: MediaRange[] = [];
  for (const part of accept.split(',')) {
    const [mediaType = '', ...params] = part.split(';').map((piece) => piece.trim());
    const [type, subtype] = mediaType.toLowerCase().split('/');
    if (!type || !subtype) continue;
    let quality = 1;
    for (const param of params) {
      const [key, value] = param.split('=').map((piece) => piece.trim());
      if (key?.toLowerCase() === 'q' && value !== undefined) {
        const q = Number(value);
        quality = Number.isFinite(q) ? Math.min(Math.max(q, 0), 1) : 0;
      }
    }
    ranges.push({ type, subtype, quality });
  }
  return ranges;
}

/** The quality the most specific matching range gives `type/subtype` (RFC 9110, 12.5.1). */
function qualityOf(ranges: MediaRange[], type: string, subtype: string): number {
  let best: { specificity: number; quality: number } | undefined;
  for (const range of ranges) {
    let specificity: number;
    if (range.type === type && range.subtype === subtype) specificity = 2;
    else if (range.type === type && range.subtype === '*') specificity = 1;
    else if (range.type === '*' && range.subtype === '*') specificity = 0;
    else continue;
    if (!best || specificity > best.specificity) best = { specificity, quality: range.quality };
  }
  return best?.quality ?? 0;
}

/**
 * Whether an `Accept` header asks for HTML rather than JSON: true for a browser navigating
 * to the endpoint, false for GraphQL clients, curl's accept-anything default and a missing header. On a tie JSON
 * wins, as in Apollo Server's own landing-page check, so API clients are never sent a page.
 */
export function prefersHtml(accept: string | undefined): boolean {
  if (!accept) return false;
  const ranges = parseAccept(accept);
  const html = qualityOf(ranges, 'text', 'html');
  return html > 0 && html > qualityOf(ranges, 'application', 'json');
}
