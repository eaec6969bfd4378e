/**
 * The report page in headless Chromium: a short seeded closed-loop run (specs
 * 0–7, three candidates) is traced and rendered, then the page is opened from
 * a file and must load without console errors or network requests, draw every
 * chart, name every candidate in the legends, keep all charts on one x scale
 * when one is zoomed, switch to per-second data when zoomed in, and overlay
 * candidates as they are picked.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createCandidate } from '../../src/candidates/registry.js';
import { renderReport } from '../../src/report/page.js';
import { type ClosedLoopResult, runClosedLoop } from '../../src/sim/orchestrator/closed-loop.js';
import { cyberMonday } from '../../src/sim/workload/cyber-monday.js';
import { type Trace, TraceRecorder } from '../../src/suites/closed-loop/trace.js';
import type { GovernorKind } from '../../src/suites/mesh/governors.js';
import { runMeshJob } from '../../src/suites/mesh/runner.js';
import { MeshTraceRecorder } from '../../src/suites/mesh/trace.js';

/** The page's globals, as the callbacks run in the browser see them (this project has no DOM lib). */
interface PageChart {
  reportKey: string;
  reportLevel: string;
  ctx: { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } };
  bbox: { left: number; top: number; width: number; height: number };
  scales: { x: { min: number; max: number } };
  series: Array<{ label: string; show: boolean }>;
}
declare const window: { __report: { charts: PageChart[] } };
declare const document: { body: { dataset: Record<string, string | undefined> } };

const CHROMIUM = '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium && process.env.CI) {
  throw new Error(`${CHROMIUM} is required in CI for the report browser test`);
}
if (!hasChromium) {
  console.warn(
    `[report-browser.test] skipping: ${CHROMIUM} not found (apt-get install chromium); it is mandatory in CI`,
  );
}

const CANDIDATES = ['levee', 'static-peak', 'no-cb'];
const NAMES = ['Levee', 'Static-Peak', 'No-CB'];

const BROWSER_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Writes `html` to a fresh temporary directory as `<name>.html` and launches Chromium. */
async function servePage(
  html: string,
  name: string,
): Promise<{ dir: string; url: string; browser: import('playwright-core').Browser }> {
  const dir = mkdtempSync(join(tmpdir(), `levee-report-${name}-`));
  const file = join(dir, `${name}.html`);
  writeFileSync(file, html);
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: BROWSER_ARGS,
  });
  return { dir, url: pathToFileURL(file).href, browser };
}

/**
 * Opens the report at `url` in a new page, collecting console errors and
 * warnings and every request, and waits until the page says it is ready.
 */
async function openReport(
  browser: import('playwright-core').Browser,
  url: string,
): Promise<{ page: import('playwright-core').Page; problems: string[]; requests: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1300, height: 900 } });
  const problems: string[] = [];
  const requests: string[] = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error' || msg.type() === 'warning') problems.push(msg.text());
  });
  page.on('pageerror', (err) => problems.push(String(err)));
  page.on('request', (req) => requests.push(req.url()));
  await page.goto(url);
  await page.waitForFunction(() => document.body.dataset.ready !== '0', null, {
    timeout: 20_000,
  });
  expect(await page.evaluate(() => document.body.dataset.ready)).toBe('1');
  return { page, problems, requests };
}

/** Keys of the charts whose plot area holds fewer than 200 coloured pixels. */
async function blankCharts(page: import('playwright-core').Page): Promise<string[]> {
  const coloured = await page.evaluate(() =>
    window.__report.charts.map((u) => {
      const { left, top, width, height } = u.bbox;
      const px = u.ctx.getImageData(left, top, width, height).data;
      let n = 0;
      for (let i = 0; i < px.length; i += 4) {
        const r = px[i]!;
        const g = px[i + 1]!;
        const b = px[i + 2]!;
        if (px[i + 3]! > 0 && Math.max(r, g, b) - Math.min(r, g, b) > 40) n++;
      }
      return { key: u.reportKey, n, w: width };
    }),
  );
  return coloured.filter((c) => c.n <= 200 || c.w <= 300).map((c) => c.key);
}

