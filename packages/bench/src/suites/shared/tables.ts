/**
 * Plain-text output shared by the suites: numbers printed like upstream's
 * `%.2f`, rounded for JSON, signed margins, and aligned tables.
 */

/** `x` with exactly two decimals, rounded like C/Go `%.2f` (ties to even on the exact binary value). */
export function fixed2(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? '+Inf' : '-Inf';
  const negative = x < 0 || Object.is(x, -0);
  const abs = Math.abs(x);
  let text = abs.toFixed(2);
  // toFixed resolves an exact tie upwards. A double is an exact tie at the
  // third decimal only when its fraction is an odd number of eighths; of
  // those, .125 and .625 must go down to reach an even last digit.
  const eighths = abs * 8;
  if (abs < 1e15 && Number.isInteger(eighths)) {
    const frac = eighths % 8;
    if (frac === 1 || frac === 5) {
      text = `${Math.floor(abs)}.${frac === 1 ? '12' : '62'}`;
    }
  }
  return negative ? `-${text}` : text;
}

/** `x` rounded to two decimals as a number (via `fixed2`), for JSON. */
export function round2(x: number): number {
  const n = Number(fixed2(x));
  return n === 0 ? 0 : n;
}

/** `+1234.56` / `-1234.56`. */
export function signed2(x: number): string {
  const t = fixed2(x);
  return t.startsWith('-') ? t : `+${t}`;
}

/**
 * A plain-text table: `" | "` between cells, every column as wide as its
 * widest cell (at least `minWidths[i]`); text columns (the first, and those
 * whose index is in `textColumns`) left-aligned, the others right-aligned.
 */
export function formatTable(
  header: readonly string[],
  rows: readonly (readonly string[])[],
  minWidths: readonly number[] = [],
  textColumns: readonly number[] = [],
): string {
  const widths = header.map((h, i) =>
    Math.max(h.length, minWidths[i] ?? 0, ...rows.map((r) => (r[i] ?? '').length)),
  );
  const line = (cells: readonly string[]): string =>
    cells
      .map((c, i) =>
        i === 0 || textColumns.includes(i) ? c.padEnd(widths[i]!) : c.padStart(widths[i]!),
      )
      .join(' | ')
      .trimEnd();
  return `${[line(header), ...rows.map(line)].join('\n')}\n`;
}
