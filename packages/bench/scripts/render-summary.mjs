#!/usr/bin/env node
// The README's summary images: the headline closed-loop run (28 h, seed
// 20241225, SLO 0.90 / 1,500 ms) of Levee and Static-Peak, traced, rendered as
// the HTML report, and the "requests per second" chart of each (offered vs
// admitted vs capacity, with the breaker-state shading and crash markers)
// screenshot from that same page by headless Chromium into PNGs:
//
//   docs/levee-offered-admitted-capacity.png          the whole 28 hours
//   docs/static-peak-offered-admitted-capacity.png
//   docs/levee-mega-spike.png                         10:00 mega-spike, per second
//   docs/static-peak-mega-spike.png
//
//   npm run bench:images                  (builds, then runs this from the repo root)
//   node packages/bench/scripts/render-summary.mjs [--report FILE.html] [--keep-report FILE.html] [--out DIR]
//
// --report FILE      use an existing report (it must hold Levee and Static-Peak traces)
//                    instead of simulating (the simulation takes about a minute on
//                    two cores: one worker thread per candidate);
// --keep-report FILE also keep the generated report;
// --out DIR          where the PNGs go (default: docs/ at the repository root).
// CHROMIUM=/path     the browser (default /usr/bin/chromium).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';

const here = dirname(fileURLToPath(import.meta.url));
const SEED = 20241225;
const SLO = { successRate: 0.9, timeoutMs: 1500 };
const CANDIDATES = [
  { key: 'levee', label: 'Levee', slug: 'levee' },
  { key: 'static-peak', label: 'Static-Peak', slug: 'static-peak' },
];
/** Cyber Monday starts on Sunday at 20:00: 10:00 on Monday is 14 h in. */
const MEGA_SPIKE = { x0: 13 * 3600 + 50 * 60, x1: 14 * 3600 + 40 * 60 };
/** Top of the y axis: the offered peaks (up to 4,800/s) are cut so that admitted and capacity stay readable. */
const Y_MAX = 2000;

if (!isMainThread) {
  // Worker: one traced run.
  const { runClosedLoop } = await import('../dist/sim/orchestrator/closed-loop.js');
  const { TraceRecorder, traceTransferList } = await import('../dist/suites/closed-loop/trace.js');
  const { createCandidate } = await import('../dist/candidates/registry.js');
  const { cyberMonday } = await import('../dist/sim/workload/cyber-monday.js');
  const recorder = new TraceRecorder();
  const result = runClosedLoop({
    specs: cyberMonday(),
    seed: SEED,
    candidate: () => createCandidate(workerData.key, { slo: SLO }),
    tracer: recorder,
  });
  const trace = recorder.trace();
  parentPort.postMessage({ result, trace }, traceTransferList(trace));
} else {
  await main();
}

function option(name) {
  const i = process.argv.indexOf(name);
  return i < 0 ? undefined : process.argv[i + 1];
}

async function main() {
  const root = resolve(here, '../../..');
  const outDir = resolve(option('--out') ?? join(root, 'docs'));
  let reportPath = option('--report');
  const tmp = mkdtempSync(join(tmpdir(), 'levee-summary-'));

  try {
    if (reportPath === undefined) {
      const { renderReport } = await import('../dist/report/page.js');
      const t0 = Date.now();
      process.stderr.write(
        'simulating the 28-hour reference run of Levee and Static-Peak (traced)...\n',
      );
      const runs = await Promise.all(
        CANDIDATES.map(
          (c) =>
            new Promise((done, fail) => {
              const worker = new Worker(fileURLToPath(import.meta.url), { workerData: c });
              worker.once('message', done);
              worker.once('error', fail);
              worker.once('exit', (code) => {
                if (code !== 0) fail(new Error(`${c.key}: worker exited with ${code}`));
              });
            }),
        ),
      );
      process.stderr.write(`simulated in ${((Date.now() - t0) / 1000).toFixed(0)} s\n`);
      const html = renderReport({
        suite: 'closed-loop',
        description:
          'The headline run: 28 hours of Cyber Monday, seed 20241225, SLO 0.90 / 1,500 ms.',
        config: { seed: SEED, specs: '0-121', slo: SLO },
        results: runs.map((r) => r.result),
        traces: runs.map((r) => r.trace),
        clockStartS: 20 * 3600,
      });
      reportPath = option('--keep-report') ?? join(tmp, 'closed-loop.html');
      writeFileSync(reportPath, html);
      process.stderr.write(`report: ${reportPath} (${(html.length / 1e6).toFixed(2)} MB)\n`);
    }

    const { chromium } = await import('playwright-core');
    const browser = await chromium.launch({
      executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
      headless: true,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    try {
      mkdirSync(outDir, { recursive: true });
      const url = pathToFileURL(resolve(reportPath)).href;
      const shots = CANDIDATES.flatMap((c) => [
        { c, name: `${c.slug}-offered-admitted-capacity.png`, hash: '' },
        { c, name: `${c.slug}-mega-spike.png`, hash: `&x0=${MEGA_SPIKE.x0}&x1=${MEGA_SPIKE.x1}` },
      ]);
      for (const shot of shots) {
        const page = await browser.newPage({
          viewport: { width: 1200, height: 700 },
          deviceScaleFactor: 2,
        });
        const problems = [];
        page.on('pageerror', (err) => problems.push(String(err)));
        page.on('console', (msg) => {
          if (msg.type() === 'error') problems.push(msg.text());
        });
        await page.goto(
          `${url}#only=${encodeURIComponent(shot.c.label)}/requests&h=380&ymax=${Y_MAX}${shot.hash}`,
        );
        await page.waitForFunction(() => document.body.dataset.ready !== '0', null, {
          timeout: 60_000,
        });
        await page.waitForFunction(() => window.__report?.settled?.() === true, null, {
          timeout: 60_000,
        });
        if (
          problems.length > 0 ||
          (await page.evaluate(() => document.body.dataset.ready)) !== '1'
        ) {
          throw new Error(`${shot.name}: the page failed: ${problems.join('; ')}`);
        }
        const file = join(outDir, shot.name);
        await page.locator('section.run').first().screenshot({ path: file });
        process.stderr.write(`wrote ${file}\n`);
        await page.close();
      }
    } finally {
      await browser.close();
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
