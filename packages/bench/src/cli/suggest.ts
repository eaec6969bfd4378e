/**
 * "Did you mean …?" for mistyped suite names, options and list entries: the
 * known name closest to what was typed, by edit distance.
 */

/**
 * Edit distance between `a` and `b` (case-insensitive): the fewest single
 * characters inserted, deleted or replaced, or adjacent pairs swapped, that
 * turn one into the other (optimal string alignment; `--sepcs` is one swap
 * from `--specs`).
 */
export function editDistance(a: string, b: string): number {
  const s = a.toLowerCase();
  const t = b.toLowerCase();
  const m = s.length;
  const n = t.length;
  // rows[i][j]: distance between the first i characters of s and the first j of t.
  const rows: number[][] = Array.from({ length: m + 1 }, (_, i) =>
    Array.from({ length: n + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= m; i++) {
    const row = rows[i]!;
    const prev = rows[i - 1]!;
    for (let j = 1; j <= n; j++) {
      const cost = s[i - 1] === t[j - 1] ? 0 : 1;
      let d = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && s[i - 1] === t[j - 2] && s[i - 2] === t[j - 1]) {
        d = Math.min(d, rows[i - 2]![j - 2]! + 1);
      }
      row[j] = d;
    }
  }
  return rows[m]![n]!;
}

/**
 * The name of `known` closest to `typed`, or undefined when none is close.
 * Close means at most one edit per three characters typed (at least one),
 * so `spec` finds `specs` and `closed-lop` finds `closed-loop`, while a word
 * that merely shares a few letters with a name gets no suggestion; a typed
 * prefix of at least three characters that starts exactly one name also
 * finds it (`--cand` → `--candidates`). Ties go to the name listed first.
 */
export function closestName(typed: string, known: readonly string[]): string | undefined {
  const word = typed.toLowerCase();
  if (word === '') return undefined;
  const limit = Math.max(1, Math.floor(word.length / 3));
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const name of known) {
    const d = editDistance(word, name);
    if (d < bestDistance) {
      best = name;
      bestDistance = d;
    }
  }
  if (best !== undefined && bestDistance <= limit) return best;
  if (word.length >= 3) {
    const starting = known.filter((k) => k.toLowerCase().startsWith(word));
    if (starting.length === 1) return starting[0];
  }
  return undefined;
}

/** `; did you mean "<name>"?` for the closest name, or `''`. */
export function didYouMean(
  typed: string,
  known: readonly string[],
  show: (name: string) => string = (name) => JSON.stringify(name),
): string {
  const name = closestName(typed, known);
  return name === undefined ? '' : `; did you mean ${show(name)}?`;
}
