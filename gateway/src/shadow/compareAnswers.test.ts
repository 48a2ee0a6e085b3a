import { MAX_DIFFERENCE_VALUE_BYTES, compareAnswers, parseBody } from './compareAnswers';

const ok = (body: unknown) => ({ status: 200, body });

describe('compareAnswers', () => {
  it('finds nothing between equal values, whatever the key order and number formatting', () => {
    const served = parseBody('{"id":1,"title":"Alien","rating":8.0,"genres":["sci-fi"]}');
    const shadow = parseBody('{"genres":["sci-fi"],"rating":8,"title":"Alien","id":1}');
    expect(compareAnswers(ok(served), ok(shadow))).toEqual([]);
  });

  it('names the path of a differing field with both values', () => {
    expect(
      compareAnswers(ok([{ id: 1, title: 'Alien' }]), ok([{ id: 1, title: 'Aliens' }])),
    ).toEqual([{ path: '/0/title', served: '"Alien"', shadow: '"Aliens"' }]);
  });

  it('compares arrays in order, and reports what one side lacks', () => {
    expect(compareAnswers(ok({ genres: ['a', 'b'] }), ok({ genres: ['b', 'a', 'c'] }))).toEqual([
      { path: '/genres/0', served: '"a"', shadow: '"b"' },
      { path: '/genres/1', served: '"b"', shadow: '"a"' },
      { path: '/genres/2', served: '(absent)', shadow: '"c"' },
    ]);
  });

  it('reports the status first, and a value that changed type', () => {
    expect(
      compareAnswers({ status: 200, body: { id: 1 } }, { status: 404, body: { id: '1' } }),
    ).toEqual([
      { path: '/status', served: '200', shadow: '404' },
      { path: '/id', served: '1', shadow: '"1"' },
    ]);
  });

  it('leaves out ignored paths, * standing for one index or key', () => {
    const served = ok([
      { id: 1, rating: 8, updated_at: 'a' },
      { id: 2, rating: 7, updated_at: 'b' },
    ]);
    const shadow = ok([
      { id: 1, rating: 9, updated_at: 'c' },
      { id: 3, rating: 1, updated_at: 'd' },
    ]);
    expect(compareAnswers(served, shadow, ['/*/rating', '/*/updated_at'])).toEqual([
      { path: '/1/id', served: '2', shadow: '3' },
    ]);
    // `*` is one level: it does not reach /0/rating from /*.
    expect(compareAnswers(ok({ a: { b: 1 } }), ok({ a: { b: 2 } }), ['/*'])).toEqual([]);
    expect(compareAnswers(ok({ a: { b: 1 } }), ok({ a: { b: 2 } }), ['/b'])).toHaveLength(1);
  });

  it('compares bodies that are not JSON as text', () => {
    expect(compareAnswers(ok(parseBody('oops')), ok(parseBody('oops')))).toEqual([]);
    expect(compareAnswers(ok(parseBody('oops')), ok(parseBody('{}')))).toEqual([
      { path: '/', served: '"oops"', shadow: '{}' },
    ]);
  });

  it('cuts each value at 1 KiB', () => {
    const [difference] = compareAnswers(ok({ text: 'x'.repeat(5000) }), ok({ text: 'y' }));
    expect(Buffer.byteLength(difference?.served ?? '')).toBeLessThanOrEqual(
      MAX_DIFFERENCE_VALUE_BYTES + 3,
    );
    expect(difference?.served.endsWith('…')).toBe(true);
  });

  it('escapes / and ~ in keys as JSON Pointer does', () => {
    expect(compareAnswers(ok({ 'a/b': 1, 'c~d': 1 }), ok({ 'a/b': 2, 'c~d': 2 }))).toEqual([
      { path: '/a~1b', served: '1', shadow: '2' },
      { path: '/c~0d', served: '1', shadow: '2' },
    ]);
  });
});
