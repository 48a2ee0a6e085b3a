import { badUserInput, parseIdListParam, parseIdParam } from '@cinemaabyss/shared';

/**
 * Payments and subscriptions both belong to a user and are listed the same way:
 * `?id=N` for one, else a list narrowed by `?ids=`, `?user_id=` or `?user_ids=`.
 */
export interface UserOwnedFilter {
  /** Only the records of these users. */
  userIds?: readonly number[];
  /** Only these records. */
  ids?: readonly number[];
}

export type UserOwnedQuery = { id: number } | { filter: UserOwnedFilter };

/** Reads the query string of a user-owned list, rejecting combinations that contradict. */
export function parseUserOwnedQuery(query: unknown): UserOwnedQuery {
  const id = parseIdParam(query, 'id');
  const userId = parseIdParam(query, 'user_id');
  const ids = parseIdListParam(query, 'ids');
  const userIds = parseIdListParam(query, 'user_ids');
  if (id !== undefined && (ids !== undefined || userIds !== undefined)) {
    throw badUserInput('query parameter id cannot be combined with ids or user_ids');
  }
  if (userId !== undefined && userIds !== undefined) {
    throw badUserInput('query parameters user_id and user_ids cannot be combined');
  }
  if (id !== undefined) return { id };
  return { filter: { ids, userIds: userId === undefined ? userIds : [userId] } };
}

/** The WHERE clause (possibly empty) and its parameters for one filtered list statement. */
export function userOwnedWhere({ userIds, ids }: UserOwnedFilter): {
  where: string;
  params: (readonly number[])[];
} {
  const params: (readonly number[])[] = [];
  const conditions: string[] = [];
  if (userIds) conditions.push(`user_id = ANY($${params.push(userIds)}::int[])`);
  if (ids) conditions.push(`id = ANY($${params.push(ids)}::int[])`);
  return { where: conditions.length ? `WHERE ${conditions.join(' AND ')}` : '', params };
}
