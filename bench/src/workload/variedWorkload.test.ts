import { withoutSecurityDirectives } from '@cinemaabyss/gateway/supergraph-security';
import { Supergraph } from '@apollo/federation-internals';
import { parse, validate } from 'graphql';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { generateWorkload, sampleEachOperation, VARIED_OPERATIONS } from './variedWorkload';
import type { WorkloadUniverse } from './variedWorkload';

const universe: WorkloadUniverse = {
  userIds: Array.from({ length: 50 }, (_, i) => String(i + 1)),
  movieIds: Array.from({ length: 50 }, (_, i) => String(i + 101)),
  genres: ['Drama', 'Crime', 'Action'],
};

describe('generateWorkload', () => {
  it('gives the same sequence for the same seed, and another for another seed', () => {
    const first = generateWorkload(7, 500, universe);
    expect(generateWorkload(7, 500, universe)).toEqual(first);
    const other = generateWorkload(8, 500, universe);
    expect(other.map((r) => r.body)).not.toEqual(first.map((r) => r.body));
  });

  it('never repeats one of the last `window` requests, so no gateway can collapse two', () => {
    const requests = generateWorkload(1, 5_000, universe, { window: 100 });
    expect(requests).toHaveLength(5_000);
    for (let i = 100; i <= requests.length; i += 1) {
      const slice = requests.slice(i - 100, i).map((r) => r.body);
      expect(new Set(slice).size).toBe(100);
    }
  });

  it('mixes all five operations roughly by weight', () => {
    const requests = generateWorkload(3, 5_000, universe);
    const total = VARIED_OPERATIONS.reduce((sum, op) => sum + op.weight, 0);
    for (const op of VARIED_OPERATIONS) {
      const share = requests.filter((r) => r.operation === op.name).length / requests.length;
      expect(Math.abs(share - op.weight / total)).toBeLessThan(0.05);
    }
  });

  it('draws variables only from the universe', () => {
    for (const { variables } of generateWorkload(5, 1_000, universe)) {
      for (const key of ['id', 'userId'] as const) {
        const id = variables[key];
        if (id !== undefined) {
          expect([...universe.userIds, ...universe.movieIds]).toContain(id);
        }
      }
      if (typeof variables.genre === 'string') expect(universe.genres).toContain(variables.genre);
      if (typeof variables.offset === 'number' && 'limit' in variables && !('genre' in variables)) {
        expect(variables.offset + (variables.limit as number)).toBeLessThanOrEqual(50);
      }
    }
  });

  it('lets a repeat through rather than loop when the universe is too small for the window', () => {
    const tiny = { userIds: ['1'], movieIds: ['2'], genres: ['Drama'] };
    const requests = generateWorkload(1, 1_000, tiny);
    expect(requests).toHaveLength(1_000);
    expect(new Set(requests.map((r) => r.body)).size).toBeLessThan(1_000);
  });

  it('refuses an empty universe', () => {
    expect(() => generateWorkload(1, 10, { ...universe, genres: [] })).toThrow(/genres/);
  });

  it('sends operations the supergraph accepts', () => {
    const sdl = readFileSync(path.resolve(__dirname, '../../../supergraph.graphql'), 'utf8');
    // As the gateways load it: without the security directives they do not implement.
    const api = Supergraph.build(withoutSecurityDirectives(sdl)).apiSchema().toGraphQLJSSchema();
    for (const op of VARIED_OPERATIONS) {
      expect(validate(api, parse(op.query)).map((e) => e.message)).toEqual([]);
    }
  });
});

describe('sampleEachOperation', () => {
  it('takes the first n requests of every operation, in sequence order', () => {
    const requests = generateWorkload(11, 300, universe);
    const sample = sampleEachOperation(requests, 2);
    expect(sample).toHaveLength(2 * VARIED_OPERATIONS.length);
    for (const op of VARIED_OPERATIONS) {
      const firstTwo = requests.filter((r) => r.operation === op.name).slice(0, 2);
      expect(sample.filter((r) => r.operation === op.name)).toEqual(firstTwo);
    }
  });
});
