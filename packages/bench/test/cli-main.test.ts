import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { getCandidate } from '../src/candidates/registry.js';
import { inlineExecutor } from '../src/cli/executor.js';
import { formatReport } from '../src/cli/format.js';
import { type CliEnvironment, main } from '../src/cli/main.js';
import type { CandidateJob, CandidateResult, JobExecutor } from '../src/cli/types.js';

/** A stand-in for runClosedLoop: a deterministic result derived from the job. */
function standIn(job: CandidateJob): CandidateResult {
  const k = job.candidate.length + job.specs.last - job.specs.first + (job.seed % 1000);
  return {
    candidate: getCandidate(job.candidate).displayName,
    blocked: k * 10,
    allowed: k * 1000,
    successes: k * 900,
    failures: k * 100,
    successScore: k * 123.456789,
    failureScore: k * 12.3456789 + job.slo.successRate,
    delta: k * 111.1111101 - job.slo.timeoutMs / 1000,
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
}

function harness(overrides: Partial<CliEnvironment> = {}) {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const jobs: CandidateJob[] = [];
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
    cwd: tmpdir(),
    specCount: 122,
    ...overrides,
  };
  return {
    env,
    jobs,
    out: () => stdout.join(''),
    err: () => stderr.join(''),
  };
}

describe('main: argument errors', () => {
  it.each([
    [['closed-loop', '--seed', 'x'], '--seed: "x"'],
    [['closed-loop', '--specs', '9-2'], '--specs: "9-2"'],
    [['closed-loop', '--specs', '0-500'], '--specs: "0-500"'],
    [
      ['closed-loop', '--candidates', 'levee,nope'],
      'unknown candidate "nope"; known: no-cb, levee, static-bau, static-peak',
    ],
    [['closed-loop', '--slo', '1.2'], '--slo: "1.2"'],
    [['closed-loop', '--timeout-ms', '-5'], '--timeout-ms'],
    [['closed-loop', '--frobnicate'], '--frobnicate'],
    [['bogus'], 'unknown command "bogus"'],
    [[], 'missing command'],
  ])('%j exits 2 before running anything', async (argv, message) => {
    const h = harness();
    expect(await main(argv, h.env)).toBe(2);
    expect(h.err()).toContain(message);
    expect(h.err()).toMatch(/^levee-bench: /);
    expect(h.err()).toContain('levee-bench closed-loop --help');
    expect(h.jobs).toEqual([]);
    expect(h.out()).toBe('');
  });
});

describe('main: help', () => {
  it('prints the command help to stdout and exits 0', async () => {
    const h = harness();
    expect(await main(['closed-loop', '--help'], h.env)).toBe(0);
    expect(h.out()).toContain('Usage: levee-bench closed-loop [options]');
    expect(h.out()).toContain('--timeout-ms');
    expect(h.jobs).toEqual([]);
  });
});

