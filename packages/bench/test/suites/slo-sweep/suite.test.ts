/**
 * The SLO sweep on the first incident (specs 0-7, 5 simulated hours), pinned to the
 * figures in suites/short-pins.json (computed once the full 28-hour runs had
 * reproduced every published figure; scripts/verify-suites.mjs checks those,
 * `--short` checks every pinned configuration). CI runs a slice of the sweep
 * to stay fast; the run goes through the CLI in-process.
 */
import { describe, expect, it } from 'vitest';
import { sloSweepSuite } from '../../../src/suites/slo-sweep/suite.js';
import { jobsOf, options, outputOf, result } from '../fixtures.js';
import { type JsonResult, pinned, pinsOf, runShort } from '../short-run.js';

describe('jobs and reduction', () => {
  it('Levee once per SLO; each candidate without an SLO once, after them, in every row', () => {
    const opts = options({ successRates: [0.99, 0.9] });
    const jobs = jobsOf(sloSweepSuite, opts);
    expect(jobs.map((j) => j.label)).toEqual([
      'SLO 0.99 / Levee',
      'SLO 0.90 / Levee',
      'Static-BAU (any SLO)',
      'Static-Peak (any SLO)',
    ]);
    expect(jobs.map((j) => j.params.slo)).toEqual([
      { successRate: 0.99, timeoutMs: 1500 },
      { successRate: 0.9, timeoutMs: 1500 },
      undefined,
      undefined,
    ]);
    const out = outputOf(sloSweepSuite, opts, [
      result('Levee', 10),
      result('Levee', 20),
      result('Static-BAU', 5),
      result('Static-Peak', 7),
    ]);
    const json = out.json as {
      config: { successRates: number[] };
      levels: Array<{ successRate: number; results: Array<{ candidate: string; delta: number }> }>;
    };
    expect(json.config.successRates).toEqual([0.99, 0.9]);
    expect(json.levels.map((l) => l.results.map((r) => `${r.candidate} ${r.delta}`))).toEqual([
      ['Levee 10', 'Static-BAU 5', 'Static-Peak 7'],
      ['Levee 20', 'Static-BAU 5', 'Static-Peak 7'],
    ]);
    expect(out.text).toMatch(
      /^0\.99 \| +10\.00 \| +5\.00 \| +7\.00 \| +\+3\.00 \| Static-Peak \| +3$/m,
    );
    expect(out.text.match(/^any +\| Static-\w+ /gm)).toHaveLength(2);
    expect(out.scoreboard.map((r) => [r.configuration, r.reference?.levee])).toEqual([
      ['SLO 0.99', 75329.45],
      ['SLO 0.90', 71069.35],
    ]);
  });
});

describe('short sweep matches its pins (specs 0-7)', () => {
  it('slo-sweep: 0.99 and 0.70, Static-Peak once', async () => {
    const json = await runShort([
      'slo-sweep',
      '--slo',
      '0.99,0.7',
      '--candidates',
      'levee,static-peak',
    ]);
    const levels = json.levels as Array<{ successRate: number; results: JsonResult[] }>;
    expect(levels.map((l) => l.successRate)).toEqual([0.99, 0.7]);
    for (const l of levels) {
      expect(l.results.map(pinned)).toEqual(
        pinsOf('slo-sweep', String(l.successRate), ['Levee', 'Static-Peak']),
      );
    }
  }, 120_000);
});
