/** The live suite's plan, jobs and output (no sockets: the results are made up). */
import { describe, expect, it } from 'vitest';
import type { LiveRunResult } from '../../../src/suites/live/result.js';
import { liveSuite } from '../../../src/suites/live/suite.js';
import { options } from '../fixtures.js';

describe('plan and jobs', () => {
  it('defaults: four governors on node:http, every phase, SLO 0.99 / 1,000 ms', () => {
    const plan = liveSuite.plan(options());
    const jobs = liveSuite.jobs(plan);
    expect(jobs.map((j) => j.label)).toEqual([
      'live / http / None',
      'live / http / Static-Oracle',
      'live / http / Levee',
      'live / http / AIMD',
    ]);
    const p = jobs[0]!.params;
    expect(p.slo).toEqual({ successRate: 0.99, timeoutMs: 1000 });
    expect(p.load.clientTimeoutMs).toBe(2000);
    expect(p.phases.map((x) => x.name)).toHaveLength(13);
    expect(p.service).toMatchObject({ slots: 20, serviceMs: 80, queueLimit: 0, crashQueue: 0 });
    for (const job of jobs) {
      expect(JSON.parse(JSON.stringify(job))).toEqual(job);
      expect(job.cost).toBe(jobs[0]!.cost); // equal costs: the CLI keeps them in order
    }
    // The runs' budget: the default (38 s of phases) stays far below the 3 minutes.
    expect(jobs[0]!.cost).toBeLessThan(120);
  });

  it('takes the own options and the shared ones', () => {
    const plan = liveSuite.plan(
      options({
        governors: ['levee', 'gradient2'],
        servers: ['express', 'fastify'],
        phases: ['calm', '4x'],
        phaseSeconds: 1.5,
        service: { slots: 10 },
        load: { connections: 64 },
        sloRate: 0.9,
        sloTimeoutMs: 500,
        seed: 3,
      }),
    );
    const jobs = liveSuite.jobs(plan);
    expect(jobs.map((j) => j.label)).toEqual([
      'live / express / Levee',
      'live / express / Gradient2',
      'live / fastify / Levee',
      'live / fastify / Gradient2',
    ]);
    expect(jobs[3]!.params).toMatchObject({
      flavour: 'fastify',
      governor: 'gradient2',
      phases: [
        { name: 'calm', seconds: 1.5 },
        { name: '4x', seconds: 1.5 },
      ],
      service: { slots: 10, serviceMs: 80 },
      load: { connections: 64, clientTimeoutMs: 1000 },
      slo: { successRate: 0.9, timeoutMs: 500 },
      seed: 3,
    });
    const viaCandidates = liveSuite.jobs(
      liveSuite.plan(options({ candidates: ['aimd', 'vegas'] })),
    );
    expect(viaCandidates.map((j) => j.params.governor)).toEqual([
      'none',
      'oracle',
      'levee',
      'aimd',
      'vegas',
    ]);
  });

  it('refuses what it cannot run', () => {
    expect(() => liveSuite.plan(options({ governors: ['none'], candidates: ['aimd'] }))).toThrow(
      /either --governors or --candidates/,
    );
    expect(() => liveSuite.plan(options({ service: { slots: 1000, serviceMs: 1 } }))).toThrow(
      /would offer 8000000 requests\/s/,
    );
    expect(() => liveSuite.plan(options({ sloTimeoutMs: 40_000 }))).toThrow(/client-timeout-ms/);
  });
});

/** A made-up run with one service and one client phase. */
function result(governor: string, name: string, lag = 0.5): LiveRunResult {
  const phase = (n: string, part: 'service' | 'client') => ({
    name: n,
    label: n,
    part,
    seconds: 3,
    offeredRps: 1000,
    offered: 3000,
    ok: 750,
    late: 0,
    failed: 0,
    timeout: 0,
    shed: 2250,
    goodputRps: 250,
    ofCapacity: part === 'service' ? 1 : null,
    ofOffered: 0.25,
    goodputMinRps: 240,
    goodputMaxRps: 260,
    admittedP50Ms: 81.2,
    admittedP99Ms: 95,
    shedShare: 0.75,
    failedShare: 0,
    healthP50Ms: 1,
    healthP99Ms: 2.5,
    heapMaxMb: 12,
    queueMax: 0,
    limitMin: 20,
    limitMax: 24,
    inflightMax: 20,
    stateShares: { closed: 0.5, throttled: 0.5, halfOpen: 0, open: 0 },
    eldP99Ms: 2,
    sendLagP99Ms: lag,
    sendLagMaxMs: lag,
    generatorElu: 0.3,
    ...(part === 'client' ? { recoveryS: 0.25 } : {}),
  });
  return {
    governor,
    name,
    server: 'http',
    capacityRps: 250,
    phases: [phase('4x', 'service'), phase('dep-healed', 'client')],
    totals: { offered: 6000, ok: 1500, late: 0, failed: 0, timeout: 0, shed: 4500 },
    crashes: [],
    loadAverage: { start: 1, end: 1.5 },
    abandoned: 0,
    leftovers: [],
    perSecond: { columns: ['t', 'ok'], rows: [[0, 250]] },
  };
}

describe('output', () => {
  const opts = options({ governors: ['oracle', 'levee'], phases: ['4x', 'dep-healed'] });
  const plan = liveSuite.plan(opts);

  it('prints a table per phase and a summary per run', () => {
    const out = liveSuite.reduce(plan, [
      result('oracle', 'Static-Oracle'),
      result('levee', 'Levee'),
    ]);
    expect(out.text).toContain('service of 20 slots x 80 ms = 250 req/s capacity');
    expect(out.text).toContain('4x: 4x, 1,000 req/s for 3 s (3,000 Poisson arrivals, 1,000/s)');
    expect(out.text).toMatch(
      /Static-Oracle \| +250 \| +100\.0% \| +25\.0% \| 240-260 \| +81\.2 \| +95\.0 \| 75\.0%/,
    );
    expect(out.text).toMatch(/dep-healed: .*, client calls to the dependency/);
    expect(out.text).toMatch(/of offered .*\| recovered/);
    expect(out.text).toContain('0.25 s');
    expect(out.text).toMatch(/^Runs$/m);
    expect(out.text).not.toContain('Warning');
    expect(out.scoreboard).toEqual([]);
  });

  it('warns when the load generator fell behind', () => {
    const out = liveSuite.reduce(plan, [result('oracle', 'Static-Oracle', 50)]);
    expect(out.text).toContain('Warning: the load generator fell behind its schedule');
    expect(out.text).toContain('Static-Oracle in 4x (50.00 ms)');
  });

  it('writes JSON with its configuration, marked not reproducible, without machine paths', () => {
    const out = liveSuite.reduce(plan, [result('oracle', 'Static-Oracle')]);
    const json = out.json as { suite: string; config: Record<string, unknown>; results: unknown[] };
    expect(json.suite).toBe('live');
    expect(json.config).toMatchObject({
      servers: ['http'],
      governors: ['oracle', 'levee'],
      capacityRps: 250,
      reproducible: false,
    });
    const text = JSON.stringify(json);
    expect(text).not.toMatch(/\/(tmp|home|work|root|Users)\//);
  });
});
