import type { Difference } from '../adminContract';
export type { Difference } from '../adminContract';

/** One answer of one side, as the comparison sees it. */
export interface ComparedAnswer {
  status: number;
  /** The body parsed as JSON, or the raw text when it is not JSON. */
  body: unknown;
}

/** The longest value a difference keeps of each side: enough to read, bounded to store. */
export const MAX_DIFFERENCE_VALUE_BYTES = 1024;
/** More differences than this in one answer say nothing more; the rest are left out. */
export const MAX_DIFFERENCES = 50;

/** A body as the comparison reads it: JSON when it parses, else its text. */
export function parseBody(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/**
 * An ignore pattern as a matcher of paths: `/updated_at`, `/*\/rating` — `*` stands for exactly
 * one array index or object key.
 */
function pathMatcher(pattern: string): (path: string[]) => boolean {
  const parts = pattern.split('/').slice(1);
  return (path) =>
    path.length === parts.length && parts.every((part, i) => part === '*' || part === path[i]);
}

function render(value: unknown): string {
  const text = value === undefined ? '(absent)' : JSON.stringify(value);
  return Buffer.byteLength(text) <= MAX_DIFFERENCE_VALUE_BYTES
    ? text
    : `${Buffer.from(text)
        .subarray(0, MAX_DIFFERENCE_VALUE_BYTES - 1)
        .toString()}…`;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Compares two answers as values: the status, then the bodies as JSON (key order and number
 * formatting do not matter, arrays compare in order). Paths matching `ignorePaths` are left out.
 * Returns the differences, `/status` first; none means the two agree.
 */
export function compareAnswers(
  served: ComparedAnswer,
  shadow: ComparedAnswer,
  ignorePaths: readonly string[] = [],
): Difference[] {
  const ignored = ignorePaths.map(pathMatcher);
  const differences: Difference[] = [];
  if (served.status !== shadow.status) {
    differences.push({
      path: '/status',
      served: String(served.status),
      shadow: String(shadow.status),
    });
  }

  function walk(path: string[], left: unknown, right: unknown): void {
    if (differences.length >= MAX_DIFFERENCES) return;
    if (ignored.some((matches) => matches(path))) return;
    if (Array.isArray(left) && Array.isArray(right)) {
      for (let i = 0; i < Math.max(left.length, right.length); i += 1) {
        walk([...path, String(i)], left[i], right[i]);
      }
      return;
    }
    if (isObject(left) && isObject(right)) {
      for (const key of new Set([...Object.keys(left), ...Object.keys(right)])) {
        walk([...path, key], left[key], right[key]);
      }
      return;
    }
    if (!Object.is(left, right)) {
      const pointer = path.map((part) => part.replace(/~/g, '~0').replace(/\//g, '~1'));
      differences.push({
        path: `/${pointer.join('/')}`,
        served: render(left),
        shadow: render(right),
      });
    }
  }

  walk([], served.body, shadow.body);
  return differences;
}

/**
 * A difference's path as noise is learned by: array indices written `*` (`/data/movies/3/rating`
 * → `/data/movies/*\/rating`), so that noise found on one item covers every item of the list.
 * A numeric object key reads the same as an index: close enough for noise.
 */
export function noisePath(path: string): string {
  return path.replace(/\/\d+(?=\/|$)/g, '/*');
}
