#!/usr/bin/env node
// Overhead of Levee against the npm peers on the same trivial async function:
// ns per protected call in a healthy steady state and under rejection (breaker
// held open / limit full), and retained bytes per instance.
//
//   npm run bench:peers-overhead            (builds @leveejs/levee first)
//   node --expose-gc packages/bench/bench/overhead-peers.mjs [--rounds 3] [--time 800]
//
// opossum runs twice: with its defaults (latency percentiles kept and sorted,
// a snapshot timer) and "lean" (the documented optimisation: both off);
// cockatiel with the README's ConsecutiveBreaker and with a SamplingBreaker.
//
// Every task runs BATCH sequential protected calls per tinybench iteration (a
// timer read per single call would dominate); "ns/call" is the mean of one
// call. "overhead" subtracts the bare `await fn()` baseline of the same round,
// so it is what the wrapper adds. The libraries run unmodified, on the real
// clock and native promises. Targets (issue "Meet the real competition"):
// Levee call() ≥ 10× cheaper than opossum fire(), ≥ 3× cheaper than cockatiel
// execute(); the Levee out-of-band start+success pair ≥ 20× cheaper than
// opossum fire() — compared on overhead. Results vary with machine load: run
// several rounds and read the spread.
import { Levee } from '@leveejs/levee';
import { ConsecutiveBreaker, circuitBreaker, handleAll, SamplingBreaker } from 'cockatiel';
import CircuitBreaker from 'opossum';
import pLimit from 'p-limit';
import { Bench } from 'tinybench';

const args = process.argv.slice(2);
const arg = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const ROUNDS = arg('rounds', 3);
const TIME_MS = arg('time', 800);
const BATCH = 100;
const SLO = { successRate: 0.9, timeoutMs: 1500 };

async function fn() {
  return 1;
}
const swallow = () => undefined;

// ---------------------------------------------------------------------------
// Subjects

/** Levee held rejecting: a frozen clock, failures until OPEN (cooldown never expires). */
function rejectingLevee() {
  let now = 1000;
  const levee = new Levee(SLO, { clock: () => now });
  for (let i = 0; i < 1_000_000 && levee.state !== 'OPEN'; i++) {
    now += 0.01;
    if (levee.start(now).admitted) levee.fail(now, 0.01);
  }
  if (levee.start(now).admitted) throw new Error(`Levee setup: still admitting in ${levee.state}`);
  return levee;
}

function subjects() {
  const oob = new Levee(SLO);
  let tOob = 0;
  const inBand = new Levee(SLO);
  const opossum = new CircuitBreaker(fn);
  // The documented optimisation: no latency percentiles, no snapshot timer.
  const opossumLean = new CircuitBreaker(fn, {
    rollingPercentilesEnabled: false,
    enableSnapshots: false,
  });
  const cockatiel = circuitBreaker(handleAll, {
    halfOpenAfter: 10_000,
    breaker: new ConsecutiveBreaker(5),
  });
  const cockatielSampling = circuitBreaker(handleAll, {
    halfOpenAfter: 10_000,
    breaker: new SamplingBreaker({ threshold: 0.2, duration: 10_000 }),
  });
  const limit = pLimit(1000);

  const leveeOpen = rejectingLevee();
  const opossumOpen = new CircuitBreaker(fn, { resetTimeout: 1e9 });
  opossumOpen.open();
  const cockatielOpen = circuitBreaker(handleAll, {
    halfOpenAfter: 1e9,
    breaker: new ConsecutiveBreaker(1),
  });
  const limitFull = pLimit(1);
  limitFull(() => new Promise(() => {})); // holds the only slot forever

  return {
    healthy: [
      [
        'baseline: await fn()',
        async () => {
          for (let i = 0; i < BATCH; i++) await fn();
        },
      ],
      [
        'levee out-of-band start+success (sync)',
        () => {
          for (let i = 0; i < BATCH; i++) {
            tOob += 0.1;
            oob.start(tOob);
            oob.success(tOob, 5);
          }
        },
      ],
      [
        'levee call(fn)',
        async () => {
          for (let i = 0; i < BATCH; i++) await inBand.call(fn);
        },
      ],
      [
        'opossum fire()',
        async () => {
          for (let i = 0; i < BATCH; i++) await opossum.fire();
        },
      ],
      [
        'opossum fire() lean',
        async () => {
          for (let i = 0; i < BATCH; i++) await opossumLean.fire();
        },
      ],
      [
        'cockatiel execute(fn)',
        async () => {
          for (let i = 0; i < BATCH; i++) await cockatiel.execute(fn);
        },
      ],
      [
        'cockatiel execute(fn) SamplingBreaker',
        async () => {
          for (let i = 0; i < BATCH; i++) await cockatielSampling.execute(fn);
        },
      ],
      [
        'p-limit limit(fn)',
        async () => {
          for (let i = 0; i < BATCH; i++) await limit(fn);
        },
      ],
    ],
    rejecting: [
      [
        'levee start() rejected (sync)',
        () => {
          for (let i = 0; i < BATCH; i++) leveeOpen.start(1e6);
        },
      ],
      [
        'levee call(fn) rejected',
        async () => {
          for (let i = 0; i < BATCH; i++) await leveeOpen.call(fn).catch(swallow);
        },
      ],
      [
        'opossum fire() rejected',
        async () => {
          for (let i = 0; i < BATCH; i++) await opossumOpen.fire().catch(swallow);
        },
      ],
      [
        'cockatiel execute(fn) rejected',
        async () => {
          for (let i = 0; i < BATCH; i++) await cockatielOpen.execute(fn).catch(swallow);
        },
      ],
      [
        'p-limit limit(fn) queued (never rejects)',
        () => {
          for (let i = 0; i < BATCH; i++) limitFull(fn);
          limitFull.clearQueue();
        },
      ],
    ],
    async prepare() {
      await cockatielOpen.execute(() => Promise.reject(new Error('x'))).catch(swallow);
      if (cockatielOpen.state !== 1) throw new Error('cockatiel setup: not open');
      if (!opossumOpen.opened) throw new Error('opossum setup: not open');
    },
    shutdown() {
      opossum.shutdown();
      opossumLean.shutdown();
      opossumOpen.shutdown();
    },
  };
}

