/**
 * The report pages as a reader meets them, in headless Chromium at 1280 px:
 * pages written by `levee-bench --report` (short real runs) and one with the
 * widest tables the suites print (every candidate of the registry, 28-hour
 * magnitudes). Each must load without console errors or warnings, open with
 * the "how to read this" header, show the results once (each printed table as
 * one HTML table, no preformatted copy, no second table of raw results), fit
 * the width with no horizontal scrolling of the page or of a table, and draw
 * every axis label whole. A full-page screenshot of each goes to
 * packages/bench/test-artifacts/ (git-ignored).
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { CANDIDATES } from '../../src/candidates/registry.js';
import { inlineExecutor } from '../../src/cli/executor.js';
import { type CliEnvironment, main } from '../../src/cli/main.js';
import { renderReport } from '../../src/report/page.js';
import { textBlocks } from '../../src/report/text-tables.js';
import { DELTA_GUIDE } from '../../src/suites/closed-loop/guide.js';
import { formatTable } from '../../src/suites/shared/tables.js';

/** The page's globals as the callbacks run in the browser see them (no DOM lib here). */
interface PageChart {
  reportKey: string;
  ctx: {
    canvas: { width: number; height: number };
    getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray };
  };
  bbox: { left: number; top: number; width: number; height: number };
}
interface Element {
  scrollWidth: number;
  clientWidth: number;
  textContent: string | null;
}
declare const window: { __report: { charts: PageChart[] } };
declare const document: {
  body: { dataset: Record<string, string | undefined> };
  documentElement: Element;
  querySelectorAll(selector: string): ArrayLike<Element>;
};

const CHROMIUM = '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium && process.env.CI) {
  throw new Error(`${CHROMIUM} is required in CI for the report browser test`);
}

/** Screenshots for people to look at (git-ignored). */
const ARTIFACTS = fileURLToPath(new URL('../../test-artifacts/', import.meta.url));
const WIDTH = 1280;

