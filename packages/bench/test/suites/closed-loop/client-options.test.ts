/**
 * The client-model options of the closed-loop family (src/suites/closed-loop/
 * client-options.ts): `--retry` and `--tick-ms` are parsed and checked before
 * anything runs, reach every job of the closed-loop suites, the cooperation
 * fleet and (the tick) the prescient suite, and leave the jobs of a run
 * without them exactly as they were; fault windows in files reach the jobs
 * and overlapping ones are a usage error.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CANDIDATE_GROUPS, CANDIDATES } from '../../../src/candidates/registry.js';
import { type ParseContext, parseCommandLine, type RunCommand } from '../../../src/cli/args.js';
import { main } from '../../../src/cli/main.js';
import { DEFAULT_RETRY_POLICY } from '../../../src/sim/orchestrator/caller.js';
import { parseRetryPolicy, parseTickMs } from '../../../src/suites/closed-loop/client-options.js';
import {
  formatClosedLoopTables,
  requestStats,
  roundedResult,
} from '../../../src/suites/closed-loop/format.js';
import type { ClosedLoopParams } from '../../../src/suites/closed-loop/runner.js';
import { closedLoopSuite } from '../../../src/suites/closed-loop/suite.js';
import { cooperationSuite } from '../../../src/suites/cooperation/suite.js';
import { SUITES } from '../../../src/suites/index.js';
import { prescientSuite } from '../../../src/suites/prescient/suite.js';
import { queueDepthSuite } from '../../../src/suites/queue-depth/suite.js';
import { OptionValueError } from '../../../src/suites/shared/suite.js';
import { jobsOf, options, result } from '../fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'levee-bench-client-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const ctx: ParseContext = {
  suites: SUITES,
  candidates: CANDIDATES.map((c) => ({ key: c.key, description: c.description })),
  candidateGroups: CANDIDATE_GROUPS,
  maxJobs: 2,
  cwd: dir,
};

function run(...argv: string[]): RunCommand {
  const cmd = parseCommandLine(argv, ctx);
  if (cmd.kind !== 'run') throw new Error('expected a run command');
  return cmd;
}

describe('--retry', () => {
  it('takes a number of attempts or key=value entries over the defaults', () => {
    expect(parseRetryPolicy('3')).toEqual({ ...DEFAULT_RETRY_POLICY, attempts: 3 });
    expect(
      parseRetryPolicy('attempts=5,base-ms=50,cap-ms=2000,jitter=equal,retry-blocked=no'),
    ).toEqual({ attempts: 5, baseMs: 50, capMs: 2000, jitter: 'equal', retryBlocked: false });
    expect(parseRetryPolicy('budget=finagle').budget).toEqual({
      ratio: 0.2,
      minPerS: 10,
      ttlS: 10,
    });
    expect(parseRetryPolicy('budget=0.1,budget-min-per-s=0,budget-ttl-s=30').budget).toEqual({
      ratio: 0.1,
      minPerS: 0,
      ttlS: 30,
    });
    // A base above the default cap lifts the cap unless one is given.
    expect(parseRetryPolicy('base-ms=2000').capMs).toBe(2000);
  });

  it('refuses what it cannot run, naming the entry', () => {
    const why = (v: string) => {
      try {
        parseRetryPolicy(v);
      } catch (err) {
        expect(err).toBeInstanceOf(OptionValueError);
        return (err as OptionValueError).why;
      }
      throw new Error(`accepted ${v}`);
    };
    expect(why('0')).toMatch(/attempts must be an integer in \[1, 100\]/);
    expect(why('tries=3')).toMatch(/unknown key tries/);
    expect(why('jitter=some')).toMatch(/jitter is full, equal or none/);
    expect(why('attempts=2,attempts=3')).toMatch(/attempts is given twice/);
    expect(why('base-ms=100,cap-ms=50')).toMatch(/capMs must be in \[baseMs/);
    expect(why('budget-ttl-s=5')).toMatch(/need budget=/);
    expect(why('budget=0.2,budget-ttl-s=100')).toMatch(/ttlS must be in \[1, 60\]/);
  });

  it('on the command line: reaches the jobs and the JSON; off, jobs are as before', () => {
    const plain = jobsOf(closedLoopSuite, options({ specs: { first: 0, last: 7 } }));
    for (const j of plain) {
      expect(Object.keys(j.params as object)).not.toContain('retry');
      expect(Object.keys(j.params as object)).not.toContain('tickMs');
    }
    const cmd = run('closed-loop', '--specs', '0-7', '--retry', '4', '--tick-ms', '1');
    const plan = closedLoopSuite.plan(cmd.options as never);
    const jobs = closedLoopSuite.jobs(plan);
    for (const j of jobs) {
      expect((j.params as ClosedLoopParams).retry).toEqual({
        ...DEFAULT_RETRY_POLICY,
        attempts: 4,
      });
      expect((j.params as ClosedLoopParams).tickMs).toBe(1);
    }
    expect(
      run('queue-depth', '--retry', '2').options as unknown as { retry: { attempts: number } },
    ).toMatchObject({ retry: { attempts: 2 } });
    const qd = jobsOf(queueDepthSuite, { ...options(), retry: parseRetryPolicy('2') } as never);
    expect(qd.every((j) => (j.params as ClosedLoopParams).retry?.attempts === 2)).toBe(true);
    const coop = jobsOf(cooperationSuite, { ...options(), tickMs: 2 } as never);
    expect(coop.every((j) => (j.params as ClosedLoopParams).tickMs === 2)).toBe(true);
    const pre = jobsOf(prescientSuite, { ...options(), tickMs: 1 } as never);
    expect(pre.every((j) => (j.params as { tickMs?: number }).tickMs === 1)).toBe(true);
    expect(() => run('mesh', '--tick-ms', '1')).toThrow(/--tick-ms does not apply to mesh/);
    expect(() => run('prescient', '--retry', '3')).toThrow(/--retry does not apply to prescient/);
  });
});

describe('--tick-ms', () => {
  it('takes milliseconds in (0, 1000]', () => {
    expect(parseTickMs('1')).toBe(1);
    expect(parseTickMs('0.5')).toBe(0.5);
    expect(() => parseTickMs('0')).toThrow(/at least 0.000001/);
    expect(() => parseTickMs('2000')).toThrow(/at most 1000/);
    expect(() => parseTickMs('-1')).toThrow(/expected milliseconds/);
  });
});

describe('faults in files, through the command line', () => {
  it('a backend file’s faults reach the jobs; overlapping ones with the workload’s are exit 2', async () => {
    const backend = join(dir, 'backend.json');
    writeFileSync(
      backend,
      JSON.stringify({ faults: [{ kind: 'outage', startS: 100, durationS: 50 }] }),
    );
    const cmd = run('closed-loop', '--specs', '0', '--backend', backend);
    const jobs = closedLoopSuite.jobs(closedLoopSuite.plan(cmd.options as never));
    expect((jobs[0]!.params as ClosedLoopParams).backend.faults).toEqual([
      { kind: 'outage', startS: 100, durationS: 50 },
    ]);

    const bad = join(dir, 'bad.json');
    writeFileSync(
      bad,
      JSON.stringify({ faults: [{ kind: 'error', share: 1.2, startS: 0, durationS: 5 }] }),
    );
    const err: string[] = [];
    const io = {
      stdout: { write: () => true },
      stderr: { write: (s: string) => err.push(s) > 0 },
      cwd: dir,
      cores: 2,
    };
    expect(await main(['closed-loop', '--backend', bad], io)).toBe(2);
    expect(err.join('')).toContain(
      'bad.json: faults[0].share must be a number in [0, 1] (got 1.2)',
    );

    const workload = join(dir, 'w.json');
    writeFileSync(
      workload,
      JSON.stringify({
        faults: [{ kind: 'hang', startS: 120, durationS: 60 }],
        specs: [
          { rpm: 600, errorRate: 0.01, durationS: 600, p50Ms: 20, p99Ms: 60, timeoutMs: 500 },
        ],
      }),
    );
    err.length = 0;
    expect(await main(['closed-loop', '--workload', workload, '--backend', backend], io)).toBe(2);
    expect(err.join('')).toContain(
      'closed-loop: faults: spec 0 faults[0] (hang 120-180 s) overlaps backend faults[0] (outage 100-150 s)',
    );
  });
});

describe('tables with faults and retries', () => {
  it('add a Faulted column and a users’ table only when there is something to show', () => {
    const plain = result('Levee', 10);
    expect(formatClosedLoopTables([plain])).not.toMatch(/Faulted|Users/);
    const rich = {
      ...plain,
      backend: { ...plain.backend, faulted: 7 },
      requests: { requests: 3, succeeded: 2, failed: 1, attempts: 5, retries: 2, budgetRefused: 1 },
    };
    const text = formatClosedLoopTables([rich]);
    expect(text).toMatch(/ +Crashes \| Faulted$/m);
    expect(text).toMatch(
      /^Users +\| Requests \| Succeeded \| Failed \| Success \| Attempts\/req \| Retries \| BudgetRefused$/m,
    );
    expect(text).toMatch(/^Levee +\| +3 \| +2 \| +1 \| 66\.67 % \| +1\.667 \| +2 \| +1$/m);
    expect(roundedResult(rich)).toMatchObject({ backend: { faulted: 7 }, requests: rich.requests });
    expect(Object.keys(roundedResult(plain))).not.toContain('requests');
    // Without retries, users saw each request once: a refused one failed.
    expect(requestStats(plain)).toEqual({
      requests: 3,
      succeeded: 2,
      failed: 1,
      attempts: 3,
      retries: 0,
      budgetRefused: 0,
    });
  });
});
