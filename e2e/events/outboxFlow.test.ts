import { callerHeaders } from '@cinemaabyss/shared/identity';
import { startEventsService, eventually } from '@cinemaabyss/events-service/testing';
import type { RunningEventsService } from '@cinemaabyss/events-service/testing';
import { startMonolith } from '@cinemaabyss/legacy-monolith/testing';
import type { RunningMonolith } from '@cinemaabyss/legacy-monolith/testing';
import { startMoviesService } from '@cinemaabyss/movies-service/testing';
import type { RunningMoviesService } from '@cinemaabyss/movies-service/testing';
import { postGraphql, sendJson } from '@cinemaabyss/shared/testing';

interface ProcessedRow {
  event_id: string;
  type: string;
  action: string;
  payload: Record<string, unknown>;
  topic: string;
  kafka_key: string;
}

/**
 * Every write, through the monolith's REST API or the movies subgraph, reaches the events
 * service as exactly one event: domain row and outbox row commit together, the relay
 * publishes, the consumer processes by event id.
 */
describe('writes become events through the outbox', () => {
  let monolith: RunningMonolith;
  let movies: RunningMoviesService;
  let events: RunningEventsService;

  beforeAll(async () => {
    monolith = await startMonolith();
    movies = await startMoviesService({ db: monolith.db });
    events = await startEventsService({ db: monolith.db });
  });
  afterAll(async () => {
    await events?.stop();
    await movies?.stop();
    await monolith?.stop();
  });

  /** The processed events about one entity, once as many as expected have arrived. */
  async function processedAbout(
    type: string,
    idField: string,
    id: number,
    expected = 1,
  ): Promise<ProcessedRow[]> {
    const query = () =>
      monolith.db.pool
        .query<ProcessedRow>(
          `SELECT event_id, type, action, payload, topic, kafka_key FROM processed_events
            WHERE type = $1 AND payload->>$2 = $3 ORDER BY processed_at`,
          [type, idField, String(id)],
        )
        .then((result) => result.rows);
    await eventually(query, (rows) => rows.length >= expected);
    // Anything that was going to arrive twice would have by the time the relay is idle again.
    await eventually(
      () => monolith.db.pool.query('SELECT 1 FROM outbox WHERE published_at IS NULL'),
      (result) => result.rowCount === 0,
    );
    return query();
  }

  async function graphql<T>(query: string): Promise<T> {
    // As the gateway calls it for a caller allowed to rate for anyone.
    const { body } = await postGraphql<T>(`${movies.url}/graphql`, query, {
      headers: callerHeaders({ subject: 'tests', scopes: ['ratings:write:any'] }),
    });
    expect(body.errors).toBeUndefined();
    return body.data as T;
  }

  it('POST /api/users on the monolith → one user event on user-events, keyed by the user id', async () => {
    const { status, body: user } = await sendJson<{ id: number }>(`${monolith.url}/api/users`, {
      method: 'POST',
      body: { username: 'eve', email: 'eve@example.com' },
    });
    expect(status).toBe(201);

    const rows = await processedAbout('user', 'user_id', user.id);
    expect(rows).toEqual([
      {
        event_id: expect.any(String),
        type: 'user',
        action: 'created',
        payload: { user_id: user.id, action: 'created', username: 'eve', email: 'eve@example.com' },
        topic: events.topics.user,
        kafka_key: String(user.id),
      },
    ]);
  });

  it('POST /api/payments on the monolith → one payment event on payment-events', async () => {
    const { body: payment } = await sendJson<{ id: number; timestamp: string }>(
      `${monolith.url}/api/payments`,
      { method: 'POST', body: { user_id: 1, amount: 12.5 } },
    );

    const rows = await processedAbout('payment', 'payment_id', payment.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      action: 'created',
      payload: { payment_id: payment.id, user_id: 1, amount: 12.5, timestamp: payment.timestamp },
      topic: events.topics.payment,
      kafka_key: String(payment.id),
    });
  });

  it('POST /api/subscriptions on the monolith → one subscription event on payment-events', async () => {
    const { body: subscription } = await sendJson<{ id: number }>(
      `${monolith.url}/api/subscriptions`,
      {
        method: 'POST',
        body: {
          user_id: 2,
          plan_type: 'premium',
          start_date: '2025-01-01',
          end_date: '2025-12-31',
        },
      },
    );

    const rows = await processedAbout('subscription', 'subscription_id', subscription.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      action: 'created',
      payload: { subscription_id: subscription.id, user_id: 2, plan_type: 'premium' },
      topic: events.topics.payment,
    });
  });

  it('createMovie and rateMovie on the movies subgraph → movie events, ordered by the movie key', async () => {
    const { createMovie } = await graphql<{ createMovie: { id: string } }>(
      'mutation { createMovie(input: {title: "Stalker", description: "The Zone", genres: ["Sci-Fi"], rating: 8.1}) { id } }',
    );
    const movieId = Number(createMovie.id);
    await graphql(
      'mutation { r: rateMovie(userId: "3", movieId: "' + movieId + '", score: 9) { score } }',
    );

    const rows = await processedAbout('movie', 'movie_id', movieId, 2);
    expect(rows.map((row) => [row.action, row.kafka_key])).toEqual([
      ['created', String(movieId)],
      ['rated', String(movieId)],
    ]);
    expect(rows[0]?.payload).toEqual({
      movie_id: movieId,
      action: 'created',
      title: 'Stalker',
      description: 'The Zone',
      genres: ['Sci-Fi'],
      rating: 8.1,
    });
    expect(rows[1]?.payload).toEqual({
      movie_id: movieId,
      action: 'rated',
      user_id: 3,
      rating: 9,
      review: null,
    });
  });

  it('POST /api/movies on the monolith → one movie event too (the shared movie repository)', async () => {
    const { body: movie } = await sendJson<{ id: number }>(`${monolith.url}/api/movies`, {
      method: 'POST',
      body: { title: 'Solaris', description: 'An ocean', rating: 8 },
    });

    expect(await processedAbout('movie', 'movie_id', movie.id)).toHaveLength(1);
  });

  it('a rejected write records no event', async () => {
    const count = async () =>
      (await monolith.db.pool.query<{ n: number }>('SELECT count(*) AS n FROM outbox')).rows[0]?.n;
    const before = await count();

    const duplicate = await sendJson(`${monolith.url}/api/users`, {
      method: 'POST',
      body: { username: 'user1', email: 'other@example.com' },
    });
    const unknownUser = await sendJson(`${monolith.url}/api/payments`, {
      method: 'POST',
      body: { user_id: 424242, amount: 1 },
    });
    const badRating = await sendJson<{ errors?: unknown[] }>(`${movies.url}/graphql`, {
      method: 'POST',
      headers: callerHeaders({ subject: '1', scopes: [] }),
      body: { query: 'mutation { rateMovie(userId: "1", movieId: "424242", score: 5) { score } }' },
    });

    expect([duplicate.status, unknownUser.status]).toEqual([409, 400]);
    expect(badRating.body.errors).toHaveLength(1);
    expect(await count()).toBe(before);
  });
});