// ---------------------------------------------------------------------------
// Bytes per instance (needs --expose-gc)

async function bytesPerInstance() {
  if (typeof globalThis.gc !== 'function') return undefined;
  const N = 2000;
  const measure = async (make, use) => {
    const keep = new Array(N);
    globalThis.gc();
    globalThis.gc();
    const before = process.memoryUsage().heapUsed;
    for (let i = 0; i < N; i++) keep[i] = make();
    let after = 0;
    globalThis.gc();
    after = process.memoryUsage().heapUsed;
    const fresh = (after - before) / N;
    if (use !== undefined) {
      for (let i = 0; i < N; i++) await use(keep[i]);
      globalThis.gc();
      after = process.memoryUsage().heapUsed;
    }
    const used = (after - before) / N;
    for (const k of keep) k?.shutdown?.();
    return { fresh, used };
  };
  const calls = async (fire) => {
    for (let j = 0; j < 20; j++) await fire();
  };
  return {
    levee: await measure(
      () => new Levee(SLO),
      (l) => calls(() => l.call(fn)),
    ),
    opossum: await measure(
      () => new CircuitBreaker(fn),
      (b) => calls(() => b.fire()),
    ),
    cockatiel: await measure(
      () =>
        circuitBreaker(handleAll, { halfOpenAfter: 10_000, breaker: new ConsecutiveBreaker(5) }),
      (p) => calls(() => p.execute(fn)),
    ),
    'p-limit': await measure(
      () => pLimit(1000),
      (l) => calls(() => l(fn)),
    ),
  };
}

// ---------------------------------------------------------------------------

async function round() {
  const s = subjects();
  await s.prepare();
  const bench = new Bench({ time: TIME_MS, warmup: true });
  for (const [name, task] of [...s.healthy, ...s.rejecting]) bench.add(name, task);
  await bench.run();
  s.shutdown();
  const out = new Map();
  for (const t of bench.tasks) {
    const r = t.result;
    const meanMs = r?.latency?.mean ?? r?.mean;
    out.set(t.name, (meanMs * 1e6) / BATCH);
  }
  return out;
}

const fmt = (x, d = 0) => (Number.isFinite(x) ? x.toFixed(d) : 'n/a');

const rounds = [];
for (let i = 0; i < ROUNDS; i++) {
  const r = await round();
  rounds.push(r);
  const base = r.get('baseline: await fn()');
  console.log(`\nround ${i + 1}/${ROUNDS} (BATCH ${BATCH}, ${TIME_MS} ms per task)`);
  console.table(
    [...r].map(([task, ns]) => ({
      task,
      'ns/call': Number(fmt(ns, 1)),
      'overhead ns':
        task.includes('(sync)') || task.includes('queued')
          ? Number(fmt(ns, 1))
          : Number(fmt(ns - base, 1)),
    })),
  );
}

