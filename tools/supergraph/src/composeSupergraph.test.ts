import { readFile } from 'node:fs/promises';
import { composeSupergraph, SUPERGRAPH_PATH } from './composeSupergraph';

describe('supergraph.graphql', () => {
  it('is what composing supergraph.yaml produces now (run `npm run supergraph:compose` when not)', async () => {
    const result = await composeSupergraph();
    if (!result.ok) throw new Error(`composition failed:\n${result.errors.join('\n')}`);
    expect(await readFile(SUPERGRAPH_PATH, 'utf8')).toBe(result.supergraphSdl);
  });

  it('has Query, Mutation and Subscription roots, the subscriptions owned by the events subgraph', async () => {
    const sdl = await readFile(SUPERGRAPH_PATH, 'utf8');
    const schemaBlock = /schema\s[^{]*\{([^}]*)\}/.exec(sdl)?.[1] ?? '';
    expect(schemaBlock).toMatch(/query: Query/);
    expect(schemaBlock).toMatch(/mutation: Mutation/);
    expect(schemaBlock).toMatch(/subscription: Subscription/);
    const subscription = /type Subscription\s[^{]*\{([^}]*)\}/.exec(sdl);
    expect(subscription?.[0]).toMatch(/@join__type\(graph: EVENTS\)/);
    expect(subscription?.[1]).toMatch(/movieEvents\(movieId: ID\): MovieEvent!/);
  });
});
