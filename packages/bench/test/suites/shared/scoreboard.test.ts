import { describe, expect, it } from 'vitest';
import {
  deltaRow,
  formatScoreboard,
  leveeWins,
  margin,
  scoreboardJson,
  summarize,
} from '../../../src/suites/shared/scoreboard.js';
import type { ScoreboardRow } from '../../../src/suites/shared/suite.js';
import { result } from '../fixtures.js';

describe('scoreboard', () => {
  const rows: ScoreboardRow[] = [
    {
      suite: 'a',
      configuration: 'x',
      metric: 'Delta',
      higherIsBetter: true,
      levee: 10,
      competitors: [
        { name: 'P', value: 8 },
        { name: 'Q', value: 9.5 },
      ],
      reference: { levee: 11, best: 9, bestName: 'Q' },
    },
    {
      suite: 'b',
      configuration: 'y',
      metric: 'TotalPenalty',
      higherIsBetter: false,
      levee: 5,
      competitors: [{ name: 'P', value: 4 }],
    },
    {
      suite: 'c',
      configuration: 'z',
      metric: 'MeshDelta',
      higherIsBetter: true,
      levee: 1,
      competitors: [],
    },
  ];

  it('measures the margin against the best competitor in the metric’s direction', () => {
    expect(margin(rows[0]!)).toBeCloseTo(0.5);
    expect(margin(rows[1]!)).toBe(-1);
    expect(margin(rows[2]!)).toBeUndefined();
    expect(leveeWins(rows[0]!)).toBe(true);
    expect(leveeWins(rows[1]!)).toBe(false);
    expect(leveeWins(rows[2]!)).toBeUndefined();
    expect(summarize(rows)).toEqual({ wins: 1, configurations: 2 });
  });

  it('a tie is not a win', () => {
    const tie = { ...rows[0]!, competitors: [{ name: 'P', value: 10 }] };
    expect(leveeWins(tie)).toBe(false);
  });

  it('prints one line per configuration and the win count', () => {
    const text = formatScoreboard(rows);
    const lines = text.split('\n');
    expect(lines[0]).toBe(
      'Suite | Configuration | Metric       | Levee | Best competitor | Value | Margin | Published Levee | Published best | Levee wins',
    );
    expect(lines[1]).toBe(
      'a     | x             | Delta        | 10.00 | Q               |  9.50 |  +0.50 |           11.00 | 9.00 Q         | yes',
    );
    expect(lines[2]).toBe(
      'b     | y             | TotalPenalty |  5.00 | P               |  4.00 |  -1.00 |               - | -              | NO',
    );
    expect(lines[3]).toMatch(/\| n\/a$/);
    expect(text).toContain('Levee wins 1 of 2 configurations');
    expect(text).toContain('TotalPenalty (lower is better)');
  });

  it('JSON carries the best competitor, the margin and the verdict', () => {
    const json = scoreboardJson(rows) as { rows: Array<Record<string, unknown>>; wins: number };
    expect(json.wins).toBe(1);
    expect(json.rows[0]).toMatchObject({
      best: { name: 'Q', value: 9.5 },
      margin: 0.5,
      leveeWins: true,
    });
    expect(json.rows[2]).toMatchObject({ best: null, margin: null, leveeWins: null });
  });

  it('deltaRow needs Levee and keeps exact figures', () => {
    expect(deltaRow('s', 'c', [result('Static-Peak', 1)])).toBeUndefined();
    const row = deltaRow('s', 'c', [result('Static-Peak', 1.005), result('Levee', 2.0049)]);
    expect(row).toEqual({
      suite: 's',
      configuration: 'c',
      metric: 'Delta',
      higherIsBetter: true,
      levee: 2.0049,
      competitors: [{ name: 'Static-Peak', value: 1.005 }],
    });
  });
});
