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
import { subscriptionCreatedEvent } from '@cinemaabyss/shared/events';
import { insertOutboxEvent } from '@cinemaabyss/shared/outbox';

export interface Subscription {
  id: number;
  user_id: number;
  plan_type: string;
  start_date: string;
  end_date: string;
}

interface SubscriptionRow {
  id: number;
  user_id: number;
  plan_type: string;
  start_date: Date;
  end_date: Date;
}

export interface NewSubscription {
  userId: number;
  planType: string;
  startDate: Date;
  endDate: Date;
}

const COLUMNS = 'id, user_id, plan_type, start_date, end_date';

const toSubscription = (row: SubscriptionRow): Subscription => ({
  id: row.id,
  user_id: row.user_id,
  plan_type: row.plan_type,
  start_date: toRfc3339(row.start_date),
  end_date: toRfc3339(row.end_date),
});

export function createSubscriptionsRepository(pool: Pool) {
  return {
    /** One statement whatever the filter; each given filter narrows the result. */
    async list(filter: UserOwnedFilter = {}): Promise<Subscription[]> {
      const { where, params } = userOwnedWhere(filter);
      const { rows } = await pool.query<SubscriptionRow>(
        `SELECT ${COLUMNS} FROM subscriptions ${where} ORDER BY id`,
        params,
      );
      return rows.map(toSubscription);
    },

    async findById(id: number): Promise<Subscription | undefined> {
      const { rows } = await pool.query<SubscriptionRow>(
        `SELECT ${COLUMNS} FROM subscriptions WHERE id = $1`,
        [id],
      );
      return rows[0] && toSubscription(rows[0]);
    },

    /** Inserts a subscription and its event; an unknown user is a 400. */
    async create(subscription: NewSubscription): Promise<Subscription> {
      try {
        return await withTransaction(pool, async (client) => {
          const { rows } = await client.query<SubscriptionRow>(
            `INSERT INTO subscriptions (user_id, plan_type, start_date, end_date)
             VALUES ($1, $2, $3, $4) RETURNING ${COLUMNS}`,
            [
              subscription.userId,
              subscription.planType,
              subscription.startDate,
              subscription.endDate,
            ],
          );
          const created = toSubscription(rows[0] as SubscriptionRow);
          await insertOutboxEvent(client, subscriptionCreatedEvent(created));
          return created;
        });
      } catch (err) {
        if (violatedConstraint(err, PG_FOREIGN_KEY_VIOLATION) !== undefined) {
          throw badUserInput(`user_id ${subscription.userId} does not exist`);
        }
        throw err;
      }
    },
  };
}

export type SubscriptionsRepository = ReturnType<typeof createSubscriptionsRepository>;
