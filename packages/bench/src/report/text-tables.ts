/**
 * A suite's printed output (what it writes to stdout) as blocks for the
 * report page: its tables — the aligned `a | b | c` tables of
 * src/suites/shared/tables.ts — as rows of cells, and the lines between them
 * (headings, notes) as text. The page shows the figures exactly as printed,
 * once, as HTML tables.
 */

export interface TextTable {
  kind: 'table';
  header: string[];
  rows: string[][];
  /** Per column: right-aligned (numbers) or left-aligned. */
  align: Array<'left' | 'right'>;
}

export interface TextLines {
  kind: 'text';
  lines: string[];
}

export type TextBlock = TextTable | TextLines;

const SEPARATOR = ' | ';

function cellsOf(line: string): string[] {
  return line.split(SEPARATOR);
}

const NUMBERISH = /^[-+]?(?:\d[\d,]*(?:\.\d+)?|\.\d+)%?$|^-$/;

/**
 * How a column was aligned when printed: right if any of its cells starts
 * with padding (a right-aligned cell is padded at the start); when every cell
 * has the column's full width, right if every data cell is a number.
 */
function alignment(column: readonly string[]): 'left' | 'right' {
  if (column.some((c) => c.startsWith(' '))) return 'right';
  if (column.some((c) => c.endsWith(' '))) return 'left';
  const data = column.slice(1).map((c) => c.trim());
  return data.length > 0 && data.every((c) => NUMBERISH.test(c)) ? 'right' : 'left';
}

/**
 * Splits printed output into tables and text. A table is a run of at least
 * two consecutive lines with the same number (at least one) of `" | "`
 * separators; its first line is the header. Blank lines separate blocks and
 * are dropped.
 */
export function textBlocks(text: string): TextBlock[] {
  const lines = text.replace(/\n+$/, '').split('\n');
  const blocks: TextBlock[] = [];
  let prose: string[] = [];
  const flushProse = (): void => {
    if (prose.length > 0) blocks.push({ kind: 'text', lines: prose });
    prose = [];
  };
  let i = 0;
  while (i < lines.length) {
    const line = lines[i]!;
    const width = cellsOf(line).length;
    let end = i + 1;
    if (width > 1) {
      while (end < lines.length && cellsOf(lines[end]!).length === width) end++;
    }
    if (width > 1 && end - i >= 2) {
      flushProse();
      const raw = lines.slice(i, end).map(cellsOf);
      const align = raw[0]!.map((_, c) => (c === 0 ? 'left' : alignment(raw.map((r) => r[c]!))));
      const [header, ...rows] = raw.map((r) => r.map((cell) => cell.trim()));
      blocks.push({ kind: 'table', header: header!, rows, align });
      i = end;
      continue;
    }
    if (line.trim() === '') flushProse();
    else prose.push(line);
    i++;
  }
  flushProse();
  return blocks;
}