describe.skipIf(!hasChromium)('the report page in headless Chromium', () => {
  let browser: import('playwright-core').Browser;
  let dir: string;
  let url: string;

  beforeAll(async () => {
    const specs = cyberMonday().slice(0, 8);
    const slo = { successRate: 0.9, timeoutMs: 1500 };
    const results: ClosedLoopResult[] = [];
    const traces: Trace[] = [];
    for (const name of CANDIDATES) {
      const recorder = new TraceRecorder();
      results.push(
        runClosedLoop({
          specs,
          seed: 20241225,
          candidate: () => createCandidate(name, { slo }),
          tracer: recorder,
        }),
      );
      traces.push(recorder.trace());
    }
    const html = renderReport({
      suite: 'closed-loop',
      config: { seed: 20241225, specs: '0-7' },
      results,
      traces,
      clockStartS: 72_000,
    });
    ({ dir, url, browser } = await servePage(html, 'closed-loop'));
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  test('draws every chart, names every candidate, keeps the charts in sync', async () => {
    const { page, problems, requests } = await openReport(browser, url);

    // 3 comparison charts + 4 per candidate, except the limit chart (Levee only).
    const keys = await page.evaluate(() => window.__report.charts.map((u) => u.reportKey));
    expect(keys).toHaveLength(3 + 4 + 3 + 3);
    expect(keys).toContain('Levee/limit');
    expect(keys).not.toContain('Static-Peak/limit');

    // Every canvas has drawn something in colour inside its plot area.
    const coloured = await page.evaluate(() => {
      const charts = window.__report.charts;
      return charts.map((u) => {
        const { left, top, width, height } = u.bbox;
        const px = u.ctx.getImageData(left, top, width, height).data;
        let n = 0;
        for (let i = 0; i < px.length; i += 4) {
          const r = px[i]!;
          const g = px[i + 1]!;
          const b = px[i + 2]!;
          if (px[i + 3]! > 0 && Math.max(r, g, b) - Math.min(r, g, b) > 40) n++;
        }
        return { key: u.reportKey, n, w: width, h: height };
      });
    });
    for (const c of coloured) {
      expect(c.w, c.key).toBeGreaterThan(300);
      expect(c.n, c.key).toBeGreaterThan(200);
    }

    // The legends (and section titles) name every candidate.
    const legends = await page.locator('.u-legend').allTextContents();
    for (const name of NAMES) {
      expect(
        legends.some((t) => t.includes(name)),
        name,
      ).toBe(true);
      expect(await page.locator(`section.run[data-run="${name}"] h3`).textContent()).toContain(
        name,
      );
    }
    // The candidates table.
    for (const name of NAMES) {
      expect(await page.locator('td.name', { hasText: name }).count()).toBeGreaterThan(0);
    }

    type Scales = Array<{ key: string; min: number; max: number; level: string }>;
    const scales = (): Promise<Scales> =>
      page.evaluate(() =>
        window.__report.charts.map((u) => ({
          key: u.reportKey,
          min: u.scales.x.min,
          max: u.scales.x.max,
          level: u.reportLevel,
        })),
      );
    const before = await scales();
    const full = before[0]!.max - before[0]!.min;
    expect(full).toBeGreaterThan(17_000);

    // Drag across the middle of one chart: every chart follows.
    const over = page.locator('[data-chart="Static-Peak/outcomes"] .u-over');
    await over.scrollIntoViewIfNeeded();
    const box = (await over.boundingBox())!;
    const y = box.y + box.height / 2;
    await page.mouse.move(box.x + box.width * 0.8, y);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.82, y, { steps: 4 });
    await page.mouse.move(box.x + box.width * 0.84, y, { steps: 4 });
    await page.mouse.up();
    await page.waitForFunction(
      () => window.__report.charts.every((u) => u.scales.x.max < 17_000),
      null,
      { timeout: 5000 },
    );
    const zoomed = await scales();
    const { min, max } = zoomed[0]!;
    expect(max - min).toBeLessThan(full * 0.1);
    expect(max - min).toBeGreaterThan(0);
    for (const s of zoomed) {
      expect(s.min, s.key).toBeCloseTo(min, 6);
      expect(s.max, s.key).toBeCloseTo(max, 6);
    }
    // ~6 minutes on ~1,200 px: per-second data, in every chart.
    await page.waitForFunction(
      () => window.__report.charts.every((u) => u.reportLevel === 'full'),
      null,
      { timeout: 10_000 },
    );

    // Double-click resets every chart to the whole run.
    await over.dblclick({ position: { x: box.width / 2, y: box.height / 2 } });
    await page.waitForFunction(
      () => window.__report.charts.every((u) => u.scales.x.max > 17_000),
      null,
      { timeout: 5000 },
    );

    // The picker overlays candidates: No-CB starts hidden, ticking it shows its series.
    const shown = () =>
      page.evaluate(() => {
        const u = window.__report.charts.find((c) => c.reportKey === 'compare/successes')!;
        return Object.fromEntries(u.series.slice(1).map((s) => [s.label, s.show]));
      });
    expect(await shown()).toEqual({ Levee: true, 'Static-Peak': true, 'No-CB': false });
    await page.locator('#picker input[data-run="No-CB"]').check();
    await page.locator('#picker input[data-run="Levee"]').uncheck();
    expect(await shown()).toEqual({ Levee: false, 'Static-Peak': true, 'No-CB': true });

    expect(problems).toEqual([]);
    expect(requests.every((u) => u.startsWith('file:'))).toBe(true);
    await page.close();
  }, 60_000);

  test('a single chart can be shown alone (as for the README images)', async () => {
    const page = await browser.newPage({ viewport: { width: 1000, height: 600 } });
    await page.goto(`${url}#only=Levee/requests&h=300&ymax=2000`);
    await page.waitForFunction(() => document.body.dataset.ready === '1', null, {
      timeout: 20_000,
    });
    const keys = await page.evaluate(() => window.__report.charts.map((u) => u.reportKey));
    expect(keys).toEqual(['Levee/requests']);
    expect(await page.locator('#controls').isVisible()).toBe(false);
    await page.close();
  }, 30_000);
});

const GOVERNORS: GovernorKind[] = ['no-gov', 'static-limiter', 'levee'];
const GOVERNOR_LABELS = ['No-Gov', 'Static-Limiter', 'Levee'];

describe.skipIf(!hasChromium)('the mesh report page in headless Chromium', () => {
  let browser: import('playwright-core').Browser;
  let dir: string;
  let url: string;

  beforeAll(async () => {
    const results = [];
    const traces = [];
    for (const governor of GOVERNORS) {
      const recorder = new MeshTraceRecorder();
      const result = runMeshJob({ governor, phases: 'A-B' }, undefined, recorder);
      const trace = recorder.trace();
      trace.candidate = result.candidate;
      results.push({ candidate: result.candidate, meshDelta: result.meshDelta });
      traces.push(trace);
    }
    const html = renderReport({
      suite: 'mesh',
      config: { seed: 20241225, phases: 'A-B' },
      results,
      traces,
    });
    ({ dir, url, browser } = await servePage(html, 'mesh'));
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  test('draws every chart, names every governor, zooms in sync, overlays as picked', async () => {
    const { page, problems, requests } = await openReport(browser, url);

    // 3 comparison charts + requests, outcomes, replicas and calls per governor.
    const keys = await page.evaluate(() => window.__report.charts.map((u) => u.reportKey));
    expect(keys).toHaveLength(3 + 4 * GOVERNORS.length);
    for (const name of GOVERNOR_LABELS) {
      for (const chart of ['requests', 'outcomes', 'replicas', 'calls']) {
        expect(keys).toContain(`${name}/${chart}`);
      }
    }
    expect(await blankCharts(page)).toEqual([]);

    const legends = await page.locator('.u-legend').allTextContents();
    for (const name of GOVERNOR_LABELS) {
      expect(
        legends.some((t) => t.includes(name)),
        name,
      ).toBe(true);
      expect(await page.locator(`section.run[data-run="${name}"] h3`).textContent()).toContain(
        name,
      );
    }
    // The node legend of a replicas chart names the nodes.
    const replicas = await page.locator('[data-chart="No-Gov/replicas"] .u-legend').textContent();
    for (const node of ['edge-api', 'catalog', 'db', 'audit', 'nodes down']) {
      expect(replicas).toContain(node);
    }

    // Zoom one chart: all follow, and the picker toggles a governor in every comparison chart.
    const over = page.locator('[data-chart="Levee/outcomes"] .u-over');
    await over.scrollIntoViewIfNeeded();
    const box = (await over.boundingBox())!;
    const y = box.y + box.height / 2;
    await page.mouse.move(box.x + box.width * 0.5, y);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.6, y, { steps: 4 });
    await page.mouse.move(box.x + box.width * 0.7, y, { steps: 4 });
    await page.mouse.up();
    await page.waitForFunction(
      () => window.__report.charts.every((u) => u.scales.x.max < 300 && u.scales.x.min > 100),
      null,
      { timeout: 5000 },
    );
    const shown = () =>
      page.evaluate(() =>
        window.__report.charts
          .filter((c) => c.reportKey.startsWith('compare/'))
          .map((u) => u.series.filter((s) => s.label === 'Levee').map((s) => s.show)),
      );
    expect(await shown()).toEqual([[false], [false], [false]]);
    await page.locator('#picker input[data-run="Levee"]').check();
    expect(await shown()).toEqual([[true], [true], [true]]);

    expect(problems).toEqual([]);
    expect(requests.every((u) => u.startsWith('file:'))).toBe(true);
    await page.close();
  }, 60_000);
});
