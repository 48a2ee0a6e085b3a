import type { QueryPlan } from '@apollo/query-planner';
import { LRUCache } from 'lru-cache';

/** What a query plan depends on besides the supergraph. */
export interface PlanKey {
  /**
   * The operation's hash. An operation cut to its caller's rights is hashed with the fields
   * removed (enforceFieldAuthorization), so the rights are part of it.
   */
  operationHash: string;
  operationName: string | undefined;
  /** The progressive-override labels the plan is built with as active, in any order. */
  activeLabels: readonly string[];
}

export interface PlanCache {
  get(key: PlanKey): QueryPlan | undefined;
  set(key: PlanKey, plan: QueryPlan): void;
  /** A new supergraph makes every plan stale. */
  clear(): void;
  readonly size: number;
}

/** @default 30, as ApolloGateway's own plan store */
export const DEFAULT_PLAN_CACHE_MIB = 30;

export function planCacheKey({ operationHash, operationName, activeLabels }: PlanKey): string {
  const labels = activeLabels.length > 1 ? [...activeLabels].sort() : activeLabels;
  return `${operationHash}\u0000${operationName ?? ''}\u0000${labels.join(',')}`;
}

/**
 * Query plans by operation, rights and active labels, in an LRU bounded by their approximate
 * size: the cache grows with label combinations and kinds of caller, never with users.
 */
export function createPlanCache(approximateMiB = DEFAULT_PLAN_CACHE_MIB): PlanCache {
  const plans = new LRUCache<string, QueryPlan>({
    maxSize: approximateMiB * 2 ** 20,
    // Sized once per plan built, never per request.
    sizeCalculation: (plan) => Math.max(1, JSON.stringify(plan).length),
  });
  return {
    get: (key) => plans.get(planCacheKey(key)),
    set: (key, plan) => void plans.set(planCacheKey(key), plan),
    clear: () => plans.clear(),
    get size() {
      return plans.size;
    },
  };
}
