/**
 * The SLO sweep on the first incident (specs 0-7, 5 simulated hours), pinned to the
 * figures in suites/short-pins.json (computed once the full 28-hour runs had
 * reproduced every published figure; scripts/verify-suites.mjs checks those,
 * `--short` checks every pinned configuration). CI runs a slice of the sweep
 * to stay fast; the run goes through the CLI in-process.
 */
import { describe, expect, it } from 'vitest';
import { type JsonResult, pinned, pinsOf, runShort } from '../short-run.js';

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
