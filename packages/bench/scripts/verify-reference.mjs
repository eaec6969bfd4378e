#!/usr/bin/env node
// Checks the closed-loop simulator against the published 28-hour reference rows
// of docs/BENCHMARKS.md §5.7 (No-CB, Static-BAU, Static-Peak; breaker table and
// backend table). Slow (tens of seconds per candidate), so not part of CI.
//
//   npx tsc -b packages/bench && node packages/bench/scripts/verify-reference.mjs [no-cb|static-bau|static-peak ...]
//
// Exits non-zero on any mismatch. Scores are compared as printed upstream
// (two decimals); every count must match exactly.
import { NoCB } from '../dist/candidates/no-cb.js';
import { STATIC_BAU, STATIC_PEAK, StaticCB } from '../dist/candidates/static-cb.js';
import { runClosedLoop } from '../dist/sim/orchestrator/closed-loop.js';
import { cyberMonday } from '../dist/sim/workload/cyber-monday.js';

const SEED = 20241225;

const PUBLISHED = {
  'no-cb': {
    create: () => new NoCB(),
    row: {
      blocked: 0,
      allowed: 56518826,
      successes: 31155708,
      failures: 25363118,
      successScore: '132026.73',
      failureScore: '201637.85',
      delta: '-69611.12',
      maxConcurrency: 7494,
    },
    backend: {
      requests: 56518826,
      successes: 31159395,
      failures: 25359431,
      shed: 2754143,
      queueDrops: 329407,
      crashes: 78,
    },
  },
  'static-bau': {
    create: () => new StaticCB('Static-BAU', STATIC_BAU),
    row: {
      blocked: 25892298,
      allowed: 30626528,
      successes: 29822483,
      failures: 804045,
      successScore: '127370.11',
      failureScore: '29589.31',
      delta: '52985.64',
      maxConcurrency: 7044,
    },
    backend: {
      requests: 30626528,
      successes: 29822483,
      failures: 804045,
      shed: 504984,
      queueDrops: 70694,
      crashes: 15,
    },
  },
  'static-peak': {
    create: () => new StaticCB('Static-Peak', STATIC_PEAK),
    row: {
      blocked: 26052608,
      allowed: 30466218,
      successes: 30073560,
      failures: 392658,
      successScore: '130072.05',
      failureScore: '15985.79',
      delta: '61497.68',
      maxConcurrency: 5086,
    },
    backend: {
      requests: 30466218,
      successes: 30073560,
      failures: 392658,
      shed: 184129,
      queueDrops: 17530,
      crashes: 50,
    },
  },
};

const wanted = process.argv.slice(2);
const names = wanted.length > 0 ? wanted : Object.keys(PUBLISHED);
let bad = 0;
for (const name of names) {
  const ref = PUBLISHED[name];
  if (ref === undefined) {
    console.error(`unknown candidate ${name}; known: ${Object.keys(PUBLISHED).join(', ')}`);
    process.exit(2);
  }
  const t0 = process.hrtime.bigint();
  const cpu0 = process.cpuUsage();
  const result = runClosedLoop({ specs: cyberMonday(), seed: SEED, candidate: ref.create });
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const cpu = process.cpuUsage(cpu0);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  console.log(`${result.candidate}: ${seconds.toFixed(1)} s wall, ${cpuSeconds.toFixed(1)} s CPU`);
  const check = (label, got, want) => {
    const ok = got === want;
    if (!ok) bad++;
    console.log(
      `  ${ok ? 'ok  ' : 'FAIL'} ${label.padEnd(22)} ${String(got).padStart(12)}  published ${want}`,
    );
  };
  for (const [key, want] of Object.entries(ref.row)) {
    const got = typeof want === 'string' ? result[key].toFixed(2) : result[key];
    check(key, got, want);
  }
  for (const [key, want] of Object.entries(ref.backend)) {
    check(`backend.${key}`, result.backend[key], want);
  }
}
console.log(bad === 0 ? 'all published cells reproduced' : `${bad} cell(s) differ`);
process.exit(bad === 0 ? 0 : 1);
