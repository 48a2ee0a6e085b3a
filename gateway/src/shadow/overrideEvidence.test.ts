import { readFileSync } from 'node:fs';
import path from 'node:path';
import { buildSchema, parse, print, stripIgnoredCharacters } from 'graphql';
import { indexOverrides } from '../graphql/overrideIndex';
import { isInEvidence, overrideEvidence, projectEvidence } from './overrideEvidence';
import type { Evidence } from './overrideEvidence';

const supergraph = readFileSync(path.join(__dirname, '../../../supergraph.graphql'), 'utf8');
const schema = buildSchema(supergraph);
const index = indexOverrides(supergraph);

const cutDown = (query: string, operationName?: string) =>
  overrideEvidence(parse(query), operationName, schema, index, 'migration:movies');
const evidenceOf = (query: string, operationName?: string) =>
  cutDown(query, operationName)?.evidence;
/** The cut-down operation as text, on one line. */
const asked = (query: string, operationName?: string) =>
  stripIgnoredCharacters(print(cutDown(query, operationName)!.document));

/** The evidence as nested plain objects (`true` for a leaf), to read in an assertion. */
function shape(evidence: Evidence | undefined): unknown {
  if (!evidence) return undefined;
  if (evidence.leaf) return true;
  return Object.fromEntries([...evidence.children].map(([key, child]) => [key, shape(child)]));
}

describe('the evidence of an answer on an override label', () => {
  it('takes overridden fields, and beneath them the fields both sides resolve', () => {
    expect(shape(evidenceOf('{ movie(id: "1") { id title averageRating } }'))).toEqual({
      movie: { id: true, title: true },
    });
  });

  it('leaves out what one subgraph serves in both plans, down to the overridden field', () => {
    const query = '{ users { username ratings { score movie { id title } } } }';
    expect(shape(evidenceOf(query))).toEqual({ users: { ratings: { movie: { title: true } } } });
  });

  it('follows aliases, fragments and the named operation', () => {
    const query = `
      query Other { users { username } }
      query Movies { first: movie(id: "1") { ...Parts } movies { ... on Movie { rating } } }
      fragment Parts on Movie { genres }`;
    expect(shape(evidenceOf(query, 'Movies'))).toEqual({
      first: { genres: true },
      movies: { rating: true },
    });
    expect(evidenceOf(query, 'Other')).toBeUndefined();
  });

  it('projects an answer onto its evidence, keeping lists, nulls and shape', () => {
    const evidence = evidenceOf('{ movies { id averageRating title } movie(id: "9") { title } }')!;
    const data = {
      movies: [
        { id: '1', averageRating: 7.5, title: 'Alien' },
        { id: '2', averageRating: null, title: 'Heat' },
      ],
      movie: null,
    };
    expect(projectEvidence(data, evidence)).toEqual({
      movies: [
        { id: '1', title: 'Alien' },
        { id: '2', title: 'Heat' },
      ],
      movie: null,
    });
  });

  it('cuts the operation down to its evidence and the selections leading to it', () => {
    expect(
      asked(
        'query P($id: ID!, $n: Int!) { user(id: $id) { email payments(limit: $n) { id } ratings { score movie { id title } } } }',
      ),
    ).toBe('query P($id:ID!){user(id:$id){ratings{movie{title}}}}');
    // An overridden object whose only evidence is its shape keeps __typename.
    expect(asked('{ movie(id: "1") { averageRating } }')).toBe('{movie(id:"1"){__typename}}');
    expect(
      asked(
        'query M($skip: Boolean!) { first: movie(id: "1") { ...Parts } } fragment Parts on Movie { genres averageRating title @skip(if: $skip) }',
      ),
    ).toBe(
      'query M($skip:Boolean!){first:movie(id:"1"){...on Movie{genres title@skip(if:$skip)}}}',
    );
  });

  it('tells whether an error’s path lies in the evidence', () => {
    const evidence = evidenceOf(
      '{ users { email ratings { movie { title } } } movie(id: "1") { id } }',
    )!;
    expect(isInEvidence(['users', 3, 'ratings', 0, 'movie', 'title'], evidence)).toBe(true);
    expect(isInEvidence(['movie'], evidence)).toBe(true);
    expect(isInEvidence(undefined, evidence)).toBe(true);
    expect(isInEvidence(['users', 3, 'email'], evidence)).toBe(false);
    expect(isInEvidence(['user'], evidence)).toBe(false);
  });
});
