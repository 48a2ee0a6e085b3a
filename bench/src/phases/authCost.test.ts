import { isCutAnswer, isWholeAnswer, sortOperations } from './authCost';
import type { AnsweredBothWays } from './authCost';

const ok = (data: unknown) => ({ status: 200, body: { data } });
const unauthorized = (path: string[]) => ({
  message: 'Unauthorized field or type',
  path,
  extensions: { code: 'UNAUTHORIZED_FIELD_OR_TYPE' },
});

const publicAnswer = (operation: string, id: string): AnsweredBothWays => ({
  operation,
  anonymous: ok({ movie: { id } }),
  signedIn: ok({ movie: { id } }),
});

const cutAnswer = (operation: string): AnsweredBothWays => ({
  operation,
  anonymous: {
    status: 200,
    body: { data: { user: { id: '1', email: null } }, errors: [unauthorized(['user', 'email'])] },
  },
  signedIn: ok({ user: { id: '1', email: 'a@example.com' } }),
});

describe('sortOperations', () => {
  it('names public the operations answered alike and protected those the gateway cut', () => {
    expect(
      sortOperations([
        publicAnswer('MovieDetail', '1'),
        cutAnswer('UserProfile'),
        publicAnswer('MovieDetail', '2'),
        cutAnswer('UserProfile'),
      ]),
    ).toEqual({ publicOperations: ['MovieDetail'], protectedOperations: ['UserProfile'] });
  });

  it('refuses an operation that fails signed in', () => {
    const failed: AnsweredBothWays = {
      ...publicAnswer('MovieDetail', '1'),
      signedIn: { status: 200, body: { data: null, errors: [{ message: 'boom' }] } },
    };
    expect(() => sortOperations([failed])).toThrow(/MovieDetail failed signed in/);
  });

  it('refuses an anonymous answer with an error other than a removed field', () => {
    const forbidden: AnsweredBothWays = {
      ...cutAnswer('UserProfile'),
      anonymous: {
        status: 200,
        body: {
          data: { user: null },
          errors: [{ message: 'no', extensions: { code: 'FORBIDDEN' } }],
        },
      },
    };
    expect(() => sortOperations([forbidden])).toThrow(/neither as signed in nor cut/);
  });

  it('refuses an anonymous answer with other data and no error', () => {
    const differs: AnsweredBothWays = {
      ...publicAnswer('MovieDetail', '1'),
      anonymous: ok({ movie: { id: '2' } }),
    };
    expect(() => sortOperations([differs])).toThrow(/neither as signed in nor cut/);
  });

  it('refuses an operation public for some variables and protected for others', () => {
    expect(() => sortOperations([publicAnswer('Mixed', '1'), cutAnswer('Mixed')])).toThrow(
      /Mixed is public for some variables and protected for others/,
    );
  });
});

describe('the load checks', () => {
  const whole = JSON.stringify({ data: { movie: { id: '1' } } });
  const cut = JSON.stringify({
    errors: [unauthorized(['user', 'email']), unauthorized(['user', 'payments'])],
    data: { user: { id: '1', email: null, payments: null } },
  });
  const mixed = JSON.stringify({
    errors: [unauthorized(['user', 'email']), { message: 'x', extensions: { code: 'FORBIDDEN' } }],
    data: { user: { id: '1', email: null } },
  });

  it('takes a whole answer only with data and no errors', () => {
    expect(isWholeAnswer(whole)).toBe(true);
    expect(isWholeAnswer(cut)).toBe(false);
  });

  it('takes a cut answer only with data and nothing but removed-field errors', () => {
    expect(isCutAnswer(cut)).toBe(true);
    expect(isCutAnswer(whole)).toBe(true);
    expect(isCutAnswer(mixed)).toBe(false);
    expect(isCutAnswer(JSON.stringify({ errors: [unauthorized(['users'])], data: null }))).toBe(
      false,
    );
  });
});
