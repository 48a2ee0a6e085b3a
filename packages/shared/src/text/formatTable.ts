/** `markdown`: a GitHub-flavoured Markdown table. `plain`: padded columns for a terminal. */
export type TableStyle = 'markdown' | 'plain';

/** Where a column's cells sit. */
export type ColumnAlign = 'left' | 'right' | 'center';

export interface FormatTableOptions {
  /**
   * `markdown`: `| a | b |` rows under a `| --- | --- |` delimiter row, each cell written as given
   * (cells are Markdown: a `|` in one is not escaped). `plain`: each column padded to its widest
   * cell, two spaces between columns, no trailing spaces.
   */
  style: TableStyle;
  /**
   * One entry per column. Markdown writes it into the delimiter row (`:---`, `---:`, `:---:`);
   * plain pads each cell on the other side(s).
   * @default every column unaligned: `---` in Markdown, left in plain text
   */
  align?: readonly (ColumnAlign | undefined)[];
}

const MARKDOWN_DELIMITER: Record<ColumnAlign | 'none', string> = {
  none: '---',
  left: ':---',
  right: '---:',
  center: ':---:',
};

function pad(cell: string, width: number, align: ColumnAlign | undefined): string {
  const room = Math.max(width - cell.length, 0);
  const before = align === 'right' ? room : align === 'center' ? Math.floor(room / 2) : 0;
  return ' '.repeat(before) + cell + ' '.repeat(room - before);
}

/**
 * The one table printer: the bench report's Markdown tables and the operators' CLI output.
 * The table is as wide as its longest row (headers included); missing cells are empty.
 * Plain widths count UTF-16 code units, so wide characters (CJK, emoji) would misalign a column.
 */
export function formatTable(
  headers: readonly string[],
  rows: readonly (readonly string[])[],
  { style, align = [] }: FormatTableOptions,
): string {
  const columns = rows.reduce((most, row) => Math.max(most, row.length), headers.length);
  const eachColumn = <T>(cell: (column: number) => T) =>
    Array.from({ length: columns }, (_, i) => cell(i));
  const lines = [headers, ...rows].map((row) => eachColumn((i) => row[i] ?? ''));
  if (style === 'markdown') {
    const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
    const [head = [], ...body] = lines;
    const delimiter = eachColumn((i) => MARKDOWN_DELIMITER[align[i] ?? 'none']);
    return [line(head), line(delimiter), ...body.map(line)].join('\n');
  }
  const widths = eachColumn((i) =>
    lines.reduce((most, cells) => Math.max(most, cells[i]!.length), 0),
  );
  return lines
    .map((cells) =>
      cells
        .map((cell, i) => pad(cell, widths[i]!, align[i]))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}
