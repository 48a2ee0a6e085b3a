import { badUserInput } from '../http/errors';
import { parseIdListParam, parseIdParam } from '../contract/validation';

/** What a `GET /api/movies` asks for, by the REST contract's query grammar. */
export type MovieLookup =
  | { by: 'all' }
  | { by: 'id'; id: number }
  /** `?ids=1,2,3`: a batch lookup for GraphQL entity resolution; unknown ids are absent. */
  | { by: 'ids'; ids: number[] };

/**
 * Reads `?id=` / `?ids=` once for both sides of the migration, so the two implementations
 * refuse the same requests with the same words and differ only in how they fetch.
 */
export function parseMovieLookup(query: unknown): MovieLookup {
  const id = parseIdParam(query, 'id');
  const ids = parseIdListParam(query, 'ids');
  if (ids !== undefined && id !== undefined) {
    throw badUserInput('query parameters id and ids cannot be combined');
  }
  if (ids !== undefined) return { by: 'ids', ids };
  return id === undefined ? { by: 'all' } : { by: 'id', id };
}
