import { describeMoviesRestContract, sendJson } from '@cinemaabyss/shared/testing';
import { startMonolith } from '@cinemaabyss/legacy-monolith/testing';
import type { RunningMonolith } from '@cinemaabyss/legacy-monolith/testing';
import { startMoviesService } from './testing/startMoviesService';
import type { RunningMoviesService } from './testing/startMoviesService';

describeMoviesRestContract('movies service', async () => {
  const service = await startMoviesService();
  return { url: service.url, pool: service.db.pool, stop: service.stop };
});

describe('movies service and legacy monolith over the same tables', () => {
  let monolith: RunningMonolith;
  let movies: RunningMoviesService;

  beforeAll(async () => {
    monolith = await startMonolith();
    movies = await startMoviesService({ db: monolith.db });
  });
  afterAll(async () => {
    await movies.stop();
    await monolith.stop();
  });

  it.each([
    ['the monolith', () => monolith.url, () => movies.url],
    ['the movies service', () => movies.url, () => monolith.url],
  ])('serves a movie created through %s from both backends', async (_via, writer, reader) => {
    const created = await sendJson<{ id: number }>(`${writer()}/api/movies`, {
      method: 'POST',
      body: { title: `Shared ${Math.random()}`, description: 'd', genres: ['Drama'], rating: 7.5 },
    });
    expect(created.status).toBe(201);
    const read = await sendJson(`${reader()}/api/movies?id=${created.body.id}`);
    expect(read.status).toBe(200);
    expect(read.body).toEqual(created.body);
  });
});

describe('movies service health', () => {
  it('answers GET /api/movies/health with {"status": true}', async () => {
    const service = await startMoviesService();
    try {
      const response = await sendJson(`${service.url}/api/movies/health`);
      expect(response.status).toBe(200);
      expect(response.body).toEqual({ status: true });
    } finally {
      await service.stop();
    }
  });
});
