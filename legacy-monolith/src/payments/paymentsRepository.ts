import {
  badUserInput,
  PG_FOREIGN_KEY_VIOLATION,
  toRfc3339,
  violatedConstraint,
  withTransaction,
} from '@cinemaabyss/shared';
import type { Pool } from '@cinemaabyss/shared';
import { userOwnedWhere } from '../userOwnedRecords';
import type { UserOwnedFilter } from '../userOwnedRecords';
import { paymentCreatedEvent } from '@cinemaabyss/shared/events';
import { insertOutboxEvent } from '@cinemaabyss/shared/outbox';

export interface Payment {
  id: number;
  user_id: number;
  amount: number;
  timestamp: string;
}

interface PaymentRow {
  id: number;
  user_id: number;
  amount: number;
  paid_at: Date;
}

const COLUMNS = 'id, user_id, amount::float8 AS amount, paid_at';

const toPayment = (row: PaymentRow): Payment => ({
  id: row.id,
  user_id: row.user_id,
  amount: row.amount,
  timestamp: toRfc3339(row.paid_at),
});

export function createPaymentsRepository(pool: Pool) {
  return {
    /** One statement whatever the filter; each given filter narrows the result. */
    async list(filter: UserOwnedFilter = {}): Promise<Payment[]> {
      const { where, params } = userOwnedWhere(filter);
      const { rows } = await pool.query<PaymentRow>(
        `SELECT ${COLUMNS} FROM payments ${where} ORDER BY id`,
        params,
      );
      return rows.map(toPayment);
    },

    async findById(id: number): Promise<Payment | undefined> {
      const { rows } = await pool.query<PaymentRow>(
        `SELECT ${COLUMNS} FROM payments WHERE id = $1`,
        [id],
      );
      return rows[0] && toPayment(rows[0]);
    },

    /** Records a payment stamped with the server's time, and its event; an unknown user is a 400. */
    async create(payment: { userId: number; amount: number }): Promise<Payment> {
      try {
        return await withTransaction(pool, async (client) => {
          const { rows } = await client.query<PaymentRow>(
            `INSERT INTO payments (user_id, amount) VALUES ($1, $2) RETURNING ${COLUMNS}`,
            [payment.userId, payment.amount],
          );
          const created = toPayment(rows[0] as PaymentRow);
          await insertOutboxEvent(client, paymentCreatedEvent(created));
          return created;
        });
      } catch (err) {
        if (violatedConstraint(err, PG_FOREIGN_KEY_VIOLATION) !== undefined) {
          throw badUserInput(`user_id ${payment.userId} does not exist`);
        }
        throw err;
      }
    },
  };
}

export type PaymentsRepository = ReturnType<typeof createPaymentsRepository>;
