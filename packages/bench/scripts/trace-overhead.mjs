#!/usr/bin/env node
// What per-second trace recording costs: runs one candidate through the
// closed loop with and without a TraceRecorder and checks the results are
// identical. Each round starts both runs at the same time, each in its own
// Node process (as in the CLI, where every simulation has its own worker
// thread), so that whatever else loads the machine slows both alike; it
// prints each run's wall-clock and CPU time (user + system of its process),
// the overhead of the fastest runs and the median of the per-round ratios.
// (Needs two free cores to mean anything: on a busy machine, more rounds.)
//
//   npx tsc -b packages/bench && node packages/bench/scripts/trace-overhead.mjs [candidate] [--specs A-B] [--rounds N]
//
// Defaults: levee, the full 28-hour workload (about 30-40 s a run), 2 rounds.
import { execFile } from 'node:child_process';
import { createCandidate } from '../dist/candidates/registry.js';
import { runClosedLoop } from '../dist/sim/orchestrator/closed-loop.js';
import { cyberMonday } from '../dist/sim/workload/cyber-monday.js';
import { TraceRecorder } from '../dist/suites/closed-loop/trace.js';

const args = process.argv.slice(2);
let name = 'levee';
let rounds = 2;
let specs = cyberMonday();
let specArg;
let child;
for (let i = 0; i < args.length; i++) {
  const a = args[i];
  if (a === '--rounds') rounds = Number(args[++i]);
  else if (a === '--child') child = args[++i];
  else if (a === '--specs') {
    specArg = args[++i];
    const [first, last = first] = specArg.split('-').map(Number);
    specs = specs.slice(first, last + 1);
  } else name = a;
}
const slo = { successRate: 0.9, timeoutMs: 1500 };
const candidate = () => createCandidate(name, { slo });

function once(traced) {
  const recorder = traced ? new TraceRecorder() : undefined;
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const result = runClosedLoop({
    specs,
    seed: 20241225,
    candidate,
    ...(recorder === undefined ? {} : { tracer: recorder }),
  });
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(c0);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  return { ms, cpuMs, result: JSON.stringify(result), rows: recorder?.trace().seconds };
}

if (child !== undefined) {
  process.stdout.write(JSON.stringify(once(child === 'on')));
  process.exit(0);
}

/** One run in a fresh process. */
function spawnRun(traced) {
  return new Promise((resolve, reject) => {
    const argv = [
      new URL(import.meta.url).pathname,
      name,
      '--child',
      traced ? 'on' : 'off',
      ...(specArg === undefined ? [] : ['--specs', specArg]),
    ];
    execFile(process.execPath, argv, { encoding: 'utf8', maxBuffer: 1 << 24 }, (err, out) =>
      err ? reject(err) : resolve(JSON.parse(out)),
    );
  });
}

const off = [];
const on = [];
const ratios = [];
let reference;
for (let r = 0; r < rounds; r++) {
  const [plain, traced] = await Promise.all([spawnRun(false), spawnRun(true)]);
  for (const run of [plain, traced]) {
    reference ??= run.result;
    if (run.result !== reference) {
      console.error('results differ with recording on/off');
      process.exit(1);
    }
  }
  off.push(plain);
  on.push(traced);
  ratios.push({ ms: traced.ms / plain.ms, cpuMs: traced.cpuMs / plain.cpuMs });
  const fmt = (run) =>
    `${(run.ms / 1000).toFixed(2)} s wall, ${(run.cpuMs / 1000).toFixed(2)} s CPU`;
  console.log(
    `${name} round ${r + 1}: untraced ${fmt(plain)}; traced ${fmt(traced)} (${traced.rows} rows)`,
  );
}
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const pct = (x) => `${((x - 1) * 100).toFixed(1)} %`;
for (const [what, key] of [
  ['wall', 'ms'],
  ['CPU ', 'cpuMs'],
]) {
  const a = Math.min(...off.map((r) => r[key]));
  const b = Math.min(...on.map((r) => r[key]));
  console.log(
    `${what}: fastest untraced ${(a / 1000).toFixed(2)} s, fastest traced ${(b / 1000).toFixed(2)} s ` +
      `(${pct(b / a)}); median per-round overhead ${pct(median(ratios.map((x) => x[key])))}`,
  );
}
console.log('results identical with and without recording');
