/**
 * `levee-bench faults` (src/suites/faults/): the scenarios and their files,
 * the jobs (plain data, the oracle where it bounds), the schedule oracle,
 * the output (per-scenario tables with the users' table, the summary, the
 * scoreboard rows without the oracle) and one small scenario run end to end.
 */
import { describe, expect, it } from 'vitest';
import type { ClosedLoopResult } from '../../../src/sim/orchestrator/closed-loop.js';
import { cyberMonday } from '../../../src/sim/workload/cyber-monday.js';
import type { ClosedLoopParams } from '../../../src/suites/closed-loop/runner.js';
import { ORACLE_KEY, ScheduleOracle } from '../../../src/suites/faults/oracle.js';
import { FAULTS_RUNNER, jobFaultWindows } from '../../../src/suites/faults/runner.js';
import {
  cyberMondaySpike,
  FAULT_SCENARIOS,
  scenarioSpecs,
} from '../../../src/suites/faults/scenarios.js';
import { faultsSuite } from '../../../src/suites/faults/suite.js';
import { RUNNERS, runJobInline, SUITES } from '../../../src/suites/index.js';
import type { TracedResult } from '../../../src/suites/shared/suite.js';
import { options } from '../fixtures.js';

const S = 1e9;

describe('the scenarios', () => {
  it('are at least eight, each with its rationale, ideal and bound, and load', () => {
    expect(FAULT_SCENARIOS.length).toBeGreaterThanOrEqual(8);
    expect(FAULT_SCENARIOS.map((s) => s.name)).toEqual([
      'partial-15',
      'outage-5m',
      'hang-5m',
      'brownout-x4',
      'flap',
      'retry-storm',
      'retry-budget',
      'spike-1x',
      'spike-4x',
      'event-loop',
    ]);
    for (const s of FAULT_SCENARIOS) {
      expect(s.rationale.length).toBeGreaterThan(60);
      expect(s.ideal.length).toBeGreaterThan(30);
      expect(s.bound.length).toBeGreaterThan(20);
      const specs = scenarioSpecs(s);
      expect(specs.every((x) => x.baselineErrorRate !== undefined)).toBe(true);
      // A few simulated hours at most.
      expect(specs.reduce((n, x) => n + x.durationS, 0)).toBeLessThanOrEqual(3 * 3600);
      if (s.referenceScenario !== undefined) {
        expect(FAULT_SCENARIOS.some((r) => r.name === s.referenceScenario)).toBe(true);
      }
    }
  });

  it('declare their faults in the example files as documented', () => {
    const windows = (name: string) => {
      const s = FAULT_SCENARIOS.find((x) => x.name === name)!;
      return jobFaultWindows({
        candidate: '',
        seed: 1,
        specs: scenarioSpecs(s),
        backend: { faults: [] } as unknown as ClosedLoopParams['backend'],
      });
    };
    expect(windows('partial-15')).toEqual([
      { kind: 'error', share: 0.15, startS: 1200, durationS: 600 },
    ]);
    expect(windows('outage-5m')).toEqual([{ kind: 'outage', startS: 1200, durationS: 300 }]);
    expect(windows('hang-5m')).toEqual([{ kind: 'hang', startS: 1200, durationS: 300 }]);
    expect(windows('brownout-x4')).toEqual([
      { kind: 'slow', factor: 4, startS: 1200, durationS: 600 },
    ]);
    expect(windows('flap')).toEqual([
      { kind: 'flap', periodS: 60, downS: 30, startS: 1200, durationS: 600 },
    ]);
    expect(windows('retry-storm')).toEqual([
      { kind: 'outage', startS: 1200, durationS: 300 },
      { kind: 'slow', factor: 2, startS: 1500, durationS: 180 },
    ]);
    expect(windows('spike-1x')).toEqual([]);
  });

  it('the Cyber Monday spike: specs 47-52, the calm ends shortened to 10 minutes', () => {
    const spike = cyberMondaySpike();
    expect(spike.map((s) => s.durationS)).toEqual([600, 120, 60, 60, 60, 600]);
    expect(spike.map((s) => s.rpm)).toEqual(
      cyberMonday()
        .slice(47, 53)
        .map((s) => s.rpm),
    );
    expect(spike[1]!.rpm).toBe(158_400); // the 09:00 spike, 2,640 requests/s
    const four = scenarioSpecs(FAULT_SCENARIOS.find((s) => s.name === 'spike-4x')!);
    expect(four.map((s) => s.rpm)).toEqual(spike.map((s) => s.rpm * 4));
  });
});

