/**
 * The `levee-bench all` scoreboard: one line per configuration of every suite
 * with Levee's figure, the best competitor's, the margin and the published
 * reference, and the number of configurations Levee wins. A configuration is
 * won only if Levee beats every competitor in it (strictly better, in the
 * metric's direction); configurations without a competitor are not counted.
 * Also the helpers the suites build their rows with.
 */
import type { ClosedLoopResult } from '../../sim/orchestrator/closed-loop.js';
import type { ScoreboardRow } from './suite.js';
import { fixed2, formatTable, round2, signed2 } from './tables.js';

/**
 * A Delta scoreboard row for one configuration, or undefined without Levee.
 * Values are kept unrounded (margins are differences of the exact figures, as
 * upstream's "Levee Lead"); `roundedRow` rounds them for JSON.
 */
export function deltaRow(
  suite: string,
  configuration: string,
  results: readonly ClosedLoopResult[],
  reference?: ScoreboardRow['reference'],
): ScoreboardRow | undefined {
  const levee = results.find((r) => r.candidate === 'Levee');
  if (levee === undefined) return undefined;
  const row: ScoreboardRow = {
    suite,
    configuration,
    metric: 'Delta',
    higherIsBetter: true,
    levee: levee.delta,
    competitors: results
      .filter((r) => r !== levee)
      .map((r) => ({ name: r.candidate, value: r.delta })),
  };
  if (reference !== undefined) row.reference = reference;
  return row;
}

/** A scoreboard row with its figures rounded to two decimals (for JSON). */
export function roundedRow(row: ScoreboardRow): ScoreboardRow {
  const out: ScoreboardRow = {
    suite: row.suite,
    configuration: row.configuration,
    metric: row.metric,
    higherIsBetter: row.higherIsBetter,
    levee: round2(row.levee),
    competitors: row.competitors.map((c) => ({ name: c.name, value: round2(c.value) })),
  };
  if (row.reference !== undefined) out.reference = { ...row.reference };
  return out;
}

/** The best competitor of a row (highest, or lowest when lower is better); undefined if none. */
export function bestCompetitor(
  row: Pick<ScoreboardRow, 'competitors' | 'higherIsBetter'>,
): { name: string; value: number } | undefined {
  let best: { name: string; value: number } | undefined;
  for (const c of row.competitors) {
    if (best === undefined || (row.higherIsBetter ? c.value > best.value : c.value < best.value)) {
      best = c;
    }
  }
  return best;
}

/** The best of a published Delta table, excluding Levee. */
export function publishedBest(table: Readonly<Record<string, number>>): {
  best: number;
  bestName: string;
} {
  let bestName = '';
  let best = Number.NEGATIVE_INFINITY;
  for (const [name, value] of Object.entries(table)) {
    if (name !== 'Levee' && value > best) {
      best = value;
      bestName = name;
    }
  }
  return { best, bestName };
}

/** Levee's margin over the best competitor: positive when Levee is ahead. */
export function margin(row: ScoreboardRow): number | undefined {
  const best = bestCompetitor(row);
  if (best === undefined) return undefined;
  return row.higherIsBetter ? row.levee - best.value : best.value - row.levee;
}

/** True if Levee beats every competitor of the row; undefined without competitors. */
export function leveeWins(row: ScoreboardRow): boolean | undefined {
  if (row.competitors.length === 0) return undefined;
  return row.competitors.every((c) =>
    row.higherIsBetter ? row.levee > c.value : row.levee < c.value,
  );
}

export interface ScoreboardSummary {
  wins: number;
  configurations: number;
}

export function summarize(rows: readonly ScoreboardRow[]): ScoreboardSummary {
  let wins = 0;
  let configurations = 0;
  for (const row of rows) {
    const won = leveeWins(row);
    if (won === undefined) continue;
    configurations++;
    if (won) wins++;
  }
  return { wins, configurations };
}

function metricLabel(row: ScoreboardRow): string {
  return `${row.metric} (${row.higherIsBetter ? 'higher' : 'lower'} is better)`;
}

export function formatScoreboard(rows: readonly ScoreboardRow[]): string {
  const table = formatTable(
    [
      'Suite',
      'Configuration',
      'Metric',
      'Levee',
      'Best competitor',
      'Value',
      'Margin',
      'Published Levee',
      'Published best',
      'Levee wins',
    ],
    rows.map((row) => {
      const best = bestCompetitor(row);
      const m = margin(row);
      const won = leveeWins(row);
      const ref = row.reference;
      return [
        row.suite,
        row.configuration,
        row.metric,
        fixed2(row.levee),
        best?.name ?? '-',
        best === undefined ? '-' : fixed2(best.value),
        m === undefined ? '-' : signed2(m),
        ref?.levee === undefined ? '-' : fixed2(ref.levee),
        ref?.best === undefined
          ? '-'
          : `${fixed2(ref.best)}${ref.bestName === undefined ? '' : ` ${ref.bestName}`}`,
        won === undefined ? 'n/a' : won ? 'yes' : 'NO',
      ];
    }),
    [],
    [1, 2, 4, 8, 9],
  );
  const { wins, configurations } = summarize(rows);
  const metrics = [...new Set(rows.map(metricLabel))].join('; ');
  return `${table}
Margin = Levee's lead over the best competitor (positive: Levee ahead). Metrics: ${metrics}.
Levee wins ${wins} of ${configurations} configurations (a win = better than every competitor).
`;
}

/** The scoreboard as JSON (figures rounded to two decimals). */
export function scoreboardJson(rows: readonly ScoreboardRow[]): object {
  const { wins, configurations } = summarize(rows);
  return {
    rows: rows.map((row) => {
      const best = bestCompetitor(row);
      const m = margin(row);
      return {
        ...roundedRow(row),
        best: best === undefined ? null : { name: best.name, value: Number(fixed2(best.value)) },
        margin: m === undefined ? null : Number(fixed2(m)),
        leveeWins: leveeWins(row) ?? null,
      };
    }),
    wins,
    configurations,
  };
}
