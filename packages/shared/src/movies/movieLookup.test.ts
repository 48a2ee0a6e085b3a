import { AppError } from '../http/errors';
import { parseMovieLookup } from './movieLookup';

describe('parseMovieLookup', () => {
  it('reads no parameter as the whole list, ?id= as one movie and ?ids= as a batch', () => {
    expect(parseMovieLookup({})).toEqual({ by: 'all' });
    expect(parseMovieLookup({ id: '7' })).toEqual({ by: 'id', id: 7 });
    expect(parseMovieLookup({ ids: '3,1,2' })).toEqual({ by: 'ids', ids: [3, 1, 2] });
  });

  it('refuses id and ids together, naming both', () => {
    const refusal = (() => {
      try {
        parseMovieLookup({ id: '1', ids: '1,2' });
      } catch (error) {
        return error;
      }
      return undefined;
    })();
    expect(refusal).toBeInstanceOf(AppError);
    expect(refusal).toMatchObject({
      status: 400,
      message: 'query parameters id and ids cannot be combined',
    });
  });

  it('refuses a malformed id with the contract’s words', () => {
    expect(() => parseMovieLookup({ id: 'x' })).toThrow(
      'query parameter id must be a positive integer',
    );
  });
});
