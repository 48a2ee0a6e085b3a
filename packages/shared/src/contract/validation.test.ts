import { AppError } from '../http/errors';
import { MAX_ID_LIST_LENGTH, parseIdListParam, parseIdParam } from './validation';

/** The AppError a parser threw, so tests can assert its code and message together. */
function rejection(parse: () => unknown): AppError {
  try {
    parse();
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error('expected the parser to throw');
}

describe('parseIdParam', () => {
  it('reads one positive integer and ignores an absent parameter', () => {
    expect(parseIdParam({ id: '42' }, 'id')).toBe(42);
    expect(parseIdParam({}, 'id')).toBeUndefined();
    expect(parseIdParam(undefined, 'id')).toBeUndefined();
  });

  it.each([['0'], ['-1'], ['1.5'], ['x'], [''], ['2147483648'], [['1', '2']]])(
    'rejects %j with a 400 naming the parameter',
    (value) => {
      const err = rejection(() => parseIdParam({ user_id: value }, 'user_id'));
      expect(err.code).toBe('BAD_USER_INPUT');
      expect(err.message).toBe('query parameter user_id must be a positive integer');
    },
  );
});

describe('parseIdListParam', () => {
  it('reads a comma-separated list in order, dropping duplicates', () => {
    expect(parseIdListParam({ ids: '3,1,2' }, 'ids')).toEqual([3, 1, 2]);
    expect(parseIdListParam({ ids: '7' }, 'ids')).toEqual([7]);
    expect(parseIdListParam({ ids: '5,5,2,5' }, 'ids')).toEqual([5, 2]);
    expect(parseIdListParam({ ids: '2147483647' }, 'ids')).toEqual([2_147_483_647]);
  });

  it('returns undefined when the parameter is absent', () => {
    expect(parseIdListParam({ id: '1' }, 'ids')).toBeUndefined();
    expect(parseIdListParam(undefined, 'ids')).toBeUndefined();
  });

  it.each([
    ['an empty value', ''],
    ['a trailing comma', '1,2,'],
    ['an empty element', '1,,2'],
    ['spaces', '1, 2'],
    ['zero', '0,1'],
    ['a negative id', '1,-2'],
    ['a decimal', '1.5'],
    ['a word', '1,two'],
    ['an id beyond the integer range', '2147483648'],
    ['a repeated parameter', ['1', '2']],
  ])('rejects %s with a 400 naming the parameter', (_case, value) => {
    const err = rejection(() => parseIdListParam({ user_ids: value }, 'user_ids'));
    expect(err.code).toBe('BAD_USER_INPUT');
    expect(err.status).toBe(400);
    expect(err.message).toBe(
      'query parameter user_ids must be a comma-separated list of positive integers',
    );
  });

  it(`accepts ${MAX_ID_LIST_LENGTH} ids and rejects one more`, () => {
    const ids = (n: number) => Array.from({ length: n }, (_, i) => i + 1).join(',');
    expect(parseIdListParam({ ids: ids(MAX_ID_LIST_LENGTH) }, 'ids')).toHaveLength(
      MAX_ID_LIST_LENGTH,
    );
    const err = rejection(() => parseIdListParam({ ids: ids(MAX_ID_LIST_LENGTH + 1) }, 'ids'));
    expect(err.code).toBe('BAD_USER_INPUT');
    expect(err.message).toBe(
      `query parameter ids must list at most ${MAX_ID_LIST_LENGTH} ids, got ${MAX_ID_LIST_LENGTH + 1}`,
    );
  });

  it('takes a smaller bound from the caller', () => {
    expect(parseIdListParam({ ids: '1,2' }, 'ids', { max: 2 })).toEqual([1, 2]);
    expect(rejection(() => parseIdListParam({ ids: '1,2,3' }, 'ids', { max: 2 })).message).toMatch(
      /at most 2 ids/,
    );
  });
});
