import { AppError } from '@cinemaabyss/shared/http';
import { eventFromRequest } from './eventInputs';

describe('eventFromRequest', () => {
  it('keys a movie event by movie_id and drops optional fields sent as null', () => {
    const { key, event } = eventFromRequest('movie', {
      movie_id: 3,
      title: ' Heat ',
      action: 'viewed',
      user_id: null,
    });
    expect(key).toBe('3');
    expect(event).toMatchObject({
      type: 'movie',
      action: 'viewed',
      payload: { movie_id: 3, title: 'Heat', action: 'viewed' },
    });
    expect(event.payload).not.toHaveProperty('user_id');
  });

  it('normalizes a user event timestamp to RFC 3339 UTC', () => {
    const { key, event } = eventFromRequest('user', {
      user_id: 8,
      action: 'logged_in',
      timestamp: '2025-01-31T12:00:00+02:00',
    });
    expect(key).toBe('8');
    expect(event.payload.timestamp).toBe('2025-01-31T10:00:00Z');
  });

  it('uses a payment status as the action and keys it by payment_id', () => {
    const { key, event } = eventFromRequest('payment', {
      payment_id: 12,
      user_id: 1,
      amount: 10.5,
      status: 'refunded',
      timestamp: '2025-01-31',
    });
    expect(key).toBe('12');
    expect(event).toMatchObject({ type: 'payment', action: 'refunded' });
  });

  it.each([
    ['movie', null, 'request body must be a JSON object'],
    ['movie', { movie_id: 0, title: 't', action: 'a' }, 'movie_id must be between'],
    ['user', { user_id: 1, action: '', timestamp: '2025-01-01' }, 'action must not be empty'],
    [
      'payment',
      { payment_id: 1, user_id: 1, amount: 1.234, status: 's', timestamp: '2025-01-01' },
      'amount must have at most 2 decimal places',
    ],
  ] as const)('rejects a bad %s body with a 400 naming the field', (kind, body, message) => {
    expect(() => eventFromRequest(kind, body)).toThrow(AppError);
    expect(() => eventFromRequest(kind, body)).toThrow(message);
  });
});
