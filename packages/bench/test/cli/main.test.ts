import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { getCandidate } from '../../src/candidates/registry.js';
import { inlineExecutor, type JobExecutor } from '../../src/cli/executor.js';
import { type CliEnvironment, main } from '../../src/cli/main.js';
import type { ClosedLoopResult } from '../../src/sim/orchestrator/closed-loop.js';
import { formatClosedLoopTables } from '../../src/suites/closed-loop/format.js';
import type { ClosedLoopParams } from '../../src/suites/closed-loop/runner.js';
import type { CooperationParams } from '../../src/suites/cooperation/runner.js';
import type { Job } from '../../src/suites/shared/suite.js';

const dir = mkdtempSync(join(tmpdir(), 'levee-bench-main-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A stand-in for a simulation: a deterministic result derived from the job's params. */
function standIn(job: Job): ClosedLoopResult & { instances?: number } {
  const p = job.params as ClosedLoopParams & Partial<CooperationParams>;
  const entry = getCandidate(p.candidate);
  let k = entry.key.length + p.specs.length + (p.seed % 1000) + p.backend.queueDepthPerReplica;
  k += Math.round((p.slo?.successRate ?? 0) * 100) + (p.instances ?? 0);
  for (const s of p.specs) k += s.rpm % 7;
  const result: ClosedLoopResult & { instances?: number } = {
    candidate: entry.displayName,
    blocked: k * 10,
    allowed: k * 1000,
    successes: k * 900,
    failures: k * 100,
    successScore: k * 123.456789 + (entry.key === 'levee' ? 5000 : 0),
    failureScore: k * 12.3456789,
    delta: k * 111.1111101 + (entry.key === 'levee' ? 5000 : 0),
    maxConcurrency: k * 7,
    backend: {
      requests: k * 1000,
      successes: k * 901,
      failures: k * 99,
      shed: k * 3,
      queueDrops: k * 2,
      crashes: k % 3,
    },
  };
  if (job.runner === 'cooperation') result.instances = p.instances!;
  return result;
}

function harness(overrides: Partial<CliEnvironment> = {}) {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const jobs: Job[] = [];
  let t = 0;
  const env: Partial<CliEnvironment> = {
    stdout: { write: (s: string) => stdout.push(s) },
    stderr: { write: (s: string) => stderr.push(s), isTTY: false },
    executor: inlineExecutor((job, onProgress) => {
      jobs.push(job);
      for (let i = 1; i <= 4; i++) {
        t += 250;
        onProgress(i / 4);
      }
      return standIn(job);
    }),
    now: () => t,
    cores: 2,
    cwd: dir,
    ...overrides,
  };
  return { env, jobs, out: () => stdout.join(''), err: () => stderr.join('') };
}

const params = (j: Job) => j.params as ClosedLoopParams;

/** The version in a package.json, by its path from this file. */
function packageVersion(path: string): string {
  return (JSON.parse(readFileSync(new URL(path, import.meta.url), 'utf8')) as { version: string })
    .version;
}

describe('main: argument errors', () => {
  it.each([
    [['closed-loop', '--seed', 'x'], '--seed: "x"', 'closed-loop --help'],
    [['closed-loop', '--specs', '9-2'], '--specs: "9-2"', 'closed-loop --help'],
    [['slo-sweep', '--slo', '1.2'], '--slo: "1.2"', 'slo-sweep --help'],
    [['cooperation', '--frobnicate'], '--frobnicate', 'cooperation --help'],
    [['all', '--backend', 'nope.json'], 'nope.json: cannot read backend file', 'all --help'],
    [['bogus'], 'unknown suite "bogus"', 'levee-bench --help'],
    [[], 'missing suite', 'levee-bench --help'],
  ])('%j exits 2 before running anything', async (argv, message, hint) => {
    const h = harness();
    expect(await main(argv, h.env)).toBe(2);
    expect(h.err()).toContain(message);
    expect(h.err()).toMatch(/^levee-bench: /);
    expect(h.err()).toContain(hint);
    expect(h.jobs).toEqual([]);
    expect(h.out()).toBe('');
  });
});

describe('main: help', () => {
  it('prints a suite help to stdout and exits 0', async () => {
    const h = harness();
    expect(await main(['queue-depth', '--help'], h.env)).toBe(0);
    expect(h.out()).toContain('Usage: levee-bench queue-depth [options]');
    expect(h.out()).toContain('--multipliers');
    expect(h.jobs).toEqual([]);
  });
});

describe('main: --version', () => {
  it.each([
    [['--version']],
    [['closed-loop', '--version']],
    [['all', '--specs', '0', '--version']],
  ])('%j prints the bench, Levee and Node versions to stdout and exits 0', async (argv) => {
    const h = harness();
    expect(await main(argv, h.env)).toBe(0);
    expect(h.out()).toBe(
      `levee-bench ${packageVersion('../../package.json')} (@leveejs/levee ${packageVersion(
        '../../../levee/package.json',
      )}, Node ${process.version})\n`,
    );
    expect(h.err()).toBe('');
    expect(h.jobs).toHaveLength(0);
  });
});

describe('main: closed-loop with a stand-in runner', () => {
  it('runs the default candidates on the reference configuration', async () => {
    const h = harness();
    expect(await main(['closed-loop'], h.env)).toBe(0);
    const keys = h.jobs.map((j) => params(j).candidate).sort();
    expect(keys).toEqual(['levee', 'no-cb', 'static-bau', 'static-peak']);
    for (const j of h.jobs) {
      const p = params(j);
      expect(j.runner).toBe('closed-loop');
      expect(p.seed).toBe(20241225);
      expect(p.specs).toHaveLength(122);
      expect(p.backend.slotsPerReplica).toBe(11);
      expect(p.backend.queueDepthPerReplica).toBe(50);
      // Only Levee depends on the SLO.
      expect(p.slo).toEqual(
        p.candidate === 'levee' ? { successRate: 0.9, timeoutMs: 1500 } : undefined,
      );
    }
    // Largest first: Levee (costed higher) starts first.
    expect(params(h.jobs[0]!).candidate).toBe('levee');
    const order = ['no-cb', 'levee', 'static-bau', 'static-peak'];
    const byKey = new Map(h.jobs.map((j) => [params(j).candidate, standIn(j)]));
    expect(h.out()).toBe(formatClosedLoopTables(order.map((k) => byKey.get(k)!)));
  });

  it('prints results in the requested order even when they finish out of order', async () => {
    const delays: Record<string, number> = { 'static-peak': 30, levee: 1, 'no-cb': 15 };
    const executor: JobExecutor = async (job) => {
      await new Promise((r) => setTimeout(r, delays[params(job).candidate] ?? 0));
      return standIn(job);
    };
    const h = harness({ executor, cores: 3 });
    const argv = ['closed-loop', '--candidates', 'static-peak,levee,no-cb', '--specs', '0-7'];
    expect(await main(argv, h.env)).toBe(0);
    const rows = h.out().split('\n');
    expect(rows[0]).toMatch(/^Candidate {7}\| {4}Blocked \|/);
    expect(rows.slice(1, 4).map((r) => r.split(' ')[0])).toEqual(['Static-Peak', 'Levee', 'No-CB']);
    expect(rows[5]).toMatch(/^Backend {9}\| {3}Requests \|/);
  });

  it('reports sparse progress and the elapsed time on a non-terminal stderr', async () => {
    const h = harness();
    expect(await main(['closed-loop', '--candidates', 'levee', '--specs', '0'], h.env)).toBe(0);
    expect(h.err()).toContain(
      'closed-loop: workload cyber-monday, specs 0-0 (1 of 122), seed 20241225; 1 simulation(s), 1 at a time',
    );
    expect(h.err()).toContain('Levee: started\n');
    expect(h.err()).toContain('Levee: 50% (0.5 s)\n');
    expect(h.err()).toContain('[1/1] Levee: done in 1.0 s\n');
    expect(h.err()).toContain('closed-loop: 1 simulation(s), 1.0 s of compute, took 1.0 s\n');
  });

  it('writes deterministic JSON with rounded scores, to --json and into --out', async () => {
    const file = join(dir, 'cl.json');
    const out = join(dir, 'out-cl');
    const argv = [
      'closed-loop',
      '--candidates',
      'static-bau,levee',
      '--specs',
      '0-7',
      '--seed',
      '7',
    ];
    const first = harness();
    expect(await main([...argv, '--slo', '0.8', '--json', file, '--out', out], first.env)).toBe(0);
    const text = readFileSync(file, 'utf8');
    expect(readFileSync(join(out, 'closed-loop.json'), 'utf8')).toBe(text);
    const second = harness();
    expect(await main([...argv, '--slo', '0.8', '--json', file], second.env)).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe(text);

    const report = JSON.parse(text);
    expect(Object.keys(report)).toEqual([
      'schemaVersion',
      'tool',
      'suite',
      'config',
      'results',
      'scoreboard',
    ]);
    expect(report.schemaVersion).toBe(1);
    expect(report.tool).toEqual({
      name: 'levee-bench',
      version: packageVersion('../../package.json'),
      levee: packageVersion('../../../levee/package.json'),
    });
    expect(report.suite).toBe('closed-loop');
    expect(report.config).toEqual({
      seed: 7,
      workload: 'cyber-monday',
      specs: { first: 0, last: 7, count: 8 },
      backend: {},
      candidates: ['static-bau', 'levee'],
      slo: { successRate: 0.8, timeoutMs: 1500 },
    });
    // Candidates named one way: the key (as config lists it), then the printed name.
    expect(
      report.results.map((r: { candidate: string; name: string }) => [r.candidate, r.name]),
    ).toEqual([
      ['static-bau', 'Static-BAU'],
      ['levee', 'Levee'],
    ]);
    expect(Object.keys(report.results[0]).slice(0, 3)).toEqual(['candidate', 'name', 'blocked']);
    expect(report.scoreboard[0].competitors).toEqual([
      { candidate: 'static-bau', name: 'Static-BAU', value: report.results[0].delta },
    ]);
    expect(text).not.toMatch(/\d\.\d{3}/);
    // Not the published setup (specs 0-7, seed 7): no reference figures.
    expect(report.scoreboard).toHaveLength(1);
    expect(report.scoreboard[0].reference).toBeUndefined();
    expect(first.err()).toContain(`wrote ${file}`);
  });

  it('shows the time left on stderr once enough has run, never on stdout or in the JSON', async () => {
    const h = harness();
    const file = join(dir, 'eta.json');
    // Seven simulations one after another, each taking 1 s of (fake) wall clock.
    expect(await main(['slo-sweep', '--specs', '0-7', '--jobs', '1', '--json', file], h.env)).toBe(
      0,
    );
    const done = h
      .err()
      .split('\n')
      .filter((l) => / done in /.test(l));
    expect(done).toHaveLength(7);
    // Less than 5 s measured: no estimate yet; from then on one, except on the last line.
    expect(done.slice(0, 4).every((l) => l.endsWith('done in 1.0 s'))).toBe(true);
    expect(done[4]).toMatch(/^\[5\/7\] .*: done in 1\.0 s, about \d+\.\d s left$/);
    expect(done[5]).toMatch(/^\[6\/7\] .*: done in 1\.0 s, about \d+\.\d s left$/);
    expect(done[6]).toMatch(/: done in 1\.0 s$/);
    expect(h.out()).not.toContain('left');
    expect(readFileSync(file, 'utf8')).not.toContain('left');
  });

  it('exits 1 with a message when a simulation fails', async () => {
    const executor: JobExecutor = async (job) => {
      if (params(job).candidate === 'levee') throw new Error('simulated crash');
      return standIn(job);
    };
    const h = harness({ executor });
    expect(await main(['closed-loop', '--specs', '0'], h.env)).toBe(1);
    expect(h.err()).toContain('levee-bench: closed-loop run failed: simulated crash');
    expect(h.out()).toBe('');
  });

  it('exits 1 when the JSON cannot be written', async () => {
    const h = harness({
      writeFile: () => {
        throw new Error('disk full');
      },
    });
    expect(await main(['closed-loop', '--specs', '0', '--json', 'x.json'], h.env)).toBe(1);
    expect(h.err()).toContain(`cannot write ${join(dir, 'x.json')}: disk full`);
  });
});

describe('main: sweeps', () => {
  it('slo-sweep runs the static breakers once for all SLOs', async () => {
    const h = harness();
    expect(await main(['slo-sweep', '--specs', '0-7'], h.env)).toBe(0);
    expect(h.jobs).toHaveLength(5 + 2);
    const levee = h.jobs.filter((j) => params(j).candidate === 'levee');
    expect(levee.map((j) => params(j).slo!.successRate).sort()).toEqual([
      0.7, 0.8, 0.9, 0.95, 0.99,
    ]);
    const lines = h.out().split('\n');
    expect(lines[0]).toMatch(
      /^SLO +\| +Levee \| +Static-BAU \| +Static-Peak \| +Levee Lead \| vs +\| Levee MaxConc$/,
    );
    expect(lines.slice(1, 6).map((l) => l.split(' ')[0])).toEqual([
      '0.99',
      '0.95',
      '0.90',
      '0.80',
      '0.70',
    ]);
  });

  it('queue-depth scales the base depth of a --backend file', async () => {
    const file = join(dir, 'qd-backend.json');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(file, '{"queueDepthPerReplica": 20}');
    const h = harness();
    const argv = ['queue-depth', '--specs', '0', '--backend', file, '--candidates', 'static-peak'];
    expect(await main([...argv, '--multipliers', '0.5,1.4,2'], h.env)).toBe(0);
    expect(h.jobs.map((j) => params(j).backend.queueDepthPerReplica).sort((a, b) => a - b)).toEqual(
      [10, 28, 40],
    );
    expect(h.out()).toMatch(/^10 \(0\.5x\) /m);
    expect(h.out()).toMatch(/^28 \(1\.4x\) /m);
  });

  it('load-variation varies RPM and error rates per variation', async () => {
    const h = harness();
    const argv = [
      'load-variation',
      '--specs',
      '0-1',
      '--candidates',
      'levee',
      '--variations',
      'double-RPM,low-err',
    ];
    expect(await main(argv, h.env)).toBe(0);
    const rpms = h.jobs.map((j) => params(j).specs.map((s) => s.rpm));
    expect(rpms).toContainEqual([12000, 180000]);
    expect(rpms).toContainEqual([6000, 90000]);
    expect(h.out()).toMatch(/^double-RPM \(2\.0x, 1\.0x\) /m);
  });

  it('cooperation passes the instance count and the 0.80 / 2,500 ms SLO', async () => {
    const h = harness();
    expect(await main(['cooperation', '--specs', '0', '--instances', '7'], h.env)).toBe(0);
    expect(h.jobs).toHaveLength(4);
    for (const j of h.jobs) {
      expect(j.runner).toBe('cooperation');
      expect((j.params as CooperationParams).instances).toBe(7);
    }
    const levee = h.jobs.find((j) => params(j).candidate === 'levee')!;
    expect(params(levee).slo).toEqual({ successRate: 0.8, timeoutMs: 2500 });
    expect(h.out()).toMatch(/^CB Type +\| Inst \|/);
  });
});

describe('main: all', () => {
  it('runs each distinct simulation once and ends with the scoreboard', async () => {
    const h = harness();
    const out = join(dir, 'out-all');
    const json = join(dir, 'all.json');
    const closedLoopFamily = 'closed-loop,load-variation,cooperation,slo-sweep,queue-depth';
    const argv = ['all', '--specs', '0-7', '--suites', closedLoopFamily];
    expect(await main([...argv, '--out', out, '--json', json], h.env)).toBe(0);
    // closed-loop 4 + load-variation 21 - 3 shared + cooperation 4 + slo-sweep 7 - 3 shared
    // (SLO 0.90 Levee and both statics) + queue-depth 15 - 3 shared (QD 50).
    expect(h.jobs).toHaveLength(4 + 18 + 4 + 4 + 12);
    const keys = h.jobs.map((j) => `${j.runner} ${JSON.stringify(j.params)}`);
    expect(new Set(keys).size).toBe(keys.length);
    const text = h.out();
    const order = [
      'closed-loop',
      'load-variation',
      'cooperation',
      'slo-sweep',
      'queue-depth',
      'scoreboard',
    ];
    const positions = order.map((s) => text.indexOf(`== ${s} ==`));
    expect(positions.every((p) => p >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    expect(text).toMatch(/Levee wins \d+ of 19 configurations/);
    for (const name of order.slice(0, 5)) expect(existsSync(join(out, `${name}.json`))).toBe(true);
    const board = JSON.parse(readFileSync(join(out, 'scoreboard.json'), 'utf8'));
    expect(board.rows).toHaveLength(19);
    expect(board.configurations).toBe(19);
    const all = JSON.parse(readFileSync(json, 'utf8'));
    expect(Object.keys(all).slice(0, 3)).toEqual(['schemaVersion', 'tool', 'suite']);
    expect(Object.keys(all.suites)).toEqual(order.slice(0, 5));
    // The suites' documents inside `all` carry no header of their own.
    expect(all.suites['closed-loop'].schemaVersion).toBeUndefined();
    const { schemaVersion, tool, ...rows } = board;
    expect(schemaVersion).toBe(1);
    expect(tool).toEqual(all.tool);
    expect(all.scoreboard).toEqual(rows);
    expect(rows.rows[0].best.candidate).toMatch(/^[a-z-]+$/);
    expect(h.err()).toContain('load-variation: 21 simulation(s) (18 run here, 3 reused)');
    expect(h.err()).toMatch(/all: 42 simulation\(s\) for 51 jobs in/);
  });

  it('--suites picks suites, --candidates applies to each', async () => {
    const h = harness();
    const argv = [
      'all',
      '--specs',
      '0',
      '--suites',
      'cooperation,closed-loop',
      '--candidates',
      'levee,static-peak',
    ];
    expect(await main(argv, h.env)).toBe(0);
    expect(h.jobs).toHaveLength(4);
    const text = h.out();
    expect(text.indexOf('== cooperation ==')).toBeLessThan(text.indexOf('== closed-loop =='));
    expect(text).toMatch(/Levee wins \d of 2 configurations/);
  });
});
