import { isTransientDatabaseError } from './pgErrors';

describe('isTransientDatabaseError', () => {
  it.each([
    [{ code: '08006' }],
    [{ code: '57P01' }],
    [{ code: '53300' }],
    [{ code: 'ECONNREFUSED' }],
    [new Error('timeout exceeded when trying to connect')],
    [new Error('Connection terminated unexpectedly')],
    [new Error('Query read timeout')],
    [{ code: '57014' }],
  ])('treats %j as the database being unavailable', (err) => {
    expect(isTransientDatabaseError(err)).toBe(true);
  });

  it.each([[{ code: '23505' }], [{ code: '42P01' }], [new Error('boom')], ['text'], [null]])(
    'treats %j as a failure of the work itself',
    (err) => {
      expect(isTransientDatabaseError(err)).toBe(false);
    },
  );
});
