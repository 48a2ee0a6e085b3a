import { formatTable } from './formatTable';

describe('formatTable', () => {
  describe('as Markdown', () => {
    it('writes a header, a delimiter row and one row per entry, cells as given', () => {
      expect(
        formatTable(
          ['what', 'met'],
          [
            ['RPS ÷ direct', '**no**'],
            ['`p99`', ''],
          ],
          { style: 'markdown' },
        ),
      ).toBe(
        ['| what | met |', '| --- | --- |', '| RPS ÷ direct | **no** |', '| `p99` |  |'].join('\n'),
      );
    });

    it('writes each column’s alignment into the delimiter row', () => {
      expect(
        formatTable(['a', 'b', 'c', 'd'], [], {
          style: 'markdown',
          align: ['left', 'right', 'center'],
        }),
      ).toBe('| a | b | c | d |\n| :--- | ---: | :---: | --- |');
    });

    it('gives a short row empty cells, so every row has as many as the widest', () => {
      expect(formatTable(['a', 'b'], [['1'], ['1', '2', '3']], { style: 'markdown' })).toBe(
        ['| a | b |  |', '| --- | --- | --- |', '| 1 |  |  |', '| 1 | 2 | 3 |'].join('\n'),
      );
    });
  });

  describe('as plain text', () => {
    it('pads each column to its widest cell, two spaces apart, with no trailing spaces', () => {
      expect(
        formatTable(
          ['MIGRATION', 'PERCENT', 'BY'],
          [
            ['movies', '25 %', 'carol'],
            ['payments-and-subscriptions', '100 %', 'al'],
          ],
          { style: 'plain' },
        ),
      ).toBe(
        [
          'MIGRATION                   PERCENT  BY',
          'movies                      25 %     carol',
          'payments-and-subscriptions  100 %    al',
        ].join('\n'),
      );
    });

    it('trims the padding of an empty last cell', () => {
      expect(formatTable(['FROM', 'ADDRESS'], [['-', '']], { style: 'plain' })).toBe(
        'FROM  ADDRESS\n-',
      );
    });

    it('pads a right- or centre-aligned column on the left', () => {
      expect(
        formatTable(['n', 'name', 'x'], [['100', 'ab', 'y']], {
          style: 'plain',
          align: ['right', 'center'],
        }),
      ).toBe('  n  name  x\n100   ab   y');
    });

    it('writes only the header when there are no rows', () => {
      expect(formatTable(['CHANGED AT', 'BY'], [], { style: 'plain' })).toBe('CHANGED AT  BY');
    });
  });
});