const dir = mkdtempSync(join(tmpdir(), 'levee-report-reading-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function env(): Partial<CliEnvironment> {
  return {
    stdout: { write: () => true },
    stderr: { write: () => true, isTTY: false },
    executor: inlineExecutor(),
    cores: 2,
    cwd: dir,
  };
}

/** The widest tables the closed-loop sweeps print: every registry candidate, 28-hour magnitudes. */
function widestText(): string {
  const names = CANDIDATES.map((c) => c.displayName);
  const summary = formatTable(
    ['Variation', ...names, 'Levee Lead', 'vs'],
    ['baseline (1.0x, 1.0x)', 'low-RPM-high-err (0.5x, 3.0x)', 'high-RPM-low-err (2.0x, 0.2x)'].map(
      (v, i) => [
        v,
        ...names.map((_, j) => (100920.29 - 1000 * i - 7 * j).toFixed(2)),
        '-31329.63',
        'Cockatiel-Default',
      ],
    ),
  );
  const detail = formatTable(
    [
      'Variation',
      'Candidate',
      'Blocked',
      'Allowed',
      'Successes',
      'Failures',
      'SuccessScore',
      'FailureScore',
      'Delta',
      'MaxConc',
      'Shed',
      'QueueDrops',
      'Crashes',
    ],
    names.map((name, i) => [
      'low-RPM-high-err',
      name,
      String(26052608 + i),
      String(113037652 - i),
      String(112341856 + i),
      String(25363118 - i),
      '132026.73',
      '201637.85',
      '-69611.12',
      '7494',
      '2754143',
      '329407',
      '129',
    ]),
    [],
    [1],
  );
  return `${summary}\n${detail}`;
}

interface Page {
  name: string;
  file: string;
  /** Tables the suite printed (each must be one HTML table). */
  printedTables: number;
}

const pages: Page[] = [];

describe.skipIf(!hasChromium)('report pages as a reader meets them (Chromium, 1280 px)', () => {
  let browser: import('playwright-core').Browser;

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    const runs: Array<{ name: string; argv: string[] }> = [
      {
        name: 'closed-loop',
        argv: ['closed-loop', '--specs', '1-6', '--candidates', 'levee,static-peak,no-cb'],
      },
      {
        name: 'load-variation',
        argv: ['load-variation', '--specs', '1-3', '--variations', 'baseline,double-RPM'],
      },
      { name: 'mesh', argv: ['mesh', '--phases', 'A-B', '--governors', 'no-gov,levee'] },
    ];
    for (const run of runs) {
      const stdout: string[] = [];
      const io = { ...env(), stdout: { write: (s: string) => stdout.push(s) } };
      const file = join(dir, `${run.name}.html`);
      expect(await main([...run.argv, '--report', file], io)).toBe(0);
      const printedTables = textBlocks(stdout.join('')).filter((b) => b.kind === 'table').length;
      pages.push({ name: run.name, file, printedTables });
    }
    const text = widestText();
    const file = join(dir, 'widest.html');
    writeFileSync(
      file,
      renderReport({
        suite: 'load-variation',
        config: {
          seed: 20241225,
          workload: 'cyber-monday',
          specs: { first: 0, last: 121, count: 122 },
          backend: {},
          candidates: CANDIDATES.map((c) => c.key),
          slo: { successRate: 0.9, timeoutMs: 1500 },
        },
        guide: DELTA_GUIDE,
        candidates: CANDIDATES.map((c) => ({
          name: c.displayName,
          key: c.key,
          description: c.description,
        })),
        results: [],
        text,
        traces: [],
      }),
    );
    pages.push({ name: 'widest', file, printedTables: 2 });
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
    });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
  });

  /** Opens `url` at 1280 px; resolves with the page and the console errors and warnings. */
  async function open(url: string, height = 900) {
    const page = await browser.newPage({ viewport: { width: WIDTH, height } });
    const problems: string[] = [];
    page.on('console', (msg) => {
      if (msg.type() === 'error' || msg.type() === 'warning') problems.push(msg.text());
    });
    page.on('pageerror', (err) => problems.push(String(err)));
    await page.goto(url);
    await page.waitForFunction(() => document.body.dataset.ready !== '0', null, {
      timeout: 20_000,
    });
    expect(await page.evaluate(() => document.body.dataset.ready)).toBe('1');
    return { page, problems };
  }

  /** Keys of the charts with ink in the top two canvas rows outside the plot: a label cut by the edge. */
  async function clippedLabels(page: import('playwright-core').Page): Promise<string[]> {
    return page.evaluate(() =>
      window.__report.charts
        .filter((u) => {
          const { width } = u.ctx.canvas;
          const rows = u.ctx.getImageData(0, 0, width, 2).data;
          for (let x = 0; x < width; x++) {
            if (x >= u.bbox.left && x < u.bbox.left + u.bbox.width) continue;
            if (rows[x * 4 + 3]! > 0 || rows[(width + x) * 4 + 3]! > 0) return true;
          }
          return false;
        })
        .map((u) => u.reportKey),
    );
  }

  test.each(['closed-loop', 'load-variation', 'mesh', 'widest'])(
    '%s: the header, the results once, nothing wider than the window, whole axis labels',
    async (name) => {
      const p = pages.find((x) => x.name === name)!;
      const { page, problems } = await open(pathToFileURL(p.file).href);

      expect(await page.locator('#guide h2').textContent()).toBe('How to read this page');
      expect(await page.locator('#guide p strong').first().textContent()).toMatch(
        /^(Delta|MeshDelta): higher is better\.$/,
      );
      expect(await page.locator('#guide ul.candidates li').count()).toBeGreaterThan(1);

      // Each printed table once, as one HTML table; no preformatted or raw-results copy.
      expect(p.printedTables).toBeGreaterThan(0);
      expect(await page.locator('table.results').count()).toBe(p.printedTables);
      expect(await page.locator('main > .table-wrap > table:not(.results)').count()).toBe(0);
      expect(await page.locator('pre.tables').count()).toBe(0);
      // The configuration is labelled.
      expect(await page.locator('dl.config dt').first().textContent()).toMatch(/^[A-Z]/);

      const widths = await page.evaluate(() => ({
        page: document.documentElement.scrollWidth,
        tables: Array.from(document.querySelectorAll('.table-wrap')).map(
          (t) => t.scrollWidth - t.clientWidth,
        ),
      }));
      expect(widths.page).toBeLessThanOrEqual(WIDTH);
      expect(widths.tables).toEqual(widths.tables.map(() => 0));

      expect(await clippedLabels(page)).toEqual([]);
      await page.screenshot({ path: join(ARTIFACTS, `report-${name}.png`), fullPage: true });
      expect(problems).toEqual([]);
      await page.close();
    },
    60_000,
  );

  test('a short chart grows until its axis labels fit (the right-hand label was cut)', async () => {
    const p = pages.find((x) => x.name === 'closed-loop')!;
    const { page, problems } = await open(`${pathToFileURL(p.file).href}#only=Levee/backend&h=130`);
    const heights = await page.evaluate(() =>
      window.__report.charts.map((u) => u.ctx.canvas.height),
    );
    expect(heights).toHaveLength(1);
    expect(heights[0]).toBeGreaterThan(130);
    expect(await clippedLabels(page)).toEqual([]);
    await page.screenshot({ path: join(ARTIFACTS, 'report-short-chart.png') });
    expect(problems).toEqual([]);
    await page.close();
  }, 30_000);
});