describe('main: closed-loop with a stand-in runner', () => {
  it('runs the default candidates with the default configuration', async () => {
    const h = harness();
    expect(await main(['closed-loop'], h.env)).toBe(0);
    expect(h.jobs).toEqual(
      ['no-cb', 'levee', 'static-bau', 'static-peak'].map((candidate) => ({
        candidate,
        seed: 20241225,
        specs: { first: 0, last: 121 },
        slo: { successRate: 0.9, timeoutMs: 1500 },
      })),
    );
    expect(h.out()).toBe(formatReport(h.jobs.map(standIn)));
  });

  it('prints results in the requested order even when they finish out of order', async () => {
    const delays: Record<string, number> = { 'static-peak': 30, levee: 1, 'no-cb': 15 };
    const executor: JobExecutor = async (job) => {
      await new Promise((r) => setTimeout(r, delays[job.candidate] ?? 0));
      return standIn(job);
    };
    const h = harness({ executor, cores: 3 });
    const argv = ['closed-loop', '--candidates', 'static-peak,levee,no-cb', '--specs', '0-7'];
    expect(await main(argv, h.env)).toBe(0);
    const rows = h.out().split('\n');
    expect(rows[0]).toMatch(/^Candidate {7}\| {4}Blocked \|/);
    expect(rows.slice(1, 4).map((r) => r.split(' ')[0])).toEqual(['Static-Peak', 'Levee', 'No-CB']);
    expect(rows[4]).toBe('');
    expect(rows[5]).toMatch(/^Backend {9}\| {3}Requests \|/);
    expect(rows.slice(6, 9).map((r) => r.split(' ')[0])).toEqual(['Static-Peak', 'Levee', 'No-CB']);
  });

  it('reports sparse progress and elapsed times on a non-terminal stderr', async () => {
    const h = harness();
    expect(await main(['closed-loop', '--candidates', 'levee', '--specs', '0'], h.env)).toBe(0);
    expect(h.err()).toContain('closed-loop: specs 0-0 (1 of 122), seed 20241225, SLO 0.9/1500 ms');
    expect(h.err()).toContain('Levee: started\n');
    expect(h.err()).toContain('Levee: 50% (0.5 s)\n');
    expect(h.err()).toContain('Levee: done in 1.0 s\n');
    expect(h.err()).toMatch(/Elapsed wall-clock time per candidate:\n {2}Levee +1\.0 s\n/);
  });

  it('writes a deterministic JSON report with rounded scores', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'levee-bench-main-'));
    const file = join(dir, 'out.json');
    const argv = [
      'closed-loop',
      '--candidates',
      'static-bau,no-cb',
      '--specs',
      '0-7',
      '--seed',
      '7',
      '--slo',
      '0.8',
      '--timeout-ms',
      '2500',
      '--json',
      file,
    ];
    const first = harness();
    expect(await main(argv, first.env)).toBe(0);
    const text = readFileSync(file, 'utf8');
    const second = harness();
    expect(await main(argv, second.env)).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe(text);

    const report = JSON.parse(text);
    expect(report.suite).toBe('closed-loop');
    expect(report.config).toEqual({
      seed: 7,
      specs: { first: 0, last: 7, count: 8 },
      slo: { successRate: 0.8, timeoutMs: 2500 },
      candidates: ['static-bau', 'no-cb'],
    });
    expect(report.results.map((r: CandidateResult) => r.candidate)).toEqual([
      'Static-BAU',
      'No-CB',
    ]);
    // static-bau: k = 10 + 7 + 7 = 24
    expect(report.results[0]).toEqual({
      candidate: 'Static-BAU',
      blocked: 240,
      allowed: 24000,
      successes: 21600,
      failures: 2400,
      successScore: 2962.96, // 24 × 123.456789 = 2962.962936
      failureScore: 297.1, // 24 × 12.3456789 + 0.8 = 297.0962936
      delta: 2664.17, // 24 × 111.1111101 − 2.5 = 2664.1666424
      maxConcurrency: 168,
      backend: {
        requests: 24000,
        successes: 21624,
        failures: 2376,
        shed: 72,
        queueDrops: 48,
        crashes: 0,
      },
    });
    expect(first.err()).toContain(`wrote ${file}`);
    rmSync(dir, { recursive: true, force: true });
  });

  it('exits 1 with a message when a candidate run fails', async () => {
    const executor: JobExecutor = async (job) => {
      if (job.candidate === 'levee') throw new Error('simulated crash');
      return standIn(job);
    };
    const h = harness({ executor });
    expect(await main(['closed-loop', '--specs', '0'], h.env)).toBe(1);
    expect(h.err()).toContain('levee-bench: closed-loop run failed: simulated crash');
    expect(h.out()).toBe('');
  });

  it('exits 1 when the JSON report cannot be written', async () => {
    const h = harness({
      writeFile: () => {
        throw new Error('disk full');
      },
    });
    const argv = ['closed-loop', '--specs', '0', '--json', 'x.json'];
    expect(await main(argv, h.env)).toBe(1);
    expect(h.err()).toContain(`cannot write ${join(tmpdir(), 'x.json')}: disk full`);
  });
});
