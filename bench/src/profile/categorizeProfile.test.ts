import { categorizeProfile } from './categorizeProfile';
import type { CpuProfile } from './summarizeProfile';

const NM = 'file:///work/main/node_modules';

/** A profile of nodes in a chain or tree: [id, functionName, url, children]. */
function profileOf(
  nodes: [number, string, string, number[]][],
  samples: [number, number][],
): CpuProfile {
  return {
    nodes: nodes.map(([id, functionName, url, children]) => ({
      id,
      callFrame: { functionName, url, lineNumber: 0 },
      children,
    })),
    samples: samples.map(([id]) => id),
    timeDeltas: samples.map(([, us]) => us),
  };
}

describe('where a gateway profile says the CPU goes', () => {
  const profile = profileOf(
    [
      [1, '(root)', '', [2, 3, 4, 9, 10, 11, 13]],
      [2, 'executeQueryPlan', `${NM}/@apollo/gateway/dist/executeQueryPlan.js`, [5, 6]],
      [3, '(idle)', '', []],
      [4, 'buildQueryPlan', `${NM}/@apollo/query-planner/dist/buildPlan.js`, []],
      // Built-ins count for their caller: JSON.parse of a subgraph reply is subgraph parsing.
      [5, 'parseReply', 'file:///work/main/gateway/src/graphql/subgraphDataSource.ts', [7]],
      [6, 'completeValue', `${NM}/graphql/execution/execute.js`, []],
      [7, 'parse', '', []],
      [9, '(garbage collector)', '', []],
      [10, '(program)', '', []],
      [11, 'onRequest', `${NM}/fastify/lib/hooks.js`, [12]],
      [12, 'stringify', '', []],
      // The profiler stopping inside the window is left out.
      [13, 'post', 'node:inspector', [14]],
      [14, 'dispatch', '', []],
    ],
    [
      [3, 1_000_000], // idle: not counted
      [4, 200],
      [7, 300],
      [6, 100],
      [9, 100],
      [10, 100],
      [12, 200],
      [14, 5_000],
    ],
  );

  it('charges each busy sample to the innermost frame it recognises', () => {
    const shares = Object.fromEntries(
      categorizeProfile(profile).map(({ category, percent }) => [category, percent]),
    );

    expect(shares).toEqual({
      'subgraph I/O and parsing': 30,
      planning: 20,
      serialisation: 20,
      'result merging and shaping': 10,
      'garbage collection': 10,
      'native code and runtime': 10,
    });
  });

  it("counts our engine's executor as result merging and shaping, not as the request pipeline", () => {
    const engine = 'file:///work/main/gateway/src/engine';
    const ours = profileOf(
      [
        [1, '(root)', '', [2, 3, 4]],
        [2, 'executeNode', `${engine}/executePlan.ts`, []],
        [3, 'complete', `${engine}/resultShape.ts`, []],
        [4, 'executeOperation', `${engine}/executeOperation.ts`, []],
      ],
      [
        [2, 100],
        [3, 200],
        [4, 100],
      ],
    );
    const shares = Object.fromEntries(
      categorizeProfile(ours).map(({ category, percent }) => [category, percent]),
    );

    expect(shares).toEqual({ 'result merging and shaping': 75, 'request pipeline': 25 });
  });

  it('lists the categories largest first and leaves out the empty ones', () => {
    const categories = categorizeProfile(profile).map((share) => share.category);

    expect(categories[0]).toBe('subgraph I/O and parsing');
    expect(categories).not.toContain('tracing');
  });
});
