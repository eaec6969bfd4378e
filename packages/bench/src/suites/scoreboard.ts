/**
 * The `levee-bench all` scoreboard: one line per configuration of every suite
 * with Levee's figure, the best competitor's, the margin and the published
 * reference, and the number of configurations Levee wins. A configuration is
 * won only if Levee beats every competitor in it (strictly better, in the
 * metric's direction); configurations without a competitor are not counted.
 */
import { bestCompetitor, fixed2, formatTable, roundedRow, signed2 } from './common.js';
import type { ScoreboardRow } from './suite.js';

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
