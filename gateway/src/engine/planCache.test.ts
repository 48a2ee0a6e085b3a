import type { QueryPlan } from '@apollo/query-planner';
import { createPlanCache, planCacheKey } from './planCache';

const plan = (name: string): QueryPlan => ({ kind: 'QueryPlan', node: undefined, name }) as never;

describe('the plan cache', () => {
  it('keys a plan by operation hash, operation name and active labels in any order', () => {
    const cache = createPlanCache();
    cache.set({ operationHash: 'h', operationName: 'Q', activeLabels: ['b', 'a'] }, plan('ab'));

    expect(cache.get({ operationHash: 'h', operationName: 'Q', activeLabels: ['a', 'b'] })).toEqual(
      plan('ab'),
    );
    expect(
      cache.get({ operationHash: 'h', operationName: 'Q', activeLabels: ['a'] }),
    ).toBeUndefined();
    expect(
      cache.get({ operationHash: 'h', operationName: 'R', activeLabels: ['a', 'b'] }),
    ).toBeUndefined();
    expect(
      cache.get({ operationHash: 'g', operationName: 'Q', activeLabels: ['a', 'b'] }),
    ).toBeUndefined();
  });

  it('tells no operation name from an empty label list apart from a label named like a name', () => {
    expect(
      planCacheKey({ operationHash: 'h', operationName: undefined, activeLabels: ['x'] }),
    ).not.toBe(planCacheKey({ operationHash: 'h', operationName: 'x', activeLabels: [] }));
  });

  it('drops the least recently used plans past its budget', () => {
    const cache = createPlanCache(1 / 1024); // 1 KiB
    const big = (name: string) => ({ ...plan(name), padding: 'x'.repeat(400) }) as never;
    for (const name of ['one', 'two', 'three']) {
      cache.set({ operationHash: name, operationName: undefined, activeLabels: [] }, big(name));
    }

    expect(cache.size).toBe(2);
    expect(
      cache.get({ operationHash: 'one', operationName: undefined, activeLabels: [] }),
    ).toBeUndefined();
  });

  it('is emptied by clear, as when a new supergraph is loaded', () => {
    const cache = createPlanCache();
    cache.set({ operationHash: 'h', operationName: undefined, activeLabels: [] }, plan('p'));
    cache.clear();

    expect(cache.size).toBe(0);
  });
});
