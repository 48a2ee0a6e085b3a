import { AppError } from '@cinemaabyss/shared/http';
import { DEFAULT_LIST_LIMIT, MAX_LIST_LIMIT, parseListQuery } from './listQuery';

describe('parseListQuery', () => {
  it('defaults the limit and accepts a known type', () => {
    expect(parseListQuery({})).toEqual({ type: undefined, limit: DEFAULT_LIST_LIMIT });
    expect(parseListQuery({ type: 'subscription', limit: '500' })).toEqual({
      type: 'subscription',
      limit: MAX_LIST_LIMIT,
    });
  });

  it.each([
    [{ type: 'Movie' }, /type must be one of/],
    [{ type: ['movie', 'user'] }, /type must be one of/],
    [{ limit: '0' }, /limit must be an integer from 1 to 500/],
    [{ limit: '-1' }, /limit must be/],
    [{ limit: '1.5' }, /limit must be/],
    [{ limit: '99999' }, /limit must be/],
    [{ limit: ['1', '2'] }, /limit must be/],
  ])('rejects %j with a 400', (query, message) => {
    expect(() => parseListQuery(query)).toThrow(AppError);
    expect(() => parseListQuery(query)).toThrow(message);
  });
});
