import { randomUUID } from 'node:crypto';
import { sendJson } from '@cinemaabyss/shared/testing';
import { eventually, produceRaw, readRecordAt, readRecords, startEventsService } from './testing';
import type { RunningEventsService } from './testing';

interface Produced {
  status: string;
  partition: number;
  offset: number;
  event: { id: string; type: string; timestamp: string; payload: Record<string, unknown> };
}

interface Listed {
  id: string;
  type: string;
  action: string;
  payload: Record<string, unknown>;
  topic: string;
}

describe('events service', () => {
  let service: RunningEventsService;

  const post = (kind: string, body: unknown) =>
    sendJson<Produced & { error?: string }>(`${service.url}/api/events/${kind}`, {
      method: 'POST',
      body,
    });
  const listed = async (query = '') =>
    (await sendJson<Listed[]>(`${service.url}/api/events${query}`)).body;
  const processedCount = async (id: string) =>
    (
      await service.db.pool.query<{ n: number }>(
        'SELECT count(*) AS n FROM processed_events WHERE event_id = $1',
        [id],
      )
    ).rows[0]?.n;

  beforeAll(async () => {
    service = await startEventsService({
      // Stands in for real per-event work that fails on one kind of input.
      handlers: {
        user: async (_client, event) => {
          if (event.payload.username === 'explodes') throw new Error('cannot handle this user');
        },
      },
    });
  });
  afterAll(async () => {
    await service.stop();
  });

  it('answers GET /api/events/health with {"status": true}', async () => {
    const response = await sendJson(`${service.url}/api/events/health`);
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ status: true });
  });

  it.each([
    [
      'movie',
      { movie_id: 7, title: 'Heat', action: 'viewed', user_id: 2, rating: 8.5, genres: ['Crime'] },
      '7',
    ],
    [
      'user',
      { user_id: 3, action: 'logged_in', timestamp: '2025-01-31T10:00:00Z', username: 'u3' },
      '3',
    ],
    [
      'payment',
      {
        payment_id: 11,
        user_id: 3,
        amount: 9.99,
        status: 'completed',
        timestamp: '2025-01-31T10:00:00Z',
        method_type: 'card',
      },
      '11',
    ],
  ])(
    'POST /api/events/%s answers 201 with the partition and offset the record really has',
    async (kind, body, key) => {
      const response = await post(kind, body);

      expect(response.status).toBe(201);
      expect(response.body).toMatchObject({
        status: 'success',
        partition: expect.any(Number),
        offset: expect.any(Number),
        event: { id: expect.any(String), type: kind, timestamp: expect.any(String), payload: body },
      });
      const topic = service.topics[kind as 'movie' | 'user' | 'payment'];
      const record = await readRecordAt(service.brokers, {
        topic,
        partition: response.body.partition,
        offset: response.body.offset,
      });
      expect(record.key).toBe(key);
      const value = JSON.parse(String(record.value)) as Produced['event'];
      expect(value).toMatchObject(response.body.event);
      expect(value).toHaveProperty('action');
    },
  );

  it('processes a produced event once and lists it for operators', async () => {
    const { body } = await post('movie', { movie_id: 8, title: 'Ran', action: 'viewed' });

    const events = await eventually(
      () => listed('?type=movie&limit=500'),
      (list) => list.some((e) => e.id === body.event.id),
    );
    expect(events.find((e) => e.id === body.event.id)).toMatchObject({
      type: 'movie',
      action: 'viewed',
      payload: { movie_id: 8, title: 'Ran', action: 'viewed' },
      topic: service.topics.movie,
    });
    expect(await processedCount(body.event.id)).toBe(1);
  });

  it('processes a redelivered event (same id twice on the topic) only once', async () => {
    const event = {
      id: randomUUID(),
      type: 'user',
      action: 'created',
      timestamp: '2025-02-01T00:00:00Z',
      payload: { user_id: 99 },
    };
    const record = { topic: service.topics.user, key: '99', value: JSON.stringify(event) };
    await produceRaw(service.brokers, [record, record]);
    const later = await post('user', { user_id: 99, action: 'updated', timestamp: '2025-02-02' });

    // Same key, same partition: once the later event is processed, both copies were handled.
    await eventually(
      () => processedCount(later.body.event.id),
      (n) => n === 1,
    );
    expect(await processedCount(event.id)).toBe(1);
    const metrics = await fetch(`${service.url}/metrics`).then((r) => r.text());
    expect(metrics).toMatch(
      new RegExp(`events_consumed_total\\{topic="${service.topics.user}",outcome="duplicate"\\} 1`),
    );
  });

  it('sends poison records to the dead-letter topic and goes on with later ones', async () => {
    const topic = service.topics.payment;
    // Same key as the valid event, so they share a partition and the poison comes first.
    await produceRaw(service.brokers, [
      { topic, key: '5', value: 'not json at all' },
      { topic, key: '5', value: JSON.stringify({ type: 'payment', payload: {} }) },
    ]);
    const after = await post('payment', {
      payment_id: 5,
      user_id: 1,
      amount: 1,
      status: 'refunded',
      timestamp: '2025-03-01T00:00:00Z',
    });

    await eventually(
      () => processedCount(after.body.event.id),
      (n) => n === 1,
    );
    const dead = await readRecords(service.brokers, service.topics.deadLetter, (rs) =>
      rs.some((r) => r.headers['dlq-reason']?.includes('invalid event')),
    );
    const fromPayments = dead.filter((r) => r.headers['dlq-original-topic'] === topic);
    expect(fromPayments.map((r) => [String(r.value), r.headers['dlq-reason']])).toEqual([
      ['not json at all', 'record value is not JSON'],
      [expect.stringContaining('"type":"payment"'), expect.stringMatching(/^invalid event: id/)],
    ]);
    expect(fromPayments[0]?.key).toBe('5');
    expect(fromPayments[0]?.headers).toMatchObject({
      'dlq-original-partition': String(after.body.partition),
      'dlq-attempts': '0',
    });
  });

  it('dead-letters an event whose handling fails 3 times, records nothing for it, and goes on', async () => {
    const bad = await post('user', {
      user_id: 41,
      action: 'created',
      timestamp: '2025-01-01',
      username: 'explodes',
    });
    const good = await post('user', { user_id: 41, action: 'updated', timestamp: '2025-01-02' });

    await eventually(
      () => processedCount(good.body.event.id),
      (n) => n === 1,
    );
    expect(await processedCount(bad.body.event.id)).toBe(0);
    const dead = await readRecords(service.brokers, service.topics.deadLetter, (rs) =>
      rs.some((r) => String(r.value).includes(bad.body.event.id)),
    );
    const letter = dead.find((r) => String(r.value).includes(bad.body.event.id));
    expect(letter?.headers).toMatchObject({
      'dlq-attempts': '3',
      'dlq-original-topic': service.topics.user,
      'dlq-reason': expect.stringContaining('cannot handle this user'),
    });
    const metrics = await fetch(`${service.url}/metrics`).then((r) => r.text());
    expect(metrics).toMatch(/events_dead_lettered_total\{topic="[^"]+",reason="failed"\} 1/);
  });

  it.each([
    ['movie', { title: 'T', action: 'a' }, 'movie_id is required'],
    ['movie', { movie_id: 'x', title: 'T', action: 'a' }, 'movie_id must be an integer'],
    ['movie', { movie_id: 1, title: 'T' }, 'action is required'],
    ['movie', { movie_id: 1, title: 'T', action: 'a', rating: 11 }, 'rating must be'],
    ['user', { user_id: 1, action: 'a' }, 'timestamp is required'],
    ['user', { user_id: 1, action: 'a', timestamp: 'yesterday' }, 'timestamp must be'],
    ['user', { user_id: 1, action: 'a', timestamp: '2025-01-01', email: 'x' }, 'email must be'],
    ['payment', { payment_id: 1, user_id: 1, status: 's', timestamp: '2025-01-01' }, 'amount'],
    [
      'payment',
      { payment_id: 1, user_id: 1, amount: -5, status: 's', timestamp: '2025-01-01' },
      'amount must be greater than 0',
    ],
    ['payment', [1, 2], 'request body must be a JSON object'],
  ])('POST /api/events/%s with %j is a 400 naming the problem', async (kind, body, message) => {
    const response = await post(kind, body);
    expect(response.status).toBe(400);
    expect(response.body.error).toContain(message);
  });

  it('rejects malformed JSON with 400 and other methods with 405', async () => {
    const malformed = await post('movie', '{"movie_id": ');
    expect(malformed.status).toBe(400);
    expect(malformed.body).toEqual({ error: 'malformed JSON in request body' });
    const wrongMethod = await sendJson(`${service.url}/api/events/movie`);
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get('allow')).toBe('POST');
  });

  it.each([
    ['?type=review', 'query parameter type must be one of movie, user, payment, subscription'],
    ['?limit=0', 'query parameter limit must be an integer from 1 to 500'],
    ['?limit=501', 'query parameter limit must be an integer from 1 to 500'],
    ['?limit=ten', 'query parameter limit must be an integer from 1 to 500'],
  ])('GET /api/events%s is a 400', async (query, error) => {
    const response = await sendJson(`${service.url}/api/events${query}`);
    expect(response.status).toBe(400);
    expect(response.body).toEqual({ error });
  });

  it('bounds the operator list by limit, newest first', async () => {
    const all = await listed('?limit=500');
    expect(all.length).toBeGreaterThan(2);
    const two = await listed('?limit=2');
    expect(two).toEqual(all.slice(0, 2));
  });

  it('exposes Prometheus metrics for produced, consumed, lag and dead letters', async () => {
    const response = await fetch(`${service.url}/metrics`);
    const text = await response.text();
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(text).toMatch(
      new RegExp(`events_produced_total\\{topic="${service.topics.movie}",source="rest"\\} \\d+`),
    );
    expect(text).toMatch(/events_consumed_total\{topic="[^"]+",outcome="processed"\} \d+/);
    expect(text).toMatch(/events_consumer_lag\{topic="[^"]+",partition="\d"\} \d+/);
    expect(text).toMatch(/events_dead_lettered_total\{topic="[^"]+",reason="invalid"\} 2/);
  });
});
