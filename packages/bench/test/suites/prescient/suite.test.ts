import { beforeAll, describe, expect, it } from 'vitest';
import { BENCH_SEED, cyberMonday } from '../../../src/sim/workload/cyber-monday.js';
import type { LoadSpec } from '../../../src/sim/workload/load-spec.js';
import {
  checkSameStream,
  fixed0,
  formatPrescientTable,
  formatPublishedTable,
  formatTransitionLog,
  prescientRows,
} from '../../../src/suites/prescient/format.js';
import { PUBLISHED_PRESCIENT } from '../../../src/suites/prescient/published.js';
import {
  type PrescientCandidateResult,
  runPrescientJob,
} from '../../../src/suites/prescient/runner.js';
import { PRESCIENT_RUNNER, prescientSuite } from '../../../src/suites/prescient/suite.js';
import type { SuiteOptions } from '../../../src/suites/shared/suite.js';
import { jobsOf, outputOf } from '../fixtures.js';

const SLO = { successRate: 0.9, timeoutMs: 1500 };

/** 20 s calm, 10 s at 60 % errors, 20 s calm, at 50 RPS. */
const SMALL: LoadSpec[] = [
  { rpm: 3000, errorRate: 0.005, durationS: 20, p50Ms: 50, p99Ms: 150, timeoutMs: 1500 },
  { rpm: 3000, errorRate: 0.6, durationS: 10, p50Ms: 200, p99Ms: 800, timeoutMs: 1500 },
  { rpm: 3000, errorRate: 0.005, durationS: 20, p50Ms: 50, p99Ms: 150, timeoutMs: 1500 },
];

function options(over: Partial<SuiteOptions> = {}): SuiteOptions {
  const specs = cyberMonday();
  return {
    seed: BENCH_SEED,
    workload: { name: 'cyber-monday', builtin: true, specs },
    specs: { first: 0, last: specs.length - 1 },
    backend: {},
    ...over,
  };
}

describe('the published table (§4.4)', () => {
  it('is reproduced character for character by the formatter', () => {
    expect(formatPublishedTable()).toBe(
      `Candidate       |    Blocked |    Allowed | Flap | FalseAlarm | LateDetect |   BadTraffic | LostBusiness | TotalPenalty
Prescient       |     773832 |   55751328 |    0 |          0 |          0 |            0 |            0 |            0
Levee           |    4084069 |   52441091 |    4 |          1 |          0 |         3449 |        11728 |        15177
Static-Peak     |    3737675 |   52787485 |    4 |          0 |          1 |        24431 |         5636 |        30067
Static-BAU      |    4249310 |   52275850 |   35 |          8 |          0 |        13201 |        29892 |        43093
`,
    );
    for (const r of PUBLISHED_PRESCIENT) {
      expect(r.blocked + r.allowed).toBe(56_525_160);
      expect(r.badTraffic + r.lostBusiness).toBe(r.totalPenalty);
    }
  });

  it('fixed0 rounds like %.0f: nearest, exact halves to even', () => {
    expect(fixed0(3449.4)).toBe('3449');
    expect(fixed0(3449.6)).toBe('3450');
    expect(fixed0(2.5)).toBe('2');
    expect(fixed0(3.5)).toBe('4');
    expect(fixed0(0)).toBe('0');
  });
});

