/**
 * The suite framework: every suite's jobs are plain data run by a runner the
 * suite brings; the runner table is made of the suites' runners; a traced
 * run returns the plain run's result and a trace.
 */
import { describe, expect, it } from 'vitest';
import { CANDIDATES } from '../../src/candidates/registry.js';
import { closedLoopSuite } from '../../src/suites/closed-loop/suite.js';
import { cooperationSuite } from '../../src/suites/cooperation/suite.js';
import { RUNNERS, runJobInline, runnerTable, SUITES } from '../../src/suites/index.js';
import { loadVariationSuite } from '../../src/suites/load-variation/suite.js';
import { queueDepthSuite } from '../../src/suites/queue-depth/suite.js';
import { acceptsShared, type TracedResult } from '../../src/suites/shared/suite.js';
import { sloSweepSuite } from '../../src/suites/slo-sweep/suite.js';
import { jobsOf, options, spec } from './fixtures.js';

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
      'faults',
      'live',
    ]);
    for (const suite of SUITES) {
      expect(suite.summary.length).toBeGreaterThan(10);
      expect(suite.description.length).toBeGreaterThan(100);
      const jobs = jobsOf(suite, options({ specs: { first: 0, last: 7 } }));
      expect(jobs.length).toBeGreaterThan(0);
      for (const job of jobs) {
        expect(suite.runners[job.runner]?.run).toBeTypeOf('function');
        expect(RUNNERS[job.runner]).toBe(suite.runners[job.runner]);
        expect(structuredClone(job)).toEqual(job);
        expect(JSON.parse(JSON.stringify(job.params))).toEqual(job.params);
        expect(job.cost).toBeGreaterThan(0);
      }
      // Suites taking --candidates default to registry keys (the mesh has its own governors).
      if (acceptsShared(suite, 'candidates')) {
        for (const c of suite.defaultCandidates) {
          expect(CANDIDATES.some((e) => e.key === c)).toBe(true);
        }
      }
    }
  });

  it('job counts: 4 / 21 / 4 / 5+2 / 15', () => {
    expect(jobsOf(closedLoopSuite, options())).toHaveLength(4);
    expect(jobsOf(loadVariationSuite, options())).toHaveLength(21);
    expect(jobsOf(cooperationSuite, options())).toHaveLength(4);
    expect(jobsOf(sloSweepSuite, options())).toHaveLength(7);
    expect(jobsOf(queueDepthSuite, options())).toHaveLength(15);
  });

  it('shares identical simulations between suites (the reference run)', () => {
    const key = (j: { runner: string; params: unknown }) =>
      `${j.runner} ${JSON.stringify(j.params)}`;
    const reference = new Set(jobsOf(closedLoopSuite, options()).map(key));
    const shared = (jobs: { runner: string; params: unknown }[]) =>
      jobs.filter((j) => reference.has(key(j))).length;
    expect(shared(jobsOf(loadVariationSuite, options()))).toBe(3);
    expect(shared(jobsOf(sloSweepSuite, options()))).toBe(3);
    expect(shared(jobsOf(queueDepthSuite, options()))).toBe(3);
    expect(shared(jobsOf(cooperationSuite, options()))).toBe(0);
  });
});

describe('runner table', () => {
  it("is made of the suites' runners: the sweeps share the closed-loop one, every runner records", () => {
    expect(Object.keys(RUNNERS).sort()).toEqual([
      'closed-loop',
      'cooperation',
      'faults',
      'live',
      'mesh',
      'prescient',
    ]);
    for (const suite of SUITES) {
      for (const [name, runner] of Object.entries(suite.runners))
        expect(RUNNERS[name]).toBe(runner);
    }
    for (const runner of Object.values(RUNNERS)) expect(runner.recording).toBeDefined();
  });

  it('refuses two different runners under one name', () => {
    const a = { ...closedLoopSuite, runners: { x: { run: () => 1 } } };
    const b = { ...closedLoopSuite, runners: { x: { run: () => 2 } } };
    expect(() => runnerTable([a, b])).toThrow(/two different runners are named "x"/);
    expect(runnerTable([a, a]).x).toBe(a.runners.x);
  });

  it('runs a job; marked `trace`, the same result and its trace', () => {
    const tiny = options({
      workload: { name: 'tiny.json', builtin: false, specs: [spec(60), spec(30, 0.5)] },
      specs: { first: 0, last: 1 },
      candidates: ['levee'],
    });
    const [job] = jobsOf(closedLoopSuite, tiny);
    const plain = runJobInline(job!);
    const traced = runJobInline({ ...job!, trace: true }) as TracedResult;
    expect(traced.tracedResult).toEqual(plain);
    expect(traced.trace.candidate).toBe('Levee');
    expect(traced.trace.seconds).toBeGreaterThanOrEqual(90);
    expect(() => runJobInline({ runner: 'nope', params: {} })).toThrow(/no runner named "nope"/);
  });
});
