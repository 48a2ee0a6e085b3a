import DataLoader from 'dataloader';
import { MAX_ID_LIST_LENGTH } from '@cinemaabyss/shared/validation';
import type { LegacyApi } from '../legacy/legacyClient';
import type {
  LegacyMovie,
  LegacyPayment,
  LegacySubscription,
  LegacyUser,
} from '../legacy/legacyTypes';

/**
 * Per-request batching over the legacy REST API: every `load` in one tick becomes one
 * `?ids=` / `?user_ids=` call, so nested queries cost a constant number of REST calls.
 */
export interface LegacyLoaders {
  user: DataLoader<number, LegacyUser | null>;
  movie: DataLoader<number, LegacyMovie | null>;
  payment: DataLoader<number, LegacyPayment | null>;
  subscription: DataLoader<number, LegacySubscription | null>;
  paymentsByUser: DataLoader<number, LegacyPayment[]>;
  subscriptionsByUser: DataLoader<number, LegacySubscription[]>;
}

// The monolith refuses longer lists; DataLoader splits bigger batches into several calls.
const options = { maxBatchSize: MAX_ID_LIST_LENGTH };

/** One row per key, null where the monolith has none. */
function byId<T extends { id: number }>(keys: readonly number[], rows: readonly T[]) {
  const found = new Map(rows.map((row) => [row.id, row]));
  return keys.map((key) => found.get(key) ?? null);
}

/** The rows of each key's user, in the monolith's (id) order. */
function byUser<T extends { user_id: number }>(keys: readonly number[], rows: readonly T[]) {
  const groups = new Map<number, T[]>(keys.map((key) => [key, []]));
  for (const row of rows) groups.get(row.user_id)?.push(row);
  return keys.map((key) => groups.get(key) ?? []);
}

export function createLoaders(api: LegacyApi): LegacyLoaders {
  const payment = new DataLoader<number, LegacyPayment | null>(
    async (ids) => byId(ids, await api.paymentsByIds(ids)),
    options,
  );
  const subscription = new DataLoader<number, LegacySubscription | null>(
    async (ids) => byId(ids, await api.subscriptionsByIds(ids)),
    options,
  );
  return {
    user: new DataLoader(async (ids) => byId(ids, await api.usersByIds(ids)), options),
    movie: new DataLoader(async (ids) => byId(ids, await api.moviesByIds(ids)), options),
    payment,
    subscription,
    // Rows fetched per user also answer later lookups by their own id.
    paymentsByUser: new DataLoader(async (userIds) => {
      const rows = await api.paymentsByUserIds(userIds);
      for (const row of rows) payment.prime(row.id, row);
      return byUser(userIds, rows);
    }, options),
    subscriptionsByUser: new DataLoader(async (userIds) => {
      const rows = await api.subscriptionsByUserIds(userIds);
      for (const row of rows) subscription.prime(row.id, row);
      return byUser(userIds, rows);
    }, options),
  };
}
