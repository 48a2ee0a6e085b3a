import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import type { RandomGenerator } from 'pure-rand/types/RandomGenerator';
import { graphqlBody } from '../queries';

/** What the variables are drawn from: the ids and genres the bench database holds. */
export interface WorkloadUniverse {
  userIds: readonly string[];
  movieIds: readonly string[];
  genres: readonly string[];
}

type Draw = (min: number, max: number) => number;

export interface WorkloadOperation {
  name: string;
  /** Relative share of the mix. */
  weight: number;
  /** What it asks for, for the report. */
  shape: string;
  query: string;
  variables(draw: Draw, universe: WorkloadUniverse): Record<string, unknown>;
}

export interface WorkloadRequest {
  operation: string;
  query: string;
  variables: Record<string, unknown>;
  /** The POST body, ready to send. */
  body: string;
}

const pick = <T>(draw: Draw, items: readonly T[]): T => items[draw(0, items.length - 1)] as T;

/**
 * Five operations of different shapes and sizes, as client traffic sends them: the same
 * document with different variables, so every gateway's plan cache hits and none of them can
 * collapse two requests into one.
 */
export const VARIED_OPERATIONS: readonly WorkloadOperation[] = [
  {
    name: 'UsersPage',
    weight: 4,
    shape:
      'a page of 5–20 users with payments, subscriptions and ratings → movie (both subgraphs, two fetches)',
    query: `query UsersPage($limit: Int!, $offset: Int!) {
  users(limit: $limit, offset: $offset) {
    id username email
    payments { id amount timestamp }
    subscriptions { id planType startDate endDate active }
    ratings { score review movie { id title genres } }
  }
}`,
    variables: (draw, { userIds }) => {
      const limit = draw(5, Math.min(20, userIds.length));
      return { limit, offset: draw(0, userIds.length - limit) };
    },
  },
  {
    name: 'UserProfile',
    weight: 2,
    shape: 'one user with up to 3 payments and their ratings (both subgraphs)',
    query: `query UserProfile($id: ID!, $payments: Int!) {
  user(id: $id) {
    id username email
    payments(limit: $payments) { id amount timestamp }
    subscriptions { planType active }
    ratings { score movie { title } }
  }
}`,
    variables: (draw, { userIds }) => ({ id: pick(draw, userIds), payments: draw(1, 3) }),
  },
  {
    name: 'MoviesByGenre',
    weight: 2,
    shape: 'a page of 1–10 movies of one genre with their average score (both subgraphs)',
    query: `query MoviesByGenre($genre: String!, $limit: Int!, $offset: Int!) {
  movies(genre: $genre, limit: $limit, offset: $offset) { id title genres rating averageRating }
}`,
    variables: (draw, { genres }) => ({
      genre: pick(draw, genres),
      limit: draw(1, 10),
      offset: draw(0, 5),
    }),
  },
  {
    name: 'UserBilling',
    weight: 1,
    shape: "one user's payments and subscriptions as two root fields (monolith subgraph only)",
    query: `query UserBilling($userId: ID!, $limit: Int!) {
  payments(userId: $userId, limit: $limit) { id amount timestamp }
  subscriptions(userId: $userId) { id planType startDate active }
}`,
    variables: (draw, { userIds }) => ({ userId: pick(draw, userIds), limit: draw(1, 3) }),
  },
  {
    name: 'MovieDetail',
    weight: 1,
    shape: 'one movie with its description (one subgraph, the smallest answer)',
    query: `query MovieDetail($id: ID!) {
  movie(id: $id) { id title description genres rating }
}`,
    variables: (draw, { movieIds }) => ({ id: pick(draw, movieIds) }),
  },
];

function drawer(rng: RandomGenerator): Draw {
  return (min, max) => uniformInt(rng, min, max);
}

/** An operation chosen by weight. */
function pickOperation(draw: Draw, operations: readonly WorkloadOperation[]): WorkloadOperation {
  const total = operations.reduce((sum, op) => sum + op.weight, 0);
  let ticket = draw(1, total);
  for (const op of operations) {
    ticket -= op.weight;
    if (ticket <= 0) return op;
  }
  return operations.at(-1) as WorkloadOperation;
}

export interface WorkloadOptions {
  /**
   * No request repeats any of the last `window` requests: far more than the load's
   * connections, so no two requests in flight together are ever alike.
   */
  window?: number;
  /** The mix drawn from, by weight: VARIED_OPERATIONS unless a part narrows it. */
  operations?: readonly WorkloadOperation[];
}

/** Redraws of an operation's variables before a repeat is let through (a tiny universe). */
const MAX_REDRAWS = 50;

/**
 * An endless sequence of requests drawn from `seed`: the same seed and universe always give
 * the same sequence, so every gateway (and every run) is sent the same traffic. Operations
 * come by weight; a draw that repeats a recent request draws that operation's variables again,
 * so the mix stays as weighted.
 */
export function createWorkload(
  seed: number,
  universe: WorkloadUniverse,
  { window = 200, operations = VARIED_OPERATIONS }: WorkloadOptions = {},
): { next(): WorkloadRequest } {
  if (operations.length === 0) throw new Error('the workload needs at least one operation');
  if (!universe.userIds.length || !universe.movieIds.length || !universe.genres.length) {
    throw new Error('the varied workload needs users, movies and genres in the database');
  }
  const draw = drawer(xoroshiro128plus(seed));
  const recent: string[] = [];
  const recentSet = new Set<string>();
  return {
    next() {
      const op = pickOperation(draw, operations);
      let variables = op.variables(draw, universe);
      let body = graphqlBody(op.query, variables);
      for (let redraws = 0; recentSet.has(body) && redraws < MAX_REDRAWS; redraws += 1) {
        variables = op.variables(draw, universe);
        body = graphqlBody(op.query, variables);
      }
      recent.push(body);
      recentSet.add(body);
      if (recent.length > window) recentSet.delete(recent.shift() as string);
      return { operation: op.name, query: op.query, variables, body };
    },
  };
}

/** The first `count` requests of the sequence `seed` gives. */
export function generateWorkload(
  seed: number,
  count: number,
  universe: WorkloadUniverse,
  options?: WorkloadOptions,
): WorkloadRequest[] {
  const workload = createWorkload(seed, universe, options);
  return Array.from({ length: count }, () => workload.next());
}

/** The first `perOperation` requests of each operation: what every gateway is checked on. */
export function sampleEachOperation(
  requests: readonly WorkloadRequest[],
  perOperation: number,
): WorkloadRequest[] {
  const taken = new Map<string, number>();
  return requests.filter((request) => {
    const count = taken.get(request.operation) ?? 0;
    if (count >= perOperation) return false;
    taken.set(request.operation, count + 1);
    return true;
  });
}
