/**
 * The suite framework: every suite's jobs are plain data with a registered
 * runner; reducers and the scoreboard, on stand-in results.
 */
import { describe, expect, it } from 'vitest';
import { CANDIDATES } from '../../src/candidates/registry.js';
import type { ClosedLoopResult } from '../../src/sim/orchestrator/closed-loop.js';
import { cyberMonday } from '../../src/sim/workload/cyber-monday.js';
import { closedLoopSuite } from '../../src/suites/closed-loop/suite.js';
import { deltaRow, isPublishedSetup } from '../../src/suites/common.js';
import { cooperationSuite } from '../../src/suites/cooperation/suite.js';
import { SUITES } from '../../src/suites/index.js';
import { loadVariationSuite } from '../../src/suites/load-variation/suite.js';
import { queueDepthSuite } from '../../src/suites/queue-depth/suite.js';
import { RUNNERS } from '../../src/suites/runners.js';
import {
  formatScoreboard,
  leveeWins,
  margin,
  scoreboardJson,
  summarize,
} from '../../src/suites/scoreboard.js';
import { sloSweepSuite } from '../../src/suites/slo-sweep/suite.js';
import type { ScoreboardRow, SuiteOptions } from '../../src/suites/suite.js';
import { type JsonResult, PINS, type PinnedRow, pinned, runShort } from './short-run.js';

function options(extra: Partial<SuiteOptions> = {}): SuiteOptions {
  const specs = cyberMonday();
  return {
    seed: 20241225,
    workload: { name: 'cyber-monday', builtin: true, specs },
    specs: { first: 0, last: specs.length - 1 },
    backend: {},
    ...extra,
  };
}

function result(candidate: string, delta: number, crashes = 0): ClosedLoopResult {
  return {
    candidate,
    blocked: 1,
    allowed: 2,
    successes: 2,
    failures: 0,
    successScore: delta + 1,
    failureScore: 1,
    delta,
    maxConcurrency: 3,
    backend: { requests: 2, successes: 2, failures: 0, shed: 0, queueDrops: 0, crashes },
  };
}

describe('suite modules', () => {
  it('have distinct names, help and options, and plain-data jobs with registered runners', () => {
    expect(SUITES.map((s) => s.name)).toEqual([
      'closed-loop',
      'load-variation',
      'cooperation',
      'slo-sweep',
      'queue-depth',
      'prescient',
      'mesh',
    ]);
    for (const suite of SUITES) {
      expect(suite.summary.length).toBeGreaterThan(10);
      expect(suite.description.length).toBeGreaterThan(100);
      const jobs = suite.jobs(options({ specs: { first: 0, last: 7 } }));
      expect(jobs.length).toBeGreaterThan(0);
      for (const job of jobs) {
        expect(RUNNERS[job.runner]).toBeTypeOf('function');
        expect(structuredClone(job)).toEqual(job);
        expect(JSON.parse(JSON.stringify(job.params))).toEqual(job.params);
        expect(job.cost).toBeGreaterThan(0);
      }
      // Suites taking --candidates default to registry keys (the mesh has its own governors).
      if (suite.options.includes('candidates')) {
        for (const c of suite.defaultCandidates) {
          expect(CANDIDATES.some((e) => e.key === c)).toBe(true);
        }
      }
    }
  });

  it('job counts: 4 / 21 / 4 / 5+2 / 15', () => {
    expect(closedLoopSuite.jobs(options())).toHaveLength(4);
    expect(loadVariationSuite.jobs(options())).toHaveLength(21);
    expect(cooperationSuite.jobs(options())).toHaveLength(4);
    expect(sloSweepSuite.jobs(options())).toHaveLength(7);
    expect(queueDepthSuite.jobs(options())).toHaveLength(15);
  });

  it('shares identical simulations between suites (the reference run)', () => {
    const key = (j: { runner: string; params: unknown }) =>
      `${j.runner} ${JSON.stringify(j.params)}`;
    const reference = new Set(closedLoopSuite.jobs(options()).map(key));
    const shared = (jobs: { runner: string; params: unknown }[]) =>
      jobs.filter((j) => reference.has(key(j))).length;
    expect(shared(loadVariationSuite.jobs(options()))).toBe(3);
    expect(shared(sloSweepSuite.jobs(options()))).toBe(3);
    expect(shared(queueDepthSuite.jobs(options()))).toBe(3);
    expect(shared(cooperationSuite.jobs(options()))).toBe(0);
  });
});

describe('published setup detection', () => {
  it('needs the built-in workload, all specs, the base seed and the reference backend', () => {
    expect(isPublishedSetup(options())).toBe(true);
    expect(isPublishedSetup(options({ seed: 1 }))).toBe(false);
    expect(isPublishedSetup(options({ specs: { first: 0, last: 7 } }))).toBe(false);
    expect(isPublishedSetup(options({ backend: { queueDepthPerReplica: 10 } }))).toBe(false);
    expect(isPublishedSetup(options({ backend: { queueDepthPerReplica: 50 } }))).toBe(true);
    const o = options();
    expect(isPublishedSetup({ ...o, workload: { ...o.workload, builtin: false } })).toBe(false);
  });

  it('attaches the published figures to the reference configuration only', () => {
    const results = [
      result('No-CB', -5),
      result('Levee', 10),
      result('Static-BAU', 4),
      result('Static-Peak', 7),
    ];
    const [row] = closedLoopSuite.reduce(options(), results).scoreboard;
    expect(row!.reference).toEqual({ levee: 71069.35, best: 61497.68, bestName: 'Static-Peak' });
    const [other] = closedLoopSuite.reduce(options({ sloRates: [0.95] }), results).scoreboard;
    expect(other!.reference).toBeUndefined();
  });

  it('queue-depth rows carry the published Levee and Static-Peak figures', () => {
    const results = Array.from({ length: 15 }, (_, i) =>
      result(['Levee', 'Static-BAU', 'Static-Peak'][i % 3]!, 100 - i, i),
    );
    const out = queueDepthSuite.reduce(options(), results);
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

describe('closed-loop on the first incident (specs 0-7)', () => {
  it('matches its pins (Levee and Static-BAU)', async () => {
    const json = await runShort(['closed-loop', '--candidates', 'levee,static-bau']);
    const pins = PINS['closed-loop'] as PinnedRow[];
    expect((json.results as JsonResult[]).map(pinned)).toEqual(
      ['Levee', 'Static-BAU'].map((c) => pins.find((p) => p.candidate === c)),
    );
  }, 120_000);
});
