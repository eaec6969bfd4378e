/**
 * The load-variation sweep on the first incident (specs 0-7, 5 simulated hours), pinned to the
 * figures in suites/short-pins.json (computed once the full 28-hour runs had
 * reproduced every published figure; scripts/verify-suites.mjs checks those,
 * `--short` checks every pinned configuration). CI runs a slice of the sweep
 * to stay fast; the run goes through the CLI in-process.
 */
import { describe, expect, it } from 'vitest';
import { type JsonResult, pinned, pinsOf, runShort } from '../short-run.js';

describe('short sweep matches its pins (specs 0-7)', () => {
  it('load-variation: half-RPM and high-err', async () => {
    const json = await runShort([
      'load-variation',
      '--variations',
      'half-RPM,high-err',
      '--candidates',
      'levee,static-peak',
    ]);
    const variations = json.variations as Array<{ name: string; results: JsonResult[] }>;
    expect(variations.map((v) => v.name)).toEqual(['half-RPM', 'high-err']);
    for (const v of variations) {
      expect(v.results.map(pinned)).toEqual(
        pinsOf('load-variation', v.name, ['Levee', 'Static-Peak']),
      );
    }
  }, 120_000);
});
