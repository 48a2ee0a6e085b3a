import { decodeCursor, encodeCursor } from './eventCursor';

describe('event cursors', () => {
  it('round-trip a position per partition', () => {
    const positions = new Map([
      [2, 17],
      [0, -1],
      [1, 123_456_789],
    ]);
    const cursor = encodeCursor('paymentEvents', positions);
    expect(cursor).toMatch(/^[\w-]+$/);
    expect(decodeCursor(cursor)).toEqual({ field: 'paymentEvents', positions });
  });

  it.each([
    ['empty', ''],
    ['not base64url', 'a b/c'],
    ['another field', Buffer.from('ratings|0:1').toString('base64url')],
    ['no positions part', Buffer.from('movieEvents').toString('base64url')],
    ['a negative offset below -1', Buffer.from('movieEvents|0:-2').toString('base64url')],
    ['a partition twice', Buffer.from('movieEvents|0:1,0:2').toString('base64url')],
    ['an extra part', Buffer.from('movieEvents|0:1|x').toString('base64url')],
    ['too long', 'a'.repeat(9_000)],
  ])('refuse %s', (_name, text) => {
    expect(decodeCursor(text)).toBeUndefined();
  });
});
