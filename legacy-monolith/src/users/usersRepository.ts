import { PG_UNIQUE_VIOLATION, violatedConstraint, withTransaction } from '@cinemaabyss/shared/db';
import type { Pool } from '@cinemaabyss/shared/db';
import { userCreatedEvent } from '@cinemaabyss/shared/events';
import { insertOutboxEvent } from '@cinemaabyss/shared/outbox';
import { monolithErrors } from '../errors';

export interface User {
  id: number;
  username: string;
  email: string;
}

export interface NewUser {
  username: string;
  email: string;
}

const COLUMNS = 'id, username, email';

/** Which field a unique violation is about, for a 409 that names it. */
const UNIQUE_FIELDS: Record<string, keyof NewUser> = {
  users_username_key: 'username',
  users_email_key: 'email',
};

export function createUsersRepository(pool: Pool) {
  return {
    async list(): Promise<User[]> {
      const { rows } = await pool.query<User>(`SELECT ${COLUMNS} FROM users ORDER BY id`);
      return rows;
    },

    /** The users among `ids`, in id order; unknown ids are simply absent. One statement. */
    async findByIds(ids: readonly number[]): Promise<User[]> {
      const { rows } = await pool.query<User>(
        `SELECT ${COLUMNS} FROM users WHERE id = ANY($1::int[]) ORDER BY id`,
        [ids],
      );
      return rows;
    },

    async findById(id: number): Promise<User | undefined> {
      const { rows } = await pool.query<User>(`SELECT ${COLUMNS} FROM users WHERE id = $1`, [id]);
      return rows[0];
    },

    /** Inserts a user and its event; a taken username or email is a 409 naming the field. */
    async create(user: NewUser): Promise<User> {
      try {
        return await withTransaction(pool, async (client) => {
          const { rows } = await client.query<User>(
            `INSERT INTO users (username, email) VALUES ($1, $2) RETURNING ${COLUMNS}`,
            [user.username, user.email],
          );
          const created = rows[0] as User;
          await insertOutboxEvent(client, userCreatedEvent(created));
          return created;
        });
      } catch (err) {
        const constraint = violatedConstraint(err, PG_UNIQUE_VIOLATION);
        const field = constraint === undefined ? undefined : UNIQUE_FIELDS[constraint];
        if (field) throw monolithErrors.duplicateUser(field, user[field]);
        throw err;
      }
    },
  };
}

export type UsersRepository = ReturnType<typeof createUsersRepository>;
