#!/usr/bin/env node
// Replays a dependency outage against one Levee on a virtual clock and prints
// the state timeline. Deterministic: a seeded RNG, no timers, no wall clock.
//
//   npm run build -w @leveejs/levee && node examples/outage-replay.mjs
//
// Traffic: 200 requests/s (Poisson) to a dependency taking ~20 ms.
//   0–20 s  healthy (0.5 % errors)
//  20–35 s  degraded (30 % errors)
//  35–55 s  hard outage (every call fails after 20 ms)
//  55–90 s  healthy again
import { Levee } from '@leveejs/levee';

let seed = 12345;
function random() {
  // mulberry32
  seed = (seed + 0x6d2b79f5) | 0;
  let x = Math.imul(seed ^ (seed >>> 15), seed | 1);
  x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
  return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
}

function errorRate(t) {
  if (t < 20_000) return 0.005;
  if (t < 35_000) return 0.3;
  if (t < 55_000) return 1;
  return 0.005;
}

const levee = new Levee({ successRate: 0.95, timeoutMs: 1000 });
levee.onStateChange((e) => {
  const snap = levee.snapshot();
  console.log(
    `${(e.atMs / 1000).toFixed(3).padStart(8)} s  ${e.from.padEnd(9)} → ${e.to.padEnd(9)} ${e.trigger.padEnd(22)} limit ${String(snap.limit).padStart(3)}  error EWMA ${snap.errorRate.toFixed(3)}`,
  );
});

const pending = []; // [doneAt, startedAt, fail], kept sorted by doneAt
const buckets = new Map();
const bucketOf = (t) => Math.floor(t / 5000) * 5;
function count(t, key) {
  const b = bucketOf(t);
  const row = buckets.get(b) ?? { admitted: 0, shed: 0, ok: 0, failed: 0 };
  row[key]++;
  buckets.set(b, row);
}

console.log('    time     from        to        trigger');
let t = 0;
while (t < 90_000) {
  t += -Math.log(1 - random()) * 5; // mean 5 ms between arrivals
  while (pending.length > 0 && pending[0][0] <= t) {
    const [done, started, fail] = pending.shift();
    if (fail) levee.fail(done, done - started);
    else levee.success(done, done - started);
    count(done, fail ? 'failed' : 'ok');
  }
  if (!levee.start(t).admitted) {
    count(t, 'shed');
    continue;
  }
  count(t, 'admitted');
  const latency = 10 + random() * 20;
  const entry = [t + latency, t, random() < errorRate(t)];
  let i = pending.length;
  while (i > 0 && pending[i - 1][0] > entry[0]) i--;
  pending.splice(i, 0, entry);
}

console.log('\n  window   admitted   shed     ok  failed');
for (const [b, r] of [...buckets.entries()].sort((x, y) => x[0] - y[0])) {
  console.log(
    `${String(b).padStart(4)}–${String(b + 5).padEnd(3)}s ${String(r.admitted).padStart(8)} ${String(r.shed).padStart(6)} ${String(r.ok).padStart(6)} ${String(r.failed).padStart(7)}`,
  );
}
const c = levee.snapshot().counters;
console.log(
  `\ntotal: ${c.admitted} admitted, ${c.rejected} shed, ${c.succeeded} succeeded, ${c.failed} failed; final state ${levee.state}`,
);
