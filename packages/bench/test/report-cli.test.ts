/**
 * `--report FILE` and `all --out DIR` end to end, in-process with the real
 * runners on a short slice of the workload (specs 1-6: the 20 minutes of the
 * midnight incident): the pages are written, hold a trace per simulation, and
 * the tables and JSON are the same as without a report.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { inlineExecutor } from '../src/cli/executor.js';
import { type CliEnvironment, main } from '../src/cli/main.js';

const dir = mkdtempSync(join(tmpdir(), 'levee-report-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function env(): { io: Partial<CliEnvironment>; stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return {
    stdout,
    stderr,
    io: {
      stdout: { write: (s: string) => stdout.push(s) },
      stderr: { write: (s: string) => stderr.push(s), isTTY: false },
      executor: inlineExecutor(),
      cores: 2,
      cwd: dir,
    },
  };
}

function runLabels(html: string): string[] {
  const m = /<script type="application\/json" id="report-data">([\s\S]*?)<\/script>/.exec(html);
  const data = JSON.parse(m![1]!) as { runs: Array<{ label: string }> };
  return data.runs.map((r) => r.label);
}

const COMMON = ['--specs', '1-6', '--candidates', 'levee,static-peak'];

describe('levee-bench --report', () => {
  test('writes the suite page; tables and JSON as without it', async () => {
    const a = env();
    const code = await main(
      ['closed-loop', ...COMMON, '--report', 'cl.html', '--json', 'with.json'],
      a.io,
    );
    expect(code, a.stderr.join('')).toBe(0);
    const html = readFileSync(join(dir, 'cl.html'), 'utf8');
    expect(html).toContain('<title>levee-bench closed-loop</title>');
    expect(runLabels(html)).toEqual(['Levee', 'Static-Peak']);
    expect(a.stderr.join('')).toContain(`wrote ${join(dir, 'cl.html')}`);

    const b = env();
    expect(await main(['closed-loop', ...COMMON, '--json', 'without.json'], b.io)).toBe(0);
    expect(b.stdout.join('')).toBe(a.stdout.join(''));
    expect(readFileSync(join(dir, 'with.json'), 'utf8')).toBe(
      readFileSync(join(dir, 'without.json'), 'utf8'),
    );
  }, 60_000);

  test('all --out DIR writes an index and one page per suite', async () => {
    const a = env();
    const out = join(dir, 'all');
    const code = await main(
      ['all', '--suites', 'closed-loop,slo-sweep', ...COMMON, '--out', out],
      a.io,
    );
    expect(code, a.stderr.join('')).toBe(0);
    const index = readFileSync(join(out, 'index.html'), 'utf8');
    expect(index).toContain('<a href="closed-loop.html">closed-loop</a>');
    expect(index).toContain('<a href="slo-sweep.html">slo-sweep</a>');
    expect(existsSync(join(out, 'closed-loop.json'))).toBe(true);
    expect(runLabels(readFileSync(join(out, 'closed-loop.html'), 'utf8'))).toEqual([
      'Levee',
      'Static-Peak',
    ]);
    const sweep = runLabels(readFileSync(join(out, 'slo-sweep.html'), 'utf8'));
    expect(sweep.length).toBeGreaterThanOrEqual(2);
    expect(sweep.some((l) => l.includes('Levee'))).toBe(true);
  }, 120_000);

  test('is an option of the suites, not of all', async () => {
    const a = env();
    expect(await main(['all', '--report', 'x.html'], a.io)).toBe(2);
    expect(a.stderr.join('')).toMatch(/--report does not apply to all/);
    const b = env();
    expect(await main(['closed-loop', '--report', 'no-such-dir/x.html'], b.io)).toBe(2);
  });
});
