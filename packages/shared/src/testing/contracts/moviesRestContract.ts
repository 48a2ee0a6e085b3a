import type { Pool } from '../../db';
import { sendJson } from '../http';
import { expectError } from './expectations';

export interface MoviesTarget {
  /** Base URL of a server that serves `/api/movies`. */
  url: string;
  /** The database behind it, to prove that rejected requests write nothing. */
  pool: Pool;
}

interface Movie {
  id: number;
  title: string;
  description: string;
  genres: string[];
  rating: number;
}

const SEED_TITLES = [
  'The Shawshank Redemption',
  'The Godfather',
  'The Dark Knight',
  'Pulp Fiction',
  'Forrest Gump',
];

const validMovie = {
  title: 'Inception',
  description: 'A thief who steals corporate secrets through dream-sharing technology.',
  genres: ['Sci-Fi', 'Action'],
  rating: 8.8,
};

async function movieRows(pool: Pool): Promise<number> {
  const { rows } = await pool.query<{ n: number }>(
    'SELECT (SELECT count(*) FROM movies) + (SELECT count(*) FROM movie_genres) AS n',
  );
  return rows[0]?.n ?? -1;
}

/**
 * The `/api/movies` part of the REST contract, as one suite any backend must pass: the legacy
 * monolith today, the movies service the strangler migrates to.
 */
export function describeMoviesRestContract(
  name: string,
  start: () => Promise<MoviesTarget & { stop(): Promise<void> }>,
) {
  describe(`${name}: /api/movies REST contract`, () => {
    let target: MoviesTarget & { stop(): Promise<void> };
    const url = (path = '') => `${target.url}/api/movies${path}`;

    beforeAll(async () => {
      target = await start();
    });
    afterAll(async () => {
      await target?.stop();
    });

    it('lists the seed movies with their genres and ratings', async () => {
      const response = await sendJson<Movie[]>(url());
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^application\/json/);
      expect(response.body.slice(0, 5).map((m) => m.title)).toEqual(SEED_TITLES);
      expect(response.body[2]).toEqual({
        id: 3,
        title: 'The Dark Knight',
        description: expect.stringContaining('Joker'),
        genres: ['Action', 'Crime', 'Drama'],
        rating: 9,
      });
    });

    it('returns one movie for ?id=N', async () => {
      const response = await sendJson<Movie>(url('?id=5'));
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({
        id: 5,
        title: 'Forrest Gump',
        genres: ['Drama', 'Romance'],
        rating: 8.8,
      });
    });

    it('looks up a batch with ?ids=, in id order, leaving unknown ids out', async () => {
      const response = await sendJson<Movie[]>(url('?ids=5,999999,1,5'));
      expect(response.status).toBe(200);
      expect(response.body.map((movie) => [movie.id, movie.title])).toEqual([
        [1, 'The Shawshank Redemption'],
        [5, 'Forrest Gump'],
      ]);
      const one = await sendJson<Movie>(url('?id=5'));
      expect(response.body[1]).toEqual(one.body);
    });

    it.each([
      ['?ids=', /ids/],
      ['?ids=1,abc', /ids/],
      ['?id=1&ids=2', /id and ids cannot be combined/],
    ])('answers 400 for %s', async (query, message) => {
      expectError(await sendJson(url(query)), 400, message);
    });

    it('answers 404 for an id that does not exist', async () => {
      expectError(await sendJson(url('?id=999999')), 404, /movie 999999/);
    });

    it.each(['abc', '0', '-1', '1.5', '99999999999'])('answers 400 for ?id=%s', async (id) => {
      expectError(await sendJson(url(`?id=${id}`)), 400, /\bid\b/);
    });

    it('creates a movie (201) that is then listed and fetchable by id', async () => {
      const created = await sendJson<Movie>(url(), { method: 'POST', body: validMovie });
      expect(created.status).toBe(201);
      expect(created.body).toEqual({ id: expect.any(Number), ...validMovie });

      const fetched = await sendJson<Movie>(url(`?id=${created.body.id}`));
      expect(fetched.body).toEqual(created.body);
      const listed = await sendJson<Movie[]>(url());
      expect(listed.body).toContainEqual(created.body);
    });

    it('creates a movie without genres as genres: []', async () => {
      const withoutGenres: Partial<typeof validMovie> = { ...validMovie };
      delete withoutGenres.genres;
      const created = await sendJson<Movie>(url(), {
        method: 'POST',
        body: { ...withoutGenres, title: 'No Genres' },
      });
      expect(created.status).toBe(201);
      expect(created.body.genres).toEqual([]);
    });

    it.each<[string, unknown, RegExp]>([
      ['malformed JSON', '{"title": "x",', /malformed JSON/],
      ['an array body', [validMovie], /JSON object/],
      ['a missing title', { ...validMovie, title: undefined }, /title is required/],
      ['an empty title', { ...validMovie, title: '   ' }, /title/],
      ['a numeric title', { ...validMovie, title: 42 }, /title must be a string/],
      [
        'a missing description',
        { ...validMovie, description: undefined },
        /description is required/,
      ],
      ['a missing rating', { ...validMovie, rating: undefined }, /rating is required/],
      ['a string rating', { ...validMovie, rating: '8.8' }, /rating must be a number/],
      ['a rating above 10', { ...validMovie, rating: 10.1 }, /rating/],
      ['a negative rating', { ...validMovie, rating: -1 }, /rating/],
      [
        'a rating with two decimals',
        { ...validMovie, rating: 8.55 },
        /rating must have at most 1 decimal/,
      ],
      ['genres that are not an array', { ...validMovie, genres: 'Drama' }, /genres/],
      ['a non-string genre', { ...validMovie, genres: ['Drama', 7] }, /genres/],
    ])('rejects %s with 400 and writes nothing', async (_case, body, message) => {
      const before = await movieRows(target.pool);
      expectError(await sendJson(url(), { method: 'POST', body }), 400, message);
      expect(await movieRows(target.pool)).toBe(before);
    });

    it('rejects a body over 1 MiB with 413', async () => {
      const body = { ...validMovie, description: 'x'.repeat(1024 * 1024 + 1) };
      expectError(await sendJson(url(), { method: 'POST', body }), 413, /larger than/);
    });

    it('rejects a non-JSON content type with 415', async () => {
      expectError(
        await sendJson(url(), {
          method: 'POST',
          body: 'title=x',
          headers: { 'content-type': 'text/plain' },
        }),
        415,
        /application\/json/,
      );
    });

    it('answers 405 with an Allow header for an unsupported method', async () => {
      const response = await sendJson(url(), { method: 'DELETE' });
      expectError(response, 405, /DELETE/);
      expect(response.headers.get('allow')).toContain('GET');
      expect(response.headers.get('allow')).toContain('POST');
    });
  });
}
