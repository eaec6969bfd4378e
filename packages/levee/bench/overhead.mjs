#!/usr/bin/env node
// Overhead of the Levee core: ns per admitted start+success pair in steady
// CLOSED and THROTTLED states, ns per in-band call(), and retained bytes per
// instance. Run: npm run bench:overhead (builds first). Targets (issue #2):
// ≤ 100 ns per pair in CLOSED, ≤ 1 KiB per instance.
import { Bench } from 'tinybench';
import { Levee } from '../dist/index.js';

const slo = { successRate: 0.9, timeoutMs: 1000 };

// Steady CLOSED: events 100 µs apart, 5 ms latency (the Go original's BenchmarkThroughput).
const closed = new Levee(slo);
let tc = 0;
for (let i = 0; i < 1000; i++, tc += 0.1) {
  closed.start(tc);
  closed.success(tc, 5);
}

// Steady THROTTLED: tripped with a wide limit, then a pool of 8 calls kept in
// flight; time moves 10 ns per operation so neither the holdoff nor many
// windows pass during the measurement.
const throttled = new Levee(slo);
let tt = 0;
for (let i = 0; i < 2000; i++, tt += 0.01) {
  throttled.start(tt);
  throttled.success(tt + 100, 100);
}
while (throttled.state === 'CLOSED') {
  throttled.start(tt);
  throttled.fail(tt, 0);
  tt += 0.00001;
}
if (throttled.snapshot().limit < 16) throw new Error('throttled bench setup: limit too small');
for (let i = 0; i < 8; i++) throttled.start(tt);

let rejectedPairs = 0;
// Sub-microsecond operations are timed in batches: the timer read per
// iteration would otherwise dominate.
const BATCH = 1000;
const bench = new Bench({ time: 1500, warmup: true });
bench
  .add('out-of-band start+success, CLOSED', () => {
    for (let i = 0; i < BATCH; i++) {
      tc += 0.1;
      closed.start(tc);
      closed.success(tc, 5);
    }
  })
  .add('out-of-band start+success, THROTTLED', () => {
    for (let i = 0; i < BATCH; i++) {
      tt += 0.00001;
      if (throttled.start(tt).admitted) throttled.success(tt, 5);
      else rejectedPairs++;
    }
  })
  .add('in-band call(async fn), CLOSED', async () => {
    await closedCall.call(noop);
  })
  .add('baseline: await async fn (no breaker)', async () => {
    await noop();
  });
const closedCall = new Levee(slo);
async function noop() {
  return 1;
}

await bench.run();
const rows = bench.tasks.map((t) => {
  const r = t.result;
  const batch = t.name.startsWith('out-of-band') ? BATCH : 1;
  const mean = (r?.latency?.mean ?? r?.mean) / batch; // ms per operation
  return {
    task: t.name,
    'ns/op': Number((mean * 1e6).toFixed(1)),
    'ops/s': Math.round(1000 / mean).toLocaleString('en-US'),
  };
});
console.table(rows);

// The same synchronous loops timed by the process's CPU time rather than the
// wall clock: on a shared machine, other processes stretch wall time but not
// the CPU time this thread spends (cache effects aside).
function cpuNsPerOp(label, loop, n) {
  loop(n / 10); // warm up
  const best = [];
  for (let r = 0; r < 5; r++) {
    const c0 = process.cpuUsage();
    loop(n);
    const c = process.cpuUsage(c0);
    best.push(((c.user + c.system) * 1000) / n);
  }
  best.sort((a, b) => a - b);
  return {
    task: label,
    'cpu ns/op (best of 5)': Number(best[0].toFixed(1)),
    median: Number(best[2].toFixed(1)),
  };
}
console.table([
  cpuNsPerOp(
    'out-of-band start+success, CLOSED',
    (n) => {
      for (let i = 0; i < n; i++) {
        tc += 0.1;
        closed.start(tc);
        closed.success(tc, 5);
      }
    },
    5_000_000,
  ),
  cpuNsPerOp(
    'out-of-band start+success, THROTTLED',
    (n) => {
      for (let i = 0; i < n; i++) {
        tt += 0.00001;
        if (throttled.start(tt).admitted) throttled.success(tt, 5);
        else rejectedPairs++;
      }
    },
    5_000_000,
  ),
]);
if (throttled.state !== 'THROTTLED')
  throw new Error(`THROTTLED bench left the state: ${throttled.state}`);
console.log(`THROTTLED pairs rejected during the run: ${rejectedPairs}`);

// Retained bytes per instance: 100,000 warmed instances.
if (typeof globalThis.gc !== 'function') {
  console.log('(run with node --expose-gc for the bytes-per-instance figure)');
} else {
  const N = 100_000;
  globalThis.gc();
  globalThis.gc();
  const before = process.memoryUsage().heapUsed;
  const keep = new Array(N);
  for (let i = 0; i < N; i++) {
    const l = new Levee(slo);
    for (let k = 0; k < 3; k++) {
      l.start(k);
      l.success(k + 1, 1);
    }
    l.start(3);
    l.fail(4, 1);
    keep[i] = l;
  }
  globalThis.gc();
  globalThis.gc();
  const after = process.memoryUsage().heapUsed;
  console.log(
    `retained bytes per instance (${N.toLocaleString('en-US')} warmed instances): ${((after - before) / N).toFixed(0)}`,
  );
  if (keep.length !== N) throw new Error('unreachable');
}
