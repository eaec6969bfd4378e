/**
 * The queue-depth sweep on the first incident (specs 0-7, 5 simulated hours), pinned to the
 * figures in suites/short-pins.json (computed once the full 28-hour runs had
 * reproduced every published figure; scripts/verify-suites.mjs checks those,
 * `--short` checks every pinned configuration). CI runs a slice of the sweep
 * to stay fast; the run goes through the CLI in-process.
 */
import { describe, expect, it } from 'vitest';
import { queueDepthSuite } from '../../../src/suites/queue-depth/suite.js';
import { options, outputOf, result } from '../fixtures.js';
import { type JsonResult, pinned, pinsOf, runShort } from '../short-run.js';

describe('published figures', () => {
  it('queue-depth rows carry the published Levee and Static-Peak figures', () => {
    const results = Array.from({ length: 15 }, (_, i) =>
      result(['Levee', 'Static-BAU', 'Static-Peak'][i % 3]!, 100 - i, i),
    );
    const out = outputOf(queueDepthSuite, options(), results);
    expect(out.scoreboard.map((r) => r.configuration)).toEqual([
      'QD 10 (0.2x)',
      'QD 25 (0.5x)',
      'QD 50 (1.0x)',
      'QD 70 (1.4x)',
      'QD 100 (2.0x)',
    ]);
    expect(out.scoreboard[4]!.reference).toEqual({
      levee: 70616.16,
      best: 53028.48,
      bestName: 'Static-Peak',
    });
    expect(out.text).toContain('Crashes (Levee / Static-BAU / Static-Peak)');
    expect(out.text).toMatch(
      /^100 \(2\.0x\) \| +88\.00 \| +87\.00 \| +86\.00 \| +\+1\.00 \| Static-BAU \| +12 \/ 13 \/ 14$/m,
    );
  });
});

describe('short sweep matches its pins (specs 0-7)', () => {
  it('queue-depth: 10 and 100 per replica, with crash counts', async () => {
    const json = await runShort([
      'queue-depth',
      '--multipliers',
      '0.2,2.0',
      '--candidates',
      'levee,static-peak',
    ]);
    const depths = json.depths as Array<{ queueDepthPerReplica: number; results: JsonResult[] }>;
    expect(depths.map((d) => d.queueDepthPerReplica)).toEqual([10, 100]);
    for (const d of depths) {
      expect(d.results.map(pinned)).toEqual(
        pinsOf('queue-depth', String(d.queueDepthPerReplica), ['Levee', 'Static-Peak']),
      );
    }
  }, 120_000);
});
