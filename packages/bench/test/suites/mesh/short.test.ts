/**
 * The short mesh run (phases A + B, 330 s, seed 20241225) pinned for every
 * governor. These figures were computed by this implementation after the full
 * 30-minute run had reproduced every published cell of docs/BENCHMARKS.md §6.7
 * (scripts/verify-mesh.mjs); any change to them is a change of the model.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { PublishedGovernorKind } from '../../../src/suites/mesh/governors.js';
import { type MeshResult, runMeshJob } from '../../../src/suites/mesh/runner.js';
import { MESH_OPTIONS, meshScoreboardRow, meshSuite } from '../../../src/suites/mesh/suite.js';
import type { SuiteOptions } from '../../../src/suites/shared/suite.js';
import { jobsOf, outputOf } from '../fixtures.js';

type Row = [allowed: number, blocked: number, successes: number, failures: number, delta: string];

const PINNED: Record<
  PublishedGovernorKind,
  { all: Row; edge: Row; admin: Row; crashes: Record<string, number> }
> = {
  'no-gov': {
    all: [238084, 0, 61745, 176339, '-10104.200'],
    edge: [231483, 0, 55316, 176167, '-10368.568'],
    admin: [6601, 0, 6429, 172, '368.979'],
    crashes: { 'edge-api': 2 },
  },
  'static-breaker': {
    all: [238084, 0, 61584, 176500, '-10119.510'],
    edge: [231483, 0, 55316, 176167, '-10370.578'],
    admin: [6601, 0, 6268, 333, '324.746'],
    crashes: { 'edge-api': 2 },
  },
  'static-limiter': {
    all: [155039, 83045, 143591, 11448, '4835.085'],
    edge: [148438, 83045, 137286, 11152, '4571.425'],
    admin: [6601, 0, 6305, 296, '348.958'],
    crashes: {},
  },
  'static-full': {
    all: [155039, 83045, 142850, 12189, '4646.794'],
    edge: [148438, 83045, 136571, 11867, '4387.659'],
    admin: [6601, 0, 6279, 322, '343.534'],
    crashes: {},
  },
  levee: {
    all: [184938, 53146, 172722, 12216, '7436.553'],
    edge: [178448, 53035, 166468, 11980, '7169.812'],
    admin: [6490, 111, 6254, 236, '343.116'],
    crashes: {},
  },
};

const ORDER: PublishedGovernorKind[] = [
  'no-gov',
  'static-breaker',
  'static-limiter',
  'static-full',
  'levee',
];

const row = (s: {
  allowed: number;
  blocked: number;
  successes: number;
  failures: number;
  delta: number;
}): Row => [s.allowed, s.blocked, s.successes, s.failures, s.delta.toFixed(3)];

const results = new Map<PublishedGovernorKind, MeshResult>();

beforeAll(() => {
  for (const governor of ORDER) results.set(governor, runMeshJob({ governor, phases: 'A-B' }));
}, 120_000);

describe('short mesh run (A–B, 330 s) pinned per governor', () => {
  for (const governor of ORDER) {
    it(governor, () => {
      const r = results.get(governor)!;
      const want = PINNED[governor];
      expect(r.durationS).toBe(330);
      expect(row(r)).toEqual(want.all);
      expect(r.meshDelta).toBe(r.delta);
      expect(r.entries.map((e) => e.node)).toEqual(['edge-api', 'admin-api']);
      expect(row(r.entries[0]!)).toEqual(want.edge);
      expect(row(r.entries[1]!)).toEqual(want.admin);
      const crashes = Object.fromEntries(
        r.nodes.filter((n) => n.crashes > 0).map((n) => [n.node, n.crashes]),
      );
      expect(crashes).toEqual(want.crashes);
      // Every admitted root finishes exactly once.
      expect(r.successes + r.failures).toBe(r.allowed);
    });
  }

  it('all governors see the same arrivals', () => {
    for (const r of results.values()) expect(r.allowed + r.blocked).toBe(238084);
  });
});

describe('mesh suite', () => {
  const options = { seed: 20241225, phases: 'A-B' } as unknown as SuiteOptions;

  it('parses its own options --phases and --governors', () => {
    const opt = (flag: string) => MESH_OPTIONS.find((o) => o.flag === flag)!;
    for (const o of MESH_OPTIONS) expect(meshSuite.options).toContain(o);
    expect(opt('phases').parse('ab')).toBe('A-B');
    expect(opt('phases').parse('A-H')).toBe('A-H');
    expect(() => opt('phases').parse('C-D')).toThrow();
    expect(opt('governors').parse('levee, static-full')).toEqual(['levee', 'static-full']);
    expect(() => opt('governors').parse('levee,nope')).toThrow(/unknown mesh governor "nope"/);
    expect(() => opt('governors').parse('levee,levee')).toThrow(/twice/);
    const two = jobsOf(meshSuite, {
      ...options,
      governors: ['levee', 'no-gov'],
    } as unknown as SuiteOptions);
    expect(two.map((j) => j.params.governor)).toEqual(['levee', 'no-gov']);
  });

  it('takes --candidates (also from `all`) and maps them onto governors', () => {
    expect(meshSuite.options).toContain('candidates');
    const jobs = jobsOf(meshSuite, {
      ...options,
      candidates: ['levee', 'aimd', 'opossum-tuned'],
    } as unknown as SuiteOptions);
    expect(jobs.map((j) => j.params.governor)).toEqual(['levee', 'aimd', 'opossum-tuned']);
    const published = jobsOf(meshSuite, {
      ...options,
      candidates: [...meshSuite.defaultCandidates],
    } as unknown as SuiteOptions);
    expect(published.map((j) => j.params.governor)).toEqual(ORDER);
  });

  it('makes one serialisable job per governor', () => {
    const jobs = jobsOf(meshSuite, options);
    expect(jobs.map((j) => j.params)).toEqual(
      ORDER.map((governor) => ({ governor, seed: 20241225, phases: 'A-B' })),
    );
    expect(jobs.every((j) => j.runner === 'mesh' && j.cost > 0)).toBe(true);
    expect(JSON.parse(JSON.stringify(jobs))).toEqual(jobs);
  });

  it('reduces to the published layout, a JSON document and a MeshDelta scoreboard row', () => {
    const list = ORDER.map((g) => results.get(g)!);
    const out = outputOf(meshSuite, options, list);
    expect(out.text).toContain(
      'Candidate       |   Allowed |   Blocked |   Success |  Failures |  MeshDelta',
    );
    expect(out.text).toContain(
      'Levee           |    184938 |     53146 |    172722 |     12216 |     7436.6',
    );
    expect(out.text).toContain(
      'Crashes: No-Gov edge-api x2;\n         Static-Breaker edge-api x2; others none.',
    );
    const json = out.json as {
      suite: string;
      results: Array<{ candidate: string; meshDelta: number }>;
    };
    expect(json.suite).toBe('mesh');
    expect(json.results.map((r) => r.candidate)).toEqual([
      'No-Gov',
      'Static-Breaker',
      'Static-Limiter',
      'Static-Full',
      'Levee',
    ]);
    expect(json.results[4]!.meshDelta).toBe(7436.55);
    expect(out.scoreboard).toHaveLength(1);
    const sb = out.scoreboard[0]!;
    expect(sb).toMatchObject({ suite: 'mesh', metric: 'MeshDelta', higherIsBetter: true });
    expect(sb.levee).toBe(results.get('levee')!.meshDelta);
    expect(sb.competitors.map((c) => c.name)).toEqual([
      'No-Gov',
      'Static-Breaker',
      'Static-Limiter',
      'Static-Full',
    ]);
    expect(sb.reference).toBeUndefined(); // only the full A–H run has published figures
    const full = meshScoreboardRow(list.map((r) => ({ ...r, phases: 'A-H' })));
    expect(full?.reference).toEqual({ levee: 8587.3, best: 8141.9, bestName: 'Static-Limiter' });
  });
});
