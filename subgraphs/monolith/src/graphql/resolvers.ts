import type DataLoader from 'dataloader';
import { parseEntityId } from '@cinemaabyss/shared/graphql';
import { parsePositiveId } from '@cinemaabyss/shared/validation';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import type { LegacyPayment, LegacySubscription, LegacyUser } from '../legacy/legacyTypes';
import type { MonolithContext } from './context';
import { ownerMissing } from '../errors';

interface CreateUserInput {
  username: string;
  email: string;
}
interface CreatePaymentInput {
  userId: string;
  amount: number;
}
interface CreateSubscriptionInput {
  userId: string;
  planType: string;
  startDate: string;
  endDate: string;
}
type Reference = { id?: unknown };

/** A row's owner; the foreign key guarantees one, so a missing user is a NOT_FOUND anomaly. */
async function ownerOf(row: { user_id: number }, { loaders }: MonolithContext) {
  const user = await loaders.user.load(row.user_id);
  if (!user) throw ownerMissing(row.user_id);
  return user;
}

/** Resolves a reference through a loader, so a batch of N references is one REST call. */
function loadReference<T>(loader: DataLoader<number, T | null>, reference: Reference) {
  // A reference that cannot name a row resolves as null.
  const id = parsePositiveId(reference.id);
  return id === undefined ? null : loader.load(id);
}

export const resolvers: GraphQLResolverMap<MonolithContext> = {
  Query: {
    async users(_root: unknown, _args: unknown, { legacy, loaders }: MonolithContext) {
      const users = await legacy.listUsers();
      // Later `payment.user` / `subscription.user` lookups in this request need no call.
      for (const user of users) loaders.user.prime(user.id, user);
      return users;
    },
    user: (_root: unknown, { id }: { id: string }, { loaders }: MonolithContext) =>
      loaders.user.load(parseEntityId(id, 'id')),
    payments: (_root: unknown, { userId }: { userId: string }, { loaders }: MonolithContext) =>
      loaders.paymentsByUser.load(parseEntityId(userId, 'userId')),
    subscriptions: (_root: unknown, { userId }: { userId: string }, { loaders }: MonolithContext) =>
      loaders.subscriptionsByUser.load(parseEntityId(userId, 'userId')),
  },

  Mutation: {
    async createUser(
      _root: unknown,
      { input }: { input: CreateUserInput },
      { legacy, loaders }: MonolithContext,
    ) {
      const user = await legacy.createUser({ username: input.username, email: input.email });
      loaders.user.prime(user.id, user);
      return user;
    },
    async createPayment(
      _root: unknown,
      { input }: { input: CreatePaymentInput },
      { legacy, loaders }: MonolithContext,
    ) {
      const userId = parseEntityId(input.userId, 'input.userId');
      const payment = await legacy.createPayment({ user_id: userId, amount: input.amount });
      // The user's payment list, if this request already read it, is now stale.
      loaders.paymentsByUser.clear(userId);
      loaders.payment.prime(payment.id, payment);
      return payment;
    },
    async createSubscription(
      _root: unknown,
      { input }: { input: CreateSubscriptionInput },
      { legacy, loaders }: MonolithContext,
    ) {
      const userId = parseEntityId(input.userId, 'input.userId');
      const subscription = await legacy.createSubscription({
        user_id: userId,
        plan_type: input.planType,
        start_date: input.startDate,
        end_date: input.endDate,
      });
      loaders.subscriptionsByUser.clear(userId);
      loaders.subscription.prime(subscription.id, subscription);
      return subscription;
    },
  },

  User: {
    __resolveReference: (reference: Reference, { loaders }: MonolithContext) =>
      loadReference(loaders.user, reference),
    payments: (user: LegacyUser, _args: unknown, { loaders }: MonolithContext) =>
      loaders.paymentsByUser.load(user.id),
    subscriptions: (user: LegacyUser, _args: unknown, { loaders }: MonolithContext) =>
      loaders.subscriptionsByUser.load(user.id),
  },

  Payment: {
    __resolveReference: (reference: Reference, { loaders }: MonolithContext) =>
      loadReference(loaders.payment, reference),
    user: (payment: LegacyPayment, _args: unknown, context: MonolithContext) =>
      ownerOf(payment, context),
  },

  UserSubscription: {
    __resolveReference: (reference: Reference, { loaders }: MonolithContext) =>
      loadReference(loaders.subscription, reference),
    planType: (s: LegacySubscription) => s.plan_type,
    startDate: (s: LegacySubscription) => s.start_date,
    endDate: (s: LegacySubscription) => s.end_date,
    active: (s: LegacySubscription, _args: unknown, { now }: MonolithContext) =>
      Date.parse(s.start_date) <= now.getTime() && now.getTime() < Date.parse(s.end_date),
    user: (subscription: LegacySubscription, _args: unknown, context: MonolithContext) =>
      ownerOf(subscription, context),
  },
};
