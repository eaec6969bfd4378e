/**
 * The sweeps on the first incident (specs 0-7, 5 simulated hours), pinned to
 * the figures in suites/short-pins.json (computed once the full 28-hour runs
 * had reproduced every published figure; scripts/verify-suites.mjs checks
 * those, `--short` checks every pinned configuration). CI runs a slice of
 * each sweep to stay fast; the runs go through the CLI in-process.
 */
import { describe, expect, it } from 'vitest';
import { type JsonResult, PINS, type PinnedRow, pinned, runShort } from './short-run.js';

function pinsOf(suite: string, configuration: string, candidates: string[]): PinnedRow[] {
  const rows = (PINS[suite] as Record<string, PinnedRow[]>)[configuration]!;
  return candidates.map((c) => rows.find((r) => r.candidate === c)!);
}

describe('short sweeps match their pins (specs 0-7)', () => {
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