describe('the suite', () => {
  it('is registered, with its runner', () => {
    expect(SUITES).toContain(faultsSuite);
    expect(RUNNERS[FAULTS_RUNNER]).toBe(faultsSuite.runners[FAULTS_RUNNER]);
  });

  it('plans one job per candidate and scenario, plus the oracle where it bounds', () => {
    const jobs = faultsSuite.jobs(faultsSuite.plan(options()));
    const withOracle = FAULT_SCENARIOS.filter((s) => s.oracle).length;
    expect(withOracle).toBe(4);
    expect(jobs).toHaveLength(FAULT_SCENARIOS.length * 4 + withOracle);
    for (const j of jobs) {
      expect(j.runner).toBe(FAULTS_RUNNER);
      expect(JSON.parse(JSON.stringify(j.params))).toEqual(j.params);
      expect(j.cost).toBeGreaterThan(0);
    }
    const of = (scenario: string, candidate: string) =>
      jobs.find((j) => j.label === `${scenario} / ${candidate}`)!.params;
    expect(of('retry-storm', 'Levee').retry).toMatchObject({
      attempts: 4,
      baseMs: 100,
      capMs: 1000,
    });
    expect(of('retry-budget', 'Levee').retry?.budget).toEqual({
      ratio: 0.2,
      minPerS: 10,
      ttlS: 10,
    });
    expect(of('event-loop', 'Levee').tickMs).toBe(1);
    expect(of('spike-4x', 'Levee').backend).toMatchObject({
      throughputPerReplica: 600,
      slotsPerReplica: 44,
      queueDepthPerReplica: 200,
      minReplicas: 5,
    });
    expect(of('spike-1x', 'Levee').backend).toMatchObject({ slotsPerReplica: 11, minReplicas: 5 });
    expect(of('outage-5m', 'Oracle').candidate).toBe(ORACLE_KEY);
    expect(of('partial-15', 'Levee').slo).toEqual({ successRate: 0.9, timeoutMs: 1500 });
    expect(of('partial-15', 'Static-Peak').slo).toBeUndefined();
  });

  it('--scenarios picks scenarios (in the suite’s order); unknown names are refused', () => {
    const option = faultsSuite.options.find((o) => typeof o !== 'string' && o.flag === 'scenarios');
    if (option === undefined || typeof option === 'string') throw new Error('no --scenarios');
    expect(option.parse('flap,hang-5m')).toEqual(['flap', 'hang-5m']);
    expect(() => option.parse('flap,nope')).toThrow(/unknown scenario "nope"/);
    const plan = faultsSuite.plan({ ...options(), scenarios: ['flap', 'hang-5m'] } as never);
    expect(plan.scenarios.map((s) => s.scenario.name)).toEqual(['hang-5m', 'flap']);
  });
});

describe('the schedule oracle', () => {
  it('refuses exactly the calls an outage, a hang or a flap’s down part dooms', () => {
    const oracle = new ScheduleOracle([
      { kind: 'error', share: 0.5, startS: 0, durationS: 10 },
      { kind: 'outage', startS: 10, durationS: 10 },
      { kind: 'slow', factor: 4, startS: 20, durationS: 10 },
      { kind: 'hang', startS: 30, durationS: 10 },
      { kind: 'flap', periodS: 10, downS: 3, startS: 40, durationS: 20 },
    ]);
    const admits = (t: number) => oracle.start(t * S);
    expect([5, 15, 25, 35, 41, 44, 52, 55, 65].map(admits)).toEqual([
      true,
      false,
      true,
      false,
      false,
      true,
      false,
      true,
      true,
    ]);
    expect(oracle.start(15 * S)).toBe(false);
    expect(oracle.state()).toBe('OPEN');
    expect(oracle.start(25 * S)).toBe(true);
    expect(oracle.state()).toBe('CLOSED');
  });
});

describe('a scenario end to end (outage-5m, Static-Peak and the oracle)', () => {
  it('runs, scores the oracle as the bound, prints the tables, the users and the summary', () => {
    const plan = faultsSuite.plan({
      ...options({ candidates: ['static-peak', 'levee'] }),
      scenarios: ['outage-5m'],
    } as never);
    const jobs = faultsSuite.jobs(plan);
    expect(jobs.map((j) => j.label)).toEqual([
      'outage-5m / Static-Peak',
      'outage-5m / Levee',
      'outage-5m / Oracle',
    ]);
    const results = jobs.map((j) => runJobInline(j) as ClosedLoopResult);
    const [peak, levee, oracle] = results;
    // Nothing else fails in this scenario: the oracle fails only baseline calls and blocks the outage.
    expect(oracle!.backend.faulted).toBe(0);
    expect(oracle!.backend.shed + oracle!.backend.queueDrops + oracle!.backend.crashes).toBe(0);
    for (const r of [peak!, levee!]) expect(r.delta).toBeLessThanOrEqual(oracle!.delta);
    const out = faultsSuite.reduce(plan, results);
    expect(out.text).toContain('-- outage-5m: hard outage');
    expect(out.text).toMatch(/^Oracle +\|/m);
    expect(out.text).toMatch(/^Users +\| Requests \| Succeeded \| Failed \| Success/m);
    expect(out.text).toMatch(/^Summary:\nScenario +\| +Levee \| Best competitor/m);
    expect(out.text).toMatch(/^outage-5m +\| .*\| Static-Peak +\|/m);
    expect(out.scoreboard).toHaveLength(1);
    expect(out.scoreboard[0]).toMatchObject({
      suite: 'faults',
      configuration: 'outage-5m',
      metric: 'Delta',
      levee: levee!.delta,
      competitors: [{ name: 'Static-Peak', value: peak!.delta }],
    });
    const json = out.json as {
      scenarios: Array<{ name: string; oracle: unknown; faults: unknown }>;
    };
    expect(json.scenarios[0]!.name).toBe('outage-5m');
    expect(json.scenarios[0]!.oracle).not.toBeNull();
    expect(json.scenarios[0]!.faults).toEqual([{ kind: 'outage', startS: 1200, durationS: 300 }]);
    expect(JSON.parse(JSON.stringify(out.json))).toEqual(out.json);
    // The traced run gives the same result; its capacity line is 0 during the outage.
    const traced = runJobInline({ ...jobs[0]!, trace: true }) as TracedResult<ClosedLoopResult>;
    expect(traced.tracedResult).toEqual(peak);
    const capacity = (traced.trace as unknown as { columns: { capacity: Float64Array } }).columns
      .capacity;
    expect(capacity[1300]).toBe(0);
    expect(capacity[1000]).toBeGreaterThan(0);
  });
});
