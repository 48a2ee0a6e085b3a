import { unstorableTextProblem } from '../contract/validation';
import { badUserInput } from '../http/errors';

/**
 * The one page size of every GraphQL list field (`limit: Int = 20, offset: Int = 0`): a list
 * answers at most `max` items, so no query grows with a table. The gateway's cost limit
 * multiplies a list's selection by its limit (see its pageCostPlugin).
 */
export const PAGE_LIMITS = { default: 20, max: 500 } as const;

export interface PageArgs {
  limit?: number | null;
  offset?: number | null;
}

export interface Page {
  limit: number;
  offset: number;
}

/** The page a list field's arguments ask for, or BAD_USER_INPUT naming the argument. */
export function readPage({ limit, offset }: PageArgs): Page {
  // An explicit null is out of range too: the schema's default only fills an absent argument.
  if (limit == null || !Number.isInteger(limit) || limit < 1 || limit > PAGE_LIMITS.max) {
    throw badUserInput(`limit must be between 1 and ${PAGE_LIMITS.max}`);
  }
  if (offset != null && offset < 0) throw badUserInput('offset must not be negative');
  return { limit, offset: offset ?? 0 };
}

/**
 * The items of a checked `page` from a list the backend returned whole. Check the page with
 * readPage before fetching, so a bad limit costs no backend call.
 */
export function pageOf<T>(items: readonly T[], { limit, offset }: Page): T[] {
  return items.slice(offset, offset + limit);
}

/**
 * `Query.movies(genre, limit, offset)` checked as every subgraph serving it must (the movies
 * subgraph and, while the migration runs, the monolith subgraph): a genre PostgreSQL can store
 * and a page in bounds, else BAD_USER_INPUT naming the argument.
 */
export function readMoviesArgs({ genre, ...page }: PageArgs & { genre?: string | null }) {
  const problem = genre == null ? undefined : unstorableTextProblem('genre', genre);
  if (problem) throw badUserInput(problem);
  return { genre: genre ?? undefined, ...readPage(page) };
}