// Summary: median and spread across rounds, overheads and ratios to Levee.
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const overhead = (r, task) => {
  const ns = r.get(task);
  if (task.includes('(sync)') || task.includes('queued')) return ns;
  return ns - r.get('baseline: await fn()');
};
const stat = (task) => {
  const xs = rounds.map((r) => overhead(r, task));
  return { med: median(xs), min: Math.min(...xs), max: Math.max(...xs) };
};
const ratio = (peer, ref) => {
  const xs = rounds.map((r) => overhead(r, peer) / overhead(r, ref));
  return { med: median(xs), min: Math.min(...xs), max: Math.max(...xs) };
};

const rows = [];
const add = (task, ref) => {
  const s = stat(task);
  const q = ref === undefined ? undefined : ratio(task, ref);
  rows.push({
    task,
    'overhead ns (median)': Number(fmt(s.med, 1)),
    'min–max': `${fmt(s.min)}–${fmt(s.max)}`,
    '× Levee (median, min–max)':
      q === undefined ? '' : `${fmt(q.med, 1)} (${fmt(q.min, 1)}–${fmt(q.max, 1)})`,
  });
};
console.log(
  `\nSummary over ${ROUNDS} rounds: overhead per protected call (ns/call − baseline await)`,
);
add('baseline: await fn()');
add('levee out-of-band start+success (sync)');
add('levee call(fn)', 'levee call(fn)');
add('opossum fire()', 'levee call(fn)');
add('opossum fire() lean', 'levee call(fn)');
add('cockatiel execute(fn)', 'levee call(fn)');
add('cockatiel execute(fn) SamplingBreaker', 'levee call(fn)');
add('p-limit limit(fn)', 'levee call(fn)');
add('levee start() rejected (sync)');
add('levee call(fn) rejected', 'levee call(fn) rejected');
add('opossum fire() rejected', 'levee call(fn) rejected');
add('cockatiel execute(fn) rejected', 'levee call(fn) rejected');
add('p-limit limit(fn) queued (never rejects)', 'levee call(fn) rejected');
{
  const raw = rounds.map((r) => r.get('baseline: await fn()'));
  rows[0]['overhead ns (median)'] = Number(fmt(median(raw), 1));
  rows[0]['min–max'] = `${fmt(Math.min(...raw))}–${fmt(Math.max(...raw))}`;
  rows[0]['× Levee (median, min–max)'] = '(raw ns of a bare await)';
}
console.table(rows);

const OOB = 'levee out-of-band start+success (sync)';
const targets = [
  [
    'Levee call() ≥ 10× cheaper than opossum fire() (defaults)',
    ratio('opossum fire()', 'levee call(fn)'),
    10,
  ],
  [
    'Levee call() ≥ 10× cheaper than opossum fire() (lean)',
    ratio('opossum fire() lean', 'levee call(fn)'),
    10,
  ],
  [
    'Levee call() ≥ 3× cheaper than cockatiel execute()',
    ratio('cockatiel execute(fn)', 'levee call(fn)'),
    3,
  ],
  [
    'Levee out-of-band pair ≥ 20× cheaper than opossum fire() (defaults)',
    ratio('opossum fire()', OOB),
    20,
  ],
  [
    'Levee out-of-band pair ≥ 20× cheaper than opossum fire() (lean)',
    ratio('opossum fire() lean', OOB),
    20,
  ],
];
console.log('\nTargets (healthy steady state, on overhead; median and min–max over rounds):');
for (const [label, q, want] of targets) {
  const verdict =
    q.min >= want ? 'MET' : q.med >= want ? 'MET (median; not in every round)' : 'MISSED';
  console.log(
    `  ${verdict.padEnd(34)} ${label}: ${fmt(q.med, 1)}× (${fmt(q.min, 1)}–${fmt(q.max, 1)})`,
  );
}

const bytes = await bytesPerInstance();
if (bytes === undefined) {
  console.log('\nbytes per instance: run with --expose-gc');
} else {
  console.log(
    '\nRetained bytes per instance (2,000 instances; fresh, and after 20 healthy calls each):',
  );
  console.table(
    Object.entries(bytes).map(([lib, b]) => ({
      library: lib,
      'fresh B': Math.round(b.fresh),
      'after 20 calls B': Math.round(b.used),
      '× Levee (after calls)': Number(fmt(b.used / bytes.levee.used, 1)),
    })),
  );
}
