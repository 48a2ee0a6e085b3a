import { AppError } from '../http/errors';
import {
  dateTimeField,
  decimalField,
  freeTextField,
  MAX_ID_LIST_LENGTH,
  parseDateTime,
  parseIdListParam,
  parseIdParam,
  textField,
} from './validation';

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

/** The first message a schema gives for input, or undefined when it accepts it. */
function problemOf(
  schema: { safeParse(input: unknown): { error?: { issues: { message: string }[] } } },
  input: unknown,
) {
  return schema.safeParse(input).error?.issues[0]?.message;
}

describe('text fields', () => {
  it.each([
    ['a NUL character', 'a\u0000b', 'title must not contain NUL characters'],
    [
      'a lone high surrogate',
      'x\ud800',
      'title must be valid Unicode text (it contains an unpaired surrogate)',
    ],
    [
      'a lone low surrogate',
      '\udc00x',
      'title must be valid Unicode text (it contains an unpaired surrogate)',
    ],
  ])('refuse text PostgreSQL cannot store: %s', (_case, input, message) => {
    expect(problemOf(textField('title'), input)).toBe(message);
    expect(problemOf(freeTextField('title', { max: 100 }), input)).toBe(message);
  });

  it('accept any well-formed text, surrogate pairs included', () => {
    expect(textField('title').parse('  Amélie 🎬 ')).toBe('Amélie 🎬');
    expect(freeTextField('description', { max: 10 }).parse('')).toBe('');
    expect(problemOf(freeTextField('description', { max: 3 }), 'long')).toBe(
      'description must be at most 3 characters',
    );
  });
});

describe('decimalField', () => {
  const amount = decimalField('amount', {
    min: 0,
    exclusiveMin: true,
    max: 1_000_000,
    decimals: 2,
  });

  it.each([[1e-10], [1e-9], [0.001], [1.005], [0.1 + 0.2]])(
    'refuses %p, which the database would round rather than store as sent',
    (input) => {
      expect(problemOf(amount, input)).toBe('amount must have at most 2 decimal places');
    },
  );

  it.each([[0.01], [19.99], [1.15], [999_999.99], [1_000_000], [7]])('accepts %p', (input) => {
    expect(amount.parse(input)).toBe(input);
  });
});

describe('parseDateTime and dateTimeField', () => {
  it.each([
    ['2025-02-30'],
    ['2025-02-29'],
    ['2025-04-31'],
    ['2025-13-01'],
    ['2025-00-10'],
    ['2025-01-01T24:00:00Z'],
    ['2025-01-01T23:60:00Z'],
    ['2025-01-01T23:59:60Z'],
    ['2025-01-01T10:00:00+24:00'],
    ['0000-01-01'],
    ['9999-12-31T23:59:59-01:00'],
    ['2025-1-1'],
    ['yesterday'],
  ])('names no instant for %s', (text) => {
    expect(parseDateTime(text)).toBeUndefined();
    expect(problemOf(dateTimeField('end_date'), text)).toMatch(/^end_date must be an RFC 3339/);
  });

  it.each([
    ['2024-02-29', '2024-02-29T00:00:00.000Z'],
    ['2025-01-31T00:00:00Z', '2025-01-31T00:00:00.000Z'],
    ['2025-01-01 10:00:00.123+05:30', '2025-01-01T04:30:00.123Z'],
    ['0001-01-01', '0001-01-01T00:00:00.000Z'],
    ['9999-12-31T23:59:59Z', '9999-12-31T23:59:59.000Z'],
  ])('reads %s as %s', (text, iso) => {
    expect(parseDateTime(text)?.toISOString()).toBe(iso);
    expect(dateTimeField('end_date').parse(text).toISOString()).toBe(iso);
  });
});
