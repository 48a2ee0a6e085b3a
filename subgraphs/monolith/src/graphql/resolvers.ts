import { forbidden } from '@cinemaabyss/shared/http';
import { mayActFor } from '@cinemaabyss/shared/identity';
import type { Caller } from '@cinemaabyss/shared/identity';
import type DataLoader from 'dataloader';
import { pageOf, parseEntityId, readMoviesArgs, readPage } from '@cinemaabyss/shared/graphql';
import { parsePositiveId } from '@cinemaabyss/shared/validation';
import type { MonolithContext } from './context';
import type { Resolvers } from './generated/resolverTypes';
import { ownerMissing } from '../errors';

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

/** Genres match case-insensitively, as the movies service's SQL (`lower(genre) = lower($1)`) does. */
function hasGenre(movie: { genres: string[] }, genre: string | undefined): boolean {
  if (genre === undefined) return true;
  const wanted = genre.toLowerCase();
  return movie.genres.some((candidate) => candidate.toLowerCase() === wanted);
}

/**
 * Ownership, where the data lives: a user reads their own e-mail, payments and subscriptions;
 * another user's need `<what>:read` (users:read for e-mails). Anything else is FORBIDDEN: the
 * field is null with that error, the rest of the answer stands.
 */
function assertMayRead(
  caller: Caller | undefined,
  ownerId: number,
  what: 'users' | 'payments' | 'subscriptions',
): void {
  if (!mayActFor(caller, ownerId, `${what}:read`)) {
    throw forbidden(
      `${what === 'users' ? 'e-mail' : what} of user ${ownerId}: only that user, or a caller with ${what}:read`,
    );
  }
}

export const resolvers: Resolvers = {
  Query: {
    async movies(_root, args, { legacy, loaders }) {
      const { genre, ...page } = readMoviesArgs(args);
      // One REST call: the contract's list comes whole, in id order, and is filtered and cut here.
      const movies = pageOf(
        (await legacy.listMovies()).filter((movie) => hasGenre(movie, genre)),
        page,
      );
      for (const movie of movies) loaders.movie.prime(movie.id, movie);
      return movies;
    },
    movie: (_root, { id }, { loaders }) => loaders.movie.load(parseEntityId(id, 'id')),
    async users(_root, args, { legacy, loaders }) {
      const page = readPage(args);
      // The REST contract has no pages: the list comes whole and is cut here.
      const users = pageOf(await legacy.listUsers(), page);
      // Later `payment.user` / `subscription.user` lookups in this request need no call.
      for (const user of users) loaders.user.prime(user.id, user);
      return users;
    },
    user: (_root, { id }, { loaders }) => loaders.user.load(parseEntityId(id, 'id')),
    payments: async (_root, { userId, ...args }, { loaders, caller }) => {
      const [id, page] = [parseEntityId(userId, 'userId'), readPage(args)];
      assertMayRead(caller, id, 'payments');
      return pageOf(await loaders.paymentsByUser.load(id), page);
    },
    subscriptions: async (_root, { userId, ...args }, { loaders, caller }) => {
      const [id, page] = [parseEntityId(userId, 'userId'), readPage(args)];
      assertMayRead(caller, id, 'subscriptions');
      return pageOf(await loaders.subscriptionsByUser.load(id), page);
    },
  },

  Mutation: {
    async createUser(_root, { input }, { legacy, loaders }) {
      const user = await legacy.createUser({ username: input.username, email: input.email });
      loaders.user.prime(user.id, user);
      return user;
    },
    async createPayment(_root, { input }, { legacy, loaders }) {
      const userId = parseEntityId(input.userId, 'input.userId');
      const payment = await legacy.createPayment({ user_id: userId, amount: input.amount });
      // The user's payment list, if this request already read it, is now stale.
      loaders.paymentsByUser.clear(userId);
      loaders.payment.prime(payment.id, payment);
      return payment;
    },
    async createSubscription(_root, { input }, { legacy, loaders }) {
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
    __resolveReference: (reference, { loaders }) => loadReference(loaders.user, reference),
    email: (user, _args, { caller }) => {
      assertMayRead(caller, user.id, 'users');
      return user.email;
    },
    payments: async (user, args, { loaders, caller }) => {
      const page = readPage(args);
      assertMayRead(caller, user.id, 'payments');
      return pageOf(await loaders.paymentsByUser.load(user.id), page);
    },
    subscriptions: async (user, args, { loaders, caller }) => {
      const page = readPage(args);
      assertMayRead(caller, user.id, 'subscriptions');
      return pageOf(await loaders.subscriptionsByUser.load(user.id), page);
    },
  },

  Movie: {
    __resolveReference: (reference, { loaders }) => loadReference(loaders.movie, reference),
  },

  Payment: {
    __resolveReference: (reference, { loaders }) => loadReference(loaders.payment, reference),
    user: (payment, _args, context) => ownerOf(payment, context),
  },

  UserSubscription: {
    __resolveReference: (reference, { loaders }) => loadReference(loaders.subscription, reference),
    planType: (s) => s.plan_type,
    startDate: (s) => s.start_date,
    endDate: (s) => s.end_date,
    active: (s, _args, { now }) =>
      Date.parse(s.start_date) <= now.getTime() && now.getTime() < Date.parse(s.end_date),
    user: (subscription, _args, context) => ownerOf(subscription, context),
  },
};
