#!/usr/bin/env node
// Checks the open-loop "prescient" suite against the published table of
// docs/BENCHMARKS.md §4.4 (Cyber Monday, seed 20241225, SLO 0.90 / 1,500 ms), one
// full 28-hour run per candidate, one after the other (20-40 s each). Runs
// against the built package:
//
//   npx tsc -b packages/bench && node packages/bench/scripts/verify-prescient.mjs [static-bau|static-peak|levee ...]
//
// Checks, per candidate: Blocked, Allowed, Flap, FalseAlarm and LateDetect
// exactly; penalties with buckets anchored at the stream origin (the suite's
// default) within 1 % of the published TotalPenalty; and penalties with the
// bucket phase UPSTREAM_PHASE_NS (852.4 ms) exactly as printed. Also the
// Prescient row exactly. Prints the table, the published one and the timings.
// Exit code 1 on any mismatch.
import { cpuUsage } from 'node:process';
import {
  fixed0,
  formatPrescientTable,
  formatPublishedTable,
  prescientRows,
} from '../dist/suites/prescient/format.js';
import { UPSTREAM_PHASE_NS } from '../dist/suites/prescient/penalty.js';
import { publishedPrescientRow } from '../dist/suites/prescient/published.js';
import { runPrescientJob } from '../dist/suites/prescient/runner.js';

const SEED = 20241225;
const SLO = { successRate: 0.9, timeoutMs: 1500 };
const ALL = ['static-bau', 'static-peak', 'levee'];

const chosen = process.argv.slice(2);
const candidates = chosen.length === 0 ? ALL : chosen;
let failed = false;

function check(label, got, want) {
  const ok = got === want;
  console.log(`  ${ok ? 'ok  ' : 'FAIL'} ${label}: ${got}${ok ? '' : ` (published ${want})`}`);
  if (!ok) failed = true;
}

const results = [];
for (const candidate of candidates) {
  const c0 = cpuUsage();
  const t0 = performance.now();
  const r = runPrescientJob({
    candidate,
    seed: SEED,
    slo: SLO,
    alsoBucketPhasesNs: [UPSTREAM_PHASE_NS],
  });
  const wall = (performance.now() - t0) / 1000;
  const cpu = cpuUsage(c0).user / 1e6;
  results.push(r);
  console.log(`${r.candidate}: wall ${wall.toFixed(1)} s, cpu ${cpu.toFixed(1)} s`);
  const pub = publishedPrescientRow(r.candidate);
  if (pub === undefined) {
    console.log('  (no published row)');
    continue;
  }
  check('Blocked', r.blocked, pub.blocked);
  check('Allowed', r.allowed, pub.allowed);
  check('Flap', r.transitions.flapping, pub.flap);
  check('FalseAlarm', r.transitions.falseAlarm, pub.falseAlarm);
  check('LateDetect', r.transitions.lateDetection, pub.lateDetect);
  const rel = (r.totalPenalty - pub.totalPenalty) / pub.totalPenalty;
  const within = Math.abs(rel) <= 0.01;
  console.log(
    `  ${within ? 'ok  ' : 'FAIL'} TotalPenalty (phase 0) ${fixed0(r.totalPenalty)} vs ${pub.totalPenalty}: ${(rel * 100).toFixed(2)} %` +
      ` (BadTraffic ${fixed0(r.badTraffic)} vs ${pub.badTraffic}, LostBusiness ${fixed0(r.lostBusiness)} vs ${pub.lostBusiness})`,
  );
  if (!within) failed = true;
  const up = r.penaltiesByPhase[0];
  check(
    `penalties at phase ${UPSTREAM_PHASE_NS / 1e6} ms`,
    [up.badTraffic, up.lostBusiness, up.totalPenalty].map(fixed0).join(' / '),
    [pub.badTraffic, pub.lostBusiness, pub.totalPenalty].join(' / '),
  );
}

const rows = prescientRows(results);
const prescient = rows[0];
const pubPrescient = publishedPrescientRow('Prescient');
console.log('Prescient estimate:');
check('Blocked', prescient.blocked, pubPrescient.blocked);
check('Allowed', prescient.allowed, pubPrescient.allowed);

console.log(`\nOurs (buckets anchored at the first arrival):\n${formatPrescientTable(rows)}`);
console.log(`Published (04824ae):\n${formatPublishedTable()}`);
process.exitCode = failed ? 1 : 0;
