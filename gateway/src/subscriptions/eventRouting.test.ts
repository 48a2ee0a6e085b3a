import { createDomainEvent } from '@cinemaabyss/shared/events';
import { routeEvent } from './eventRouting';

describe('routeEvent', () => {
  it("feeds movieEvents from a movie event, with the movie's key, from the outbox's payload", () => {
    const event = createDomainEvent('movie', 'rated', { movie_id: 7, user_id: 1, rating: 8 });
    expect(routeEvent(event)).toEqual({
      field: 'movieEvents',
      filter: { argument: 'movieId', value: '7' },
      value: { id: event.id, action: 'rated', occurredAt: event.timestamp, movie: { id: '7' } },
    });
  });

  it('reads ids sent as strings over REST alike', () => {
    const event = createDomainEvent('user', 'logged_in', { user_id: ' 12 ', action: 'logged_in' });
    expect(routeEvent(event)).toMatchObject({
      field: 'userEvents',
      filter: { argument: 'userId', value: '12' },
      value: { user: { id: '12' } },
    });
  });

  it("feeds paymentEvents with the payer and the payment's key, null without one", () => {
    const withId = createDomainEvent('payment', 'completed', { payment_id: 3, user_id: 4 });
    expect(routeEvent(withId)?.value).toMatchObject({ user: { id: '4' }, payment: { id: '3' } });
    const without = createDomainEvent('payment', 'pending', { user_id: 4 });
    expect(routeEvent(without)?.value).toMatchObject({ payment: null });
  });

  it('feeds no field from a plan event or a payload without its key', () => {
    expect(
      routeEvent(createDomainEvent('subscription', 'created', { user_id: 1 })),
    ).toBeUndefined();
    expect(routeEvent(createDomainEvent('movie', 'viewed', { title: 'x' }))).toBeUndefined();
    expect(routeEvent(createDomainEvent('user', 'created', { user_id: 1.5 }))).toBeUndefined();
  });
});
