#!/usr/bin/env node
// Full end-to-end known answers for the arrival streams over the whole
// Cyber Monday workload with seed 20241225 (docs/BENCHMARKS.md §2.3, §5.2, A.5),
// with timings. Runs against the built package:
//
//   npx tsc -b packages/bench && node packages/bench/scripts/verify-arrivals.mjs
//
// Checks: the closed-loop dispatcher (56,518,826 requests, last discarded
// t = 100,800,215,499,895 ns), the open-loop generator (56,525,160 requests)
// and the open-loop event stream with its completion heap (56,525,160 starts,
// as many completions, time never going backwards). Exit code 1 on mismatch.
import { cpuUsage } from 'node:process';
import { Dispatcher } from '../dist/sim/arrivals/dispatcher.js';
import { OpenLoopGenerator, OpenLoopStream } from '../dist/sim/arrivals/open-loop-stream.js';
import { cyberMonday } from '../dist/sim/workload/cyber-monday.js';

const SEED = 20241225;
let failed = false;

function timed(label, fn) {
  const c0 = cpuUsage();
  const t0 = performance.now();
  const out = fn();
  const wall = (performance.now() - t0) / 1000;
  const cpu = cpuUsage(c0).user / 1e6;
  console.log(`${label}: wall ${wall.toFixed(2)} s, cpu ${cpu.toFixed(2)} s`);
  return out;
}

function check(label, got, want) {
  const ok = JSON.stringify(got) === JSON.stringify(want);
  console.log(
    `  ${ok ? 'ok  ' : 'FAIL'} ${label}: ${JSON.stringify(got)}${ok ? '' : ` (want ${JSON.stringify(want)})`}`,
  );
  if (!ok) failed = true;
}

const only = process.argv[2];
const specs = cyberMonday();

if (!only || only === 'dispatcher') {
  const r = timed('dispatcher (closed loop)', () => {
    const d = new Dispatcher(specs, SEED);
    while (d.next()) {
      // count
    }
    return { count: d.count, lastT: d.t };
  });
  check('requests / last t', r, { count: 56_518_826, lastT: 100_800_215_499_895 });
}

if (!only || only === 'generator') {
  const n = timed('open-loop generator (3 draws per request)', () => {
    const g = new OpenLoopGenerator(specs, SEED);
    while (g.next()) {
      // count
    }
    return g.count;
  });
  check('requests', n, 56_525_160);
}

if (!only || only === 'stream') {
  const r = timed('open-loop event stream (generator + completion heap)', () => {
    const s = new OpenLoopStream(specs, SEED);
    let starts = 0;
    let successes = 0;
    let errors = 0;
    let backwards = 0;
    let prev = 0;
    while (s.next()) {
      if (s.t < prev) backwards++;
      prev = s.t;
      if (s.kind === 'start') starts++;
      else if (s.kind === 'success') successes++;
      else errors++;
    }
    return { starts, completions: successes + errors, backwards, successes, errors };
  });
  check('starts', r.starts, 56_525_160);
  check('completions', r.completions, 56_525_160);
  check('time order violations', r.backwards, 0);
  console.log(`  successes ${r.successes}, errors ${r.errors}`);
}

process.exit(failed ? 1 : 0);
