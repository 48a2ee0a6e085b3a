import { toRfc3339 } from '@cinemaabyss/shared/validation';
import type { Pool } from '@cinemaabyss/shared/db';
import { createUserOwnedStore } from '../userOwnedRecords';
import { paymentCreatedEvent } from '@cinemaabyss/shared/events';

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
  const store = createUserOwnedStore(pool, {
    table: 'payments',
    columns: COLUMNS,
    toRecord: toPayment,
  });
  return {
    list: store.list,
    findById: store.findById,
    /** Records a payment stamped with the server's time, and its event; an unknown user is a 400. */
    create: (payment: { userId: number; amount: number }): Promise<Payment> =>
      store.insert(
        payment.userId,
        `INSERT INTO payments (user_id, amount) VALUES ($1, $2) RETURNING ${COLUMNS}`,
        [payment.userId, payment.amount],
        paymentCreatedEvent,
      ),
  };
}

export type PaymentsRepository = ReturnType<typeof createPaymentsRepository>;
