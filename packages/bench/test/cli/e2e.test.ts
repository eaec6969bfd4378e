/**
 * End to end on the real orchestrator, on spec 0 only (the four calm hours,
 * about 1.4 M arrivals): once in-process through `main`, once by spawning the
 * built `levee-bench` binary, which runs the candidates in worker threads.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inlineExecutor } from '../../src/cli/executor.js';
import { main } from '../../src/cli/main.js';
import type { ClosedLoopResult } from '../../src/sim/orchestrator/closed-loop.js';

const ROOT = resolve(fileURLToPath(new URL('../../../..', import.meta.url)));
const BIN = join(ROOT, 'packages/bench/bin/levee-bench.mjs');
const ARGS = ['closed-loop', '--specs', '0-0', '--seed', '20241225'];

async function runInProcess(argv: string[]) {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const code = await main(argv, {
    stdout: { write: (s: string) => stdout.push(s) },
    stderr: { write: (s: string) => stderr.push(s), isTTY: false },
    executor: inlineExecutor(),
  });
  return { code, stdout: stdout.join(''), stderr: stderr.join('') };
}

describe('closed-loop end to end (spec 0)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'levee-bench-e2e-'));
  const inProcessJson = join(dir, 'in-process.json');
  let inProcess: Awaited<ReturnType<typeof runInProcess>>;

  beforeAll(async () => {
    inProcess = await runInProcess([...ARGS, '--json', inProcessJson]);
  }, 120_000);

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('runs every candidate and prints both tables', () => {
    expect(inProcess.stderr).not.toContain('failed');
    expect(inProcess.code).toBe(0);
    const lines = inProcess.stdout.split('\n');
    expect(lines[0]).toMatch(/^Candidate {7}\|/);
    expect(lines.slice(1, 5).map((l) => l.split(' ')[0])).toEqual([
      'No-CB',
      'Levee',
      'Static-BAU',
      'Static-Peak',
    ]);
    expect(lines[6]).toMatch(/^Backend {9}\|/);
  });

  it('produces consistent counts on the shared arrival stream', () => {
    const report = JSON.parse(readFileSync(inProcessJson, 'utf8'));
    const results: ClosedLoopResult[] = report.results;
    const [noCb] = results;
    expect(noCb!.blocked).toBe(0);
    // About 100 requests/s for 4 hours.
    expect(noCb!.allowed).toBeGreaterThan(1_400_000);
    expect(noCb!.allowed).toBeLessThan(1_480_000);
    for (const r of results) {
      expect(r.blocked + r.allowed).toBe(noCb!.allowed);
      expect(r.successes + r.failures).toBe(r.allowed);
      expect(r.backend.requests).toBe(r.allowed);
      expect(r.backend.successes + r.backend.failures).toBe(r.allowed);
      expect(r.successScore).toBeGreaterThan(0);
      expect(r.maxConcurrency).toBeGreaterThan(0);
      expect(r.delta).toBe(Number(r.delta.toFixed(2)));
    }
  });

  describe('the levee-bench binary', () => {
    beforeAll(() => {
      // The binary runs the compiled CLI; bring dist up to date first.
      execFileSync(
        process.execPath,
        [join(ROOT, 'node_modules/typescript/bin/tsc'), '-b', 'packages/bench'],
        {
          cwd: ROOT,
          stdio: 'pipe',
        },
      );
    }, 120_000);

    it('gives byte-identical JSON to the in-process run, using worker threads', () => {
      const file = join(dir, 'spawned.json');
      const run = spawnSync(process.execPath, [BIN, ...ARGS, '--json', file], {
        cwd: ROOT,
        encoding: 'utf8',
        timeout: 120_000,
      });
      expect(run.stderr).toMatch(/\[\d\/4\] No-CB: done in/);
      expect(run.stderr).toMatch(/closed-loop: 4 simulation\(s\), [\d.]+ s of compute, took/);
      expect(run.status).toBe(0);
      expect(run.stdout).toBe(inProcess.stdout);
      expect(readFileSync(file, 'utf8')).toBe(readFileSync(inProcessJson, 'utf8'));
    }, 120_000);

    it('exits 2 on a bad argument without simulating', () => {
      const run = spawnSync(process.execPath, [BIN, 'closed-loop', '--specs', '5-1'], {
        cwd: ROOT,
        encoding: 'utf8',
      });
      expect(run.status).toBe(2);
      expect(run.stderr).toContain('invalid value for --specs: "5-1"');
      expect(run.stdout).toBe('');
    });
  });
});
