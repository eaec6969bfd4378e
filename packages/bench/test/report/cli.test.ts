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
import { inlineExecutor } from '../../src/cli/executor.js';
import { type CliEnvironment, main } from '../../src/cli/main.js';
import { decodeColumn } from '../../src/report/encode.js';

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

interface PageData {
  seconds: number;
  clockStartS: number | null;
  blobs: string[];
  layout: { id: string; marks?: Array<{ atS: number; label: string }> };
  runs: Array<{ label: string; fullCols: Record<string, [number, number]> }>;
}

function pageData(html: string): PageData {
  const m = /<script type="application\/json" id="report-data">([\s\S]*?)<\/script>/.exec(html);
  return JSON.parse(m![1]!) as PageData;
}

const COMMON = ['--specs', '1-6', '--candidates', 'levee,static-peak'];

/** Every object of a JSON document that names a candidate (a `candidate` field). */
function named(
  value: unknown,
  out: Array<Record<string, unknown>> = [],
): Array<Record<string, unknown>> {
  if (Array.isArray(value)) for (const v of value) named(v, out);
  else if (typeof value === 'object' && value !== null) {
    const o = value as Record<string, unknown>;
    if (typeof o.candidate === 'string') out.push(o);
    for (const v of Object.values(o)) named(v, out);
  }
  return out;
}

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

  test.each([
    {
      suite: 'cooperation',
      args: ['--specs', '1-3', '--candidates', 'levee,static-peak'],
      labels: ['Levee x 100', 'Static-Peak x 100'],
      metric: 'Delta: higher is better.',
      listed: ['Levee', 'Static-Peak'],
      keys: { levee: 'Levee', 'static-peak': 'Static-Peak' },
      columns: ['offered', 'admitted', 'capacity', 'successes', 'failures', 'throttled', 'down'],
      leveeColumns: ['limit', 'inflight', 'limiting'],
      clock: true,
    },
    {
      suite: 'prescient',
      args: ['--specs', '1-3', '--candidates', 'levee,static-bau'],
      labels: ['prescient / Levee', 'prescient / Static-BAU'],
      metric: 'TotalPenalty: lower is better.',
      listed: ['Levee', 'Static-BAU'],
      keys: { levee: 'Levee', 'static-bau': 'Static-BAU', prescient: 'Prescient' },
      columns: [
        'offered',
        'admitted',
        'blocked',
        'oracleBlock',
        'bad',
        'lost',
        'totalPenalty',
        'oracleOpen',
      ],
      leveeColumns: ['limit', 'inflight'],
      clock: true,
    },
    {
      suite: 'mesh',
      args: ['--phases', 'A-B', '--governors', 'no-gov,static-limiter'],
      labels: ['mesh / No-Gov', 'mesh / Static-Limiter'],
      metric: 'MeshDelta: higher is better.',
      listed: ['No-Gov', 'Static-Limiter'],
      keys: { 'no-gov': 'No-Gov', 'static-limiter': 'Static-Limiter' },
      columns: [
        'offered',
        'admitted',
        'blocked',
        'successes',
        'failures',
        'replicas:edge-api',
        'calls:db',
        'down',
      ],
      leveeColumns: [],
      clock: false,
    },
  ])(
    '$suite: the page charts every run; tables and JSON as without it',
    async ({ suite, args, labels, metric, listed, keys, columns, leveeColumns, clock }) => {
      const a = env();
      const code = await main(
        [suite, ...args, '--report', `${suite}.html`, '--json', `${suite}-with.json`],
        a.io,
      );
      expect(code, a.stderr.join('')).toBe(0);
      const html = readFileSync(join(dir, `${suite}.html`), 'utf8');
      // The header: the suite's metric, then one line per candidate with its description.
      expect(html).toContain(`<strong>${metric}</strong>`);
      const items = [...html.matchAll(/<li><strong>([^<]+)<\/strong>[^\n]*: [^\n]+<\/li>/g)];
      expect(items.map((m) => m[1])).toEqual(listed);
      // The JSON names every candidate by key and display name, the same everywhere.
      const doc = JSON.parse(readFileSync(join(dir, `${suite}-with.json`), 'utf8'));
      expect(doc.schemaVersion).toBe(1);
      const seen = named(doc);
      expect(seen.length).toBeGreaterThan(0);
      for (const o of seen)
        expect((keys as Record<string, string>)[o.candidate as string]).toBe(o.name);
      const data = pageData(html);
      expect(data.layout.id).toBe(suite);
      expect(data.runs.map((r) => r.label)).toEqual(labels);
      expect(data.clockStartS !== null).toBe(clock);
      for (const run of data.runs) {
        const want = run.label.includes('Levee') ? [...columns, ...leveeColumns] : columns;
        for (const name of want) {
          const col = run.fullCols[name];
          expect(col, `${run.label} ${name}`).toBeDefined();
          const values = decodeColumn(data.blobs[col![0]]!, col![1]);
          // Runs may end a second or two apart (the last completions); the page pads.
          expect(values.length).toBeLessThanOrEqual(data.seconds);
          expect(values.length).toBeGreaterThan(data.seconds - 3);
        }
        // Something was offered and admitted in every run.
        const [blob, scale] = run.fullCols.admitted!;
        expect(decodeColumn(data.blobs[blob]!, scale).some((v) => v > 0)).toBe(true);
      }
      if (suite === 'mesh') expect(data.layout.marks).toEqual([{ atS: 180, label: 'B surge' }]);

      const b = env();
      expect(await main([suite, ...args, '--json', `${suite}-without.json`], b.io)).toBe(0);
      expect(b.stdout.join('')).toBe(a.stdout.join(''));
      expect(readFileSync(join(dir, `${suite}-with.json`), 'utf8')).toBe(
        readFileSync(join(dir, `${suite}-without.json`), 'utf8'),
      );
    },
    60_000,
  );

  test('is an option of the suites, not of all', async () => {
    const a = env();
    expect(await main(['all', '--report', 'x.html'], a.io)).toBe(2);
    expect(a.stderr.join('')).toMatch(/--report does not apply to all/);
    const b = env();
    expect(await main(['closed-loop', '--report', 'no-such-dir/x.html'], b.io)).toBe(2);
  });
});