describe('rows, report and suite', () => {
  let results: PrescientCandidateResult[] = [];
  beforeAll(() => {
    results = ['static-peak', 'levee', 'static-bau', 'no-cb'].map((candidate) =>
      runPrescientJob({ candidate, seed: BENCH_SEED, slo: SLO, workload: SMALL }),
    );
  });

  it('puts the Prescient estimate first, then the candidates by ascending TotalPenalty', () => {
    const rows = prescientRows(results);
    expect(rows[0]!.candidate).toBe('Prescient');
    expect(rows[0]!.estimate).toBe(true);
    expect(rows[0]!.totalPenalty).toBe(0);
    const penalties = rows.slice(1).map((r) => r.totalPenalty);
    expect(penalties).toEqual([...penalties].sort((a, b) => a - b));
    expect(
      rows
        .slice(1)
        .map((r) => r.candidate)
        .sort(),
    ).toEqual(['Levee', 'No-CB', 'Static-BAU', 'Static-Peak']);
    // No-CB admits everything: its bad traffic is the whole incident.
    const noCb = rows.find((r) => r.candidate === 'No-CB')!;
    expect(noCb.blocked).toBe(0);
    expect(noCb.lostBusiness).toBe(0);
    expect(formatPrescientTable(rows).split('\n')[0]).toBe(
      'Candidate       |    Blocked |    Allowed | Flap | FalseAlarm | LateDetect |   BadTraffic | LostBusiness | TotalPenalty',
    );
  });

  it('refuses to combine results of different streams', () => {
    const other = runPrescientJob({ candidate: 'static-bau', seed: 1, slo: SLO, workload: SMALL });
    expect(() => checkSameStream([results[0]!, other])).toThrow(/different stream/);
    expect(() => checkSameStream(results)).not.toThrow();
  });

  it('jobs: one plain-data job per candidate, the SLO defaulting to 0.90 / 1,500 ms', () => {
    const jobs = jobsOf(prescientSuite, options());
    expect(jobs.map((j) => j.params.candidate)).toEqual(['levee', 'static-bau', 'static-peak']);
    for (const j of jobs) {
      expect(j.runner).toBe(PRESCIENT_RUNNER);
      expect(j.params.slo).toEqual(SLO);
      expect(j.params.seed).toBe(BENCH_SEED);
      expect(j.params.workload).toHaveLength(122);
      expect(structuredClone(j)).toEqual(j);
      expect(j.cost).toBeGreaterThan(50_000_000);
    }
    const sliced = jobsOf(
      prescientSuite,
      options({
        specs: { first: 0, last: 7 },
        candidates: ['no-cb'],
        sloRate: 0.8,
        sloTimeoutMs: 900,
      }),
    );
    expect(sliced).toHaveLength(1);
    expect(sliced[0]!.params.workload).toEqual(cyberMonday().slice(0, 8));
    expect(sliced[0]!.params.slo).toEqual({ successRate: 0.8, timeoutMs: 900 });
    expect(sliced[0]!.label).toBe('prescient / No-CB');
  });

  it('reduce: table, JSON, scoreboard row with the published reference only for the published setup', () => {
    const out = outputOf(prescientSuite, options(), results);
    expect(out.text).toContain('Prescient       |');
    expect(out.text).toContain('Published (upstream 04824ae):');
    expect(out.scoreboard).toHaveLength(1);
    const row = out.scoreboard[0]!;
    expect(row.metric).toBe('TotalPenalty');
    expect(row.higherIsBetter).toBe(false);
    expect(row.suite).toBe('prescient');
    expect(row.levee).toBe(results.find((r) => r.candidate === 'Levee')!.totalPenalty);
    expect(row.competitors.map((c) => c.name)).toEqual(['Static-Peak', 'Static-BAU', 'No-CB']);
    expect(row.reference).toEqual({ levee: 15177, best: 30067, bestName: 'Static-Peak' });
    expect(out.files?.[0]?.name).toBe('prescient-transitions.txt');

    const json = out.json as {
      suite: string;
      config: { oracleThreshold: number; buckets: { phaseNs: number }; candidates: string[] };
      oracle: { requests: number; changes: unknown[]; periods: unknown[] };
      rows: Array<{ candidate: string; totalPenalty: number }>;
      candidates: Array<{ candidate: string; transitions: object; transitionLog: unknown[] }>;
      published: unknown[] | null;
    };
    expect(json.suite).toBe('prescient');
    expect(json.config.oracleThreshold).toBe(0.09999999999999998);
    expect(json.config.buckets.phaseNs).toBe(0);
    expect(json.oracle.changes).toHaveLength(2);
    expect(json.oracle.periods).toHaveLength(1);
    expect(json.rows[0]!.candidate).toBe('Prescient');
    expect(json.candidates).toHaveLength(4);
    expect(Object.keys(json.candidates[0]!.transitions)).toHaveLength(8);
    expect(json.published).toHaveLength(4);
    expect(JSON.parse(JSON.stringify(json))).toEqual(json);

    const mine = outputOf(prescientSuite, options({ seed: 7 }), results);
    expect(mine.scoreboard[0]!.reference).toBeUndefined();
    expect(mine.text).not.toContain('Published');
    expect((mine.json as { published: unknown }).published).toBeNull();
    const user = outputOf(
      prescientSuite,
      options({
        workload: { name: 'mine.json', builtin: false, specs: SMALL },
        specs: { first: 0, last: 2 },
      }),
      results,
    );
    expect(user.scoreboard[0]!.reference).toBeUndefined();
    expect(user.scoreboard[0]!.configuration).toContain('mine.json');
  });

  it('has no scoreboard row without Levee', () => {
    const out = outputOf(prescientSuite, options({ candidates: ['static-bau'] }), [results[2]!]);
    expect(out.scoreboard).toEqual([]);
  });

  it('writes the classified transitions in time order', () => {
    const log = formatTransitionLog(results).trimEnd().split('\n');
    expect(log[0]).toMatch(/^ +time +\| candidate/);
    const times = log.slice(1).map((l) => Number.parseFloat(l));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(log.length - 1).toBe(results.reduce((n, r) => n + r.transitionLog.length, 0));
  });
});
