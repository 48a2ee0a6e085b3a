import { createDomainEvent, parseDomainEvent, topicForEventType } from './domainEvent';
import { movieRatedEvent, subscriptionCreatedEvent } from './entityEvents';

describe('domain events', () => {
  it('round-trips an event through its JSON record value', () => {
    const event = createDomainEvent(
      'user',
      'created',
      { user_id: 4 },
      new Date('2025-01-31T10:00:00Z'),
    );
    expect(event).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      type: 'user',
      action: 'created',
      timestamp: '2025-01-31T10:00:00Z',
      payload: { user_id: 4 },
    });
    expect(parseDomainEvent(Buffer.from(JSON.stringify(event)))).toEqual({ ok: true, event });
  });

  it.each([
    [null, 'record has no value'],
    ['not json', 'record value is not JSON'],
    ['[1]', 'invalid event: event:'],
    [
      '{"type":"user","action":"a","timestamp":"2025-01-01T00:00:00Z","payload":{}}',
      'invalid event: id:',
    ],
    [
      '{"id":"6f1c3a56-1b5e-4a4e-9d1f-2f6f2b3f0c11","type":"review","action":"a","timestamp":"2025-01-01T00:00:00Z","payload":{}}',
      'invalid event: type:',
    ],
  ])('refuses %j as poison: %s', (value, reason) => {
    const result = parseDomainEvent(value);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.reason).toMatch(new RegExp(`^${reason.replace(/[[\]]/g, '\\$&')}`));
  });

  it('routes each type to its topic; subscriptions travel with payments', () => {
    expect(topicForEventType('movie')).toBe('movie-events');
    expect(topicForEventType('user')).toBe('user-events');
    expect(topicForEventType('payment')).toBe('payment-events');
    expect(topicForEventType('subscription')).toBe('payment-events');
  });

  it('keys a rating by its movie, so it follows the movie on one partition', () => {
    const { key, event } = movieRatedEvent({ userId: 2, movieId: 9, score: 7, review: null });
    expect(key).toBe('9');
    expect(event).toMatchObject({
      type: 'movie',
      action: 'rated',
      payload: { movie_id: 9, user_id: 2 },
    });
    expect(
      subscriptionCreatedEvent({
        id: 5,
        user_id: 1,
        plan_type: 'basic',
        start_date: '2025-01-01T00:00:00Z',
        end_date: '2025-02-01T00:00:00Z',
      }).key,
    ).toBe('5');
  });
});
