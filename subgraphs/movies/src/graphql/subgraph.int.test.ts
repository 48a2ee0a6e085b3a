import { callerHeaders } from '@cinemaabyss/shared/identity';
import type { Caller } from '@cinemaabyss/shared/identity';
import { postGraphql, sendJson } from '@cinemaabyss/shared/testing';
import type { GraphqlBody } from '@cinemaabyss/shared/testing';
import { startMoviesService } from '../testing/startMoviesService';
import type { RunningMoviesService } from '../testing/startMoviesService';

describe('movies subgraph', () => {
  let service: RunningMoviesService;

  /** As the gateway calls the subgraph: for `caller` (default: one who may rate for anyone; null: anonymous). */
  async function graphql<T = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
    caller: Caller | null = { subject: 'tests', scopes: ['ratings:write:any'] },
  ) {
    const response = await postGraphql<T>(`${service.url}/graphql`, query, {
      variables,
      headers: callerHeaders(caller ?? undefined),
    });
    return response.body;
  }

  /** Counts the SQL statements the service sends while fn runs. */
  async function countQueries(fn: () => Promise<unknown>): Promise<string[]> {
    const spy = jest.spyOn(service.db.pool, 'query');
    try {
      await fn();
      return spy.mock.calls.map((call) => String(call[0]));
    } finally {
      spy.mockRestore();
    }
  }

  beforeAll(async () => {
    service = await startMoviesService();
  });
  afterAll(async () => {
    await service.stop();
  });

  it('publishes its SDL with the Movie and User keys', async () => {
    const { data } = await graphql<{ _service: { sdl: string } }>('{ _service { sdl } }');
    expect(data?._service.sdl).toMatch(/type Movie\s+@key\(fields: "id"\)/);
    expect(data?._service.sdl).toMatch(/type User\s+@key\(fields: "id"\)/);
  });

  it('resolves 100 movie references with exactly one SQL statement', async () => {
    const { rows } = await service.db.pool.query<{ id: number }>(
      `INSERT INTO movies (title, rating) SELECT 'Bulk ' || n, 5 FROM generate_series(1, 95) n RETURNING id`,
    );
    const ids = [1, 2, 3, 4, 5, ...rows.map((r) => r.id)];
    expect(ids).toHaveLength(100);
    let result: GraphqlBody<{ _entities: { id: string; title: string }[] }> = {};
    const queries = await countQueries(async () => {
      result = await graphql(
        'query ($r: [_Any!]!) { _entities(representations: $r) { ... on Movie { id title genres } } }',
        { r: ids.map((id) => ({ __typename: 'Movie', id: String(id) })) },
      );
    });
    expect(result.errors).toBeUndefined();
    expect(result.data?._entities.map((m) => m.id)).toEqual(ids.map(String));
    expect(result.data?._entities[0]?.title).toBe('The Shawshank Redemption');
    expect(queries.filter((q) => /FROM movies/.test(q))).toHaveLength(1);
    expect(queries).toHaveLength(1);
  });

  it('resolves the ratings of many user references with one SQL statement per type', async () => {
    await graphql(
      'mutation { a: rateMovie(userId: "1", movieId: "1", score: 9) { score } b: rateMovie(userId: "2", movieId: "2", score: 7, review: "Long") { score } }',
    );
    let result: GraphqlBody<{
      _entities: { id: string; ratings: { score: number; movie: { title: string } }[] }[];
    }> = {};
    const queries = await countQueries(async () => {
      result = await graphql(
        'query ($r: [_Any!]!) { _entities(representations: $r) { ... on User { id ratings { score review movie { title averageRating } } } } }',
        { r: [1, 2, 3].map((id) => ({ __typename: 'User', id: String(id) })) },
      );
    });
    expect(result.errors).toBeUndefined();
    expect(result.data?._entities).toEqual([
      {
        id: '1',
        ratings: [
          {
            score: 9,
            review: null,
            movie: { title: 'The Shawshank Redemption', averageRating: 9 },
          },
        ],
      },
      {
        id: '2',
        ratings: [
          { score: 7, review: 'Long', movie: { title: 'The Godfather', averageRating: 7 } },
        ],
      },
      { id: '3', ratings: [] },
    ]);
    // ratings, then the movies they point at, then their averages: one statement each.
    expect(queries).toHaveLength(3);
  });

  it('lists movies filtered by genre, case-insensitively', async () => {
    const { data } = await graphql<{ movies: { title: string; genres: string[] }[] }>(
      '{ movies(genre: "crime") { title genres } }',
    );
    expect(data?.movies.map((m) => m.title)).toEqual([
      'The Godfather',
      'The Dark Knight',
      'Pulp Fiction',
    ]);
  });

  it('pages with limit and offset', async () => {
    const { data } = await graphql<{ movies: { id: string }[] }>(
      '{ movies(limit: 2, offset: 1) { id } }',
    );
    expect(data?.movies).toEqual([{ id: '2' }, { id: '3' }]);
  });

  it.each([
    ['limit: 0', /limit must be between 1 and 500/],
    ['limit: 501', /limit must be between 1 and 500/],
    ['offset: -1', /offset must not be negative/],
  ])('rejects movies(%s) with BAD_USER_INPUT', async (args, message) => {
    const { errors } = await graphql(`{ movies(${args}) { id } }`);
    expect(errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(errors?.[0]?.message).toMatch(message);
  });

  it('returns one movie by id, null for an unknown id, BAD_USER_INPUT for a malformed one', async () => {
    expect((await graphql('{ movie(id: "4") { title rating } }')).data).toEqual({
      movie: { title: 'Pulp Fiction', rating: 8.9 },
    });
    expect((await graphql('{ movie(id: "99999") { title } }')).data).toEqual({ movie: null });
    const { errors } = await graphql('{ movie(id: "abc") { title } }');
    expect(errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('creates a movie that REST then serves', async () => {
    const { data, errors } = await graphql<{ createMovie: { id: string; genres: string[] } }>(
      'mutation ($input: CreateMovieInput!) { createMovie(input: $input) { id title genres rating } }',
      {
        input: {
          title: 'Arrival',
          description: 'Linguist meets heptapods.',
          genres: ['Sci-Fi'],
          rating: 7.9,
        },
      },
    );
    expect(errors).toBeUndefined();
    const rest = await sendJson(`${service.url}/api/movies?id=${data?.createMovie.id}`);
    expect(rest.body).toEqual({
      id: Number(data?.createMovie.id),
      title: 'Arrival',
      description: 'Linguist meets heptapods.',
      genres: ['Sci-Fi'],
      rating: 7.9,
    });
  });

  it.each([
    [{ title: '', description: 'd', rating: 5 }, /title must not be empty/],
    [{ title: 'T', description: 'd', rating: 10.5 }, /rating must be at least 0 and at most 10/],
    [{ title: 'T', description: 'd', rating: 5.55 }, /rating must have at most 1 decimal/],
  ])('rejects createMovie(%j) with BAD_USER_INPUT and writes nothing', async (input, message) => {
    const count = async () =>
      (await service.db.pool.query<{ n: number }>('SELECT count(*) AS n FROM movies')).rows[0]?.n;
    const before = await count();
    const { errors } = await graphql(
      'mutation ($input: CreateMovieInput!) { createMovie(input: $input) { id } }',
      { input },
    );
    expect(errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(errors?.[0]?.message).toMatch(message);
    expect(await count()).toBe(before);
  });

  it('rates a movie, and rating again replaces the score', async () => {
    const rate = (score: number) =>
      graphql<{ rateMovie: { score: number; movie: { averageRating: number } } }>(
        `mutation { rateMovie(userId: "3", movieId: "5", score: ${score}, review: "ok") { score review movie { title averageRating } } }`,
      );
    expect((await rate(4)).data?.rateMovie).toEqual({
      score: 4,
      review: 'ok',
      movie: { title: 'Forrest Gump', averageRating: 4 },
    });
    expect((await rate(8)).data?.rateMovie.movie.averageRating).toBe(8);
    const { rows } = await service.db.pool.query(
      'SELECT score FROM user_ratings WHERE user_id = 3 AND movie_id = 5',
    );
    expect(rows).toEqual([{ score: 8 }]);
  });

  it.each([
    ['score: 0', 'userId: "1", movieId: "1"', /score must be between 1 and 10/],
    ['score: 11', 'userId: "1", movieId: "1"', /score must be between 1 and 10/],
    ['score: 5', 'userId: "4242", movieId: "1"', /user 4242 does not exist/],
    ['score: 5', 'userId: "1", movieId: "4242"', /movie 4242 does not exist/],
    ['score: 5', 'userId: "x", movieId: "1"', /userId must be a positive integer id/],
  ])(
    'rejects rateMovie(%s, %s) with BAD_USER_INPUT and writes nothing',
    async (score, ids, message) => {
      const count = async () =>
        (await service.db.pool.query<{ n: number }>('SELECT count(*) AS n FROM user_ratings'))
          .rows[0]?.n;
      const before = await count();
      const { errors } = await graphql(`mutation { rateMovie(${ids}, ${score}) { score } }`);
      expect(errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      expect(errors?.[0]?.message).toMatch(message);
      expect(await count()).toBe(before);
    },
  );

  it('hides internal failures as "internal error" without SQL', async () => {
    await service.db.pool.query('ALTER TABLE user_ratings RENAME TO user_ratings_gone');
    try {
      const { errors } = await graphql(
        '{ _entities(representations: [{__typename: "User", id: "1"}]) { ... on User { ratings { score } } } }',
      );
      expect(errors?.[0]).toMatchObject({
        message: 'internal error',
        extensions: { code: 'INTERNAL_SERVER_ERROR' },
      });
      expect(JSON.stringify(errors)).not.toMatch(/user_ratings|SELECT|stack/);
    } finally {
      await service.db.pool.query('ALTER TABLE user_ratings_gone RENAME TO user_ratings');
    }
  });

  it('lets a caller rate as themselves only, unless they may rate for anyone', async () => {
    const rate = (caller: Caller | null) =>
      graphql<{ rateMovie: { score: number } | null }>(
        'mutation { rateMovie(userId: "2", movieId: "4", score: 6) { score } }',
        undefined,
        caller,
      );
    expect((await rate({ subject: '2', scopes: [] })).data?.rateMovie).toEqual({ score: 6 });
    for (const caller of [{ subject: '1', scopes: [] }, null]) {
      const refused = await rate(caller);
      expect(refused.data?.rateMovie).toBeNull();
      expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    }
  });
});
