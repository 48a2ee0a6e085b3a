import { toRfc3339 } from '@cinemaabyss/shared/validation';
import type { Pool } from '@cinemaabyss/shared/db';
import { createUserOwnedStore } from '../userOwnedRecords';
import { subscriptionCreatedEvent } from '@cinemaabyss/shared/events';

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
  const store = createUserOwnedStore(pool, {
    table: 'subscriptions',
    columns: COLUMNS,
    toRecord: toSubscription,
  });
  return {
    list: store.list,
    findById: store.findById,
    /** Inserts a subscription and its event; an unknown user is a 400. */
    create: (subscription: NewSubscription): Promise<Subscription> =>
      store.insert(
        subscription.userId,
        `INSERT INTO subscriptions (user_id, plan_type, start_date, end_date)
         VALUES ($1, $2, $3, $4) RETURNING ${COLUMNS}`,
        [subscription.userId, subscription.planType, subscription.startDate, subscription.endDate],
        subscriptionCreatedEvent,
      ),
  };
}

export type SubscriptionsRepository = ReturnType<typeof createSubscriptionsRepository>;
