import type { QueryResultRow } from 'pg';
import { parseIdListParam, parseIdParam } from '@cinemaabyss/shared/validation';
import {
  PG_FOREIGN_KEY_VIOLATION,
  violatedConstraint,
  withTransaction,
} from '@cinemaabyss/shared/db';
import type { Pool } from '@cinemaabyss/shared/db';
import type { KeyedEvent } from '@cinemaabyss/shared/events';
import { insertOutboxEvent } from '@cinemaabyss/shared/outbox';
import { monolithErrors } from './errors';

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
    throw monolithErrors.cannotCombineWithAny('id', ['ids', 'user_ids']);
  }
  if (userId !== undefined && userIds !== undefined) {
    throw monolithErrors.cannotCombine('user_id', 'user_ids');
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

export interface UserOwnedTable<Row, Record> {
  table: 'payments' | 'subscriptions';
  /** The SELECT / RETURNING list that produces Row. */
  columns: string;
  toRecord: (row: Row) => Record;
}

/**
 * Reads and writes of a table whose rows belong to a user: filtered lists and lookups in one
 * statement each, and inserts that store their event in the outbox within the same
 * transaction, answering an unknown user_id with a 400.
 */
export function createUserOwnedStore<Row extends QueryResultRow, Record>(
  pool: Pool,
  { table, columns, toRecord }: UserOwnedTable<Row, Record>,
) {
  return {
    /** One statement whatever the filter; each given filter narrows the result. */
    async list(filter: UserOwnedFilter = {}): Promise<Record[]> {
      const { where, params } = userOwnedWhere(filter);
      const { rows } = await pool.query<Row>(
        `SELECT ${columns} FROM ${table} ${where} ORDER BY id`,
        params,
      );
      return rows.map(toRecord);
    },

    async findById(id: number): Promise<Record | undefined> {
      const { rows } = await pool.query<Row>(`SELECT ${columns} FROM ${table} WHERE id = $1`, [id]);
      return rows[0] && toRecord(rows[0]);
    },

    /** Runs `INSERT … RETURNING ${columns}` and records eventOf(created) in the outbox. */
    async insert(
      userId: number,
      insertSql: string,
      values: unknown[],
      eventOf: (created: Record) => KeyedEvent,
    ): Promise<Record> {
      try {
        return await withTransaction(pool, async (client) => {
          const { rows } = await client.query<Row>(insertSql, values);
          const created = toRecord(rows[0] as Row);
          await insertOutboxEvent(client, eventOf(created));
          return created;
        });
      } catch (err) {
        if (violatedConstraint(err, PG_FOREIGN_KEY_VIOLATION) !== undefined) {
          throw monolithErrors.unknownUser(userId);
        }
        throw err;
      }
    },
  };
}
