import { describe, expect, it } from 'vitest';
import { closedLoopSuite } from '../../../src/suites/closed-loop/suite.js';
import { options, outputOf, result } from '../fixtures.js';
import { type JsonResult, PINS, type PinnedRow, pinned, runShort } from '../short-run.js';

describe('published figures', () => {
  it('attaches the published figures to the reference configuration only', () => {
    const results = [
      result('No-CB', -5),
      result('Levee', 10),
      result('Static-BAU', 4),
      result('Static-Peak', 7),
    ];
    const [row] = outputOf(closedLoopSuite, options(), results).scoreboard;
    expect(row!.reference).toEqual({ levee: 71069.35, best: 61497.68, bestName: 'Static-Peak' });
    const [other] = outputOf(closedLoopSuite, options({ sloRate: 0.95 }), results).scoreboard;
    expect(other!.reference).toBeUndefined();
  });
});

describe('closed-loop on the first incident (specs 0-7)', () => {
  it('matches its pins (Levee and Static-BAU)', async () => {
    const json = await runShort(['closed-loop', '--candidates', 'levee,static-bau']);
    const pins = PINS['closed-loop'] as PinnedRow[];
    expect((json.results as JsonResult[]).map(pinned)).toEqual(
      ['Levee', 'Static-BAU'].map((c) => pins.find((p) => p.candidate === c)),
    );
  }, 120_000);
});
