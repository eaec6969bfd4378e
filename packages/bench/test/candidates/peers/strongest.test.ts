/**
 * The three strongest modern peers (docs/PEERS.md §3.7–§3.9): failsafe-go's
 * adaptive limiter and adaptive throttler, and brpc's auto concurrency
 * limiter. Their update rules on hand-built sequences, then a short closed-loop
 * run of each through the registry (deterministic, sane counts).
 */
import { describe, expect, it, test } from 'vitest';
import {
  BRPC_AUTO_DEFAULTS,
  BRPC_AUTO_ENTRIES,
  BrpcAutoLimiter,
} from '../../../src/candidates/peers/brpc-auto.js';
import {
  CorrelationWindow,
  Ewma,
  FAILSAFE_LIMITER_ENTRIES,
  FailsafeAdaptiveLimiter,
  type FailsafeLimitUpdate,
  failsafeLog10,
  MedianFilter,
} from '../../../src/candidates/peers/failsafe-limiter.js';
import {
  FAILSAFE_THROTTLER_ENTRIES,
  FailsafeAdaptiveThrottler,
  failsafeRejectionRate,
} from '../../../src/candidates/peers/failsafe-throttler.js';
import { createCandidate, getCandidate } from '../../../src/candidates/registry.js';
import { runClosedLoop } from '../../../src/sim/orchestrator/closed-loop.js';
import { withBaselines } from '../../../src/sim/workload/baseline.js';
import { cyberMonday } from '../../../src/sim/workload/cyber-monday.js';

const MS = 1e6;
const S = 1e9;

describe('failsafe-go adaptive limiter: building blocks', () => {
  it('log10 steps: 1 below 100, 2 below 1,000, floor(log10) above', () => {
    expect([1, 20, 99.9, 100, 999, 1000, 10_000].map(failsafeLog10)).toEqual([1, 1, 1, 2, 2, 3, 4]);
  });

  it('EWMA: a plain mean over the warm-up, then factor 2 / (window + 1)', () => {
    const e = new Ewma(5, 2);
    expect(e.add(10)).toBe(10);
    expect(e.add(20)).toBe(15);
    expect(e.add(45)).toBeCloseTo(15 * (2 / 3) + 45 / 3, 12);
  });

  it('median filter: the first size − 1 values pass through, then the median of the last size', () => {
    const m = new MedianFilter(5);
    expect([1, 9, 2, 8].map((x) => m.add(x))).toEqual([1, 9, 2, 8]);
    expect(m.add(100)).toBe(8); // median of 1, 9, 2, 8, 100
    expect(m.add(100)).toBe(9); // 9, 2, 8, 100, 100
    expect(m.add(100)).toBe(100); // 2, 8, 100, 100, 100
  });

  it('correlation: 0 during warm-up and for flat series, else Pearson', () => {
    const up = new CorrelationWindow(50, 10);
    const down = new CorrelationWindow(50, 10);
    const flat = new CorrelationWindow(50, 10);
    let last = { up: 0, down: 0, flat: { correlation: 1, cvY: 1 } };
    for (let i = 1; i <= 12; i++) {
      const u = up.add(i, 3 * i + 1);
      const d = down.add(i, 100 - i);
      const f = flat.add(i, 7);
      if (i < 10) expect([u.correlation, d.correlation, f.correlation]).toEqual([0, 0, 0]);
      last = { up: u.correlation, down: d.correlation, flat: f };
    }
    expect(last.up).toBeCloseTo(1, 9);
    expect(last.down).toBeCloseTo(-1, 9);
    expect(last.flat.correlation).toBe(0);
    expect(last.flat.cvY).toBe(0);
  });

  it('correlation forgets pairs older than its window', () => {
    const w = new CorrelationWindow(10, 2);
    for (let i = 1; i <= 10; i++) w.add(i, i); // perfectly correlated
    let r = 0;
    for (let i = 1; i <= 10; i++) r = w.add(i, 20 - i).correlation; // then only anti-correlated
    expect(r).toBeCloseTo(-1, 9);
  });
});

/** Feeds `n` samples 1 ms apart from `t0`; returns the update they caused, if any. */
function window(
  l: FailsafeAdaptiveLimiter,
  t0: number,
  rttNs: number,
  inflight: number,
  full = false,
  n = 50,
): FailsafeLimitUpdate | undefined {
  const before = l.lastUpdate;
  for (let i = 0; i < n; i++) l.record(t0 + i * MS, rttNs, inflight, full);
  return l.lastUpdate === before ? undefined : l.lastUpdate;
}

describe('failsafe-go adaptive limiter: update rule', () => {
  it('updates once per window of ≥ 50 samples, then waits clamp(2 · min RTT, 1 s, 30 s)', () => {
    const l = new FailsafeAdaptiveLimiter();
    for (let i = 0; i < 49; i++) l.record((i + 1) * MS, 50 * MS, 10, false);
    expect(l.lastUpdate).toBeUndefined();
    expect(l.windowSize).toBe(49);
    l.record(50 * MS, 50 * MS, 10, false); // the 50th sample
    expect(l.lastUpdate?.limit).toBe(21);
    expect(l.windowSize).toBe(0);
    expect(l.nextUpdateNs).toBe(50 * MS + 1 * S); // 2 × 50 ms < 1 s
    // More than 50 samples before the next update time: no update; the window keeps growing.
    window(l, 100 * MS, 50 * MS, 10, false, 60);
    expect(l.estimatedLimit).toBe(21);
    expect(l.windowSize).toBe(60);
    l.record(1051 * MS, 2 * S, 10, false); // strictly after: update; min RTT 50 ms
    expect(l.estimatedLimit).toBe(22);
    expect(l.nextUpdateNs).toBe(1051 * MS + 1 * S);
    window(l, 3 * S, 2 * S, 10); // min RTT 2 s → 4 s
    expect(l.nextUpdateNs).toBe(3 * S + 49 * MS + 4 * S);
    window(l, 10 * S, 20 * S, 10); // min RTT 20 s → capped at 30 s
    expect(l.nextUpdateNs).toBe(10 * S + 49 * MS + 30 * S);
  });

  it('grows by one per window while the latency stays at its baseline', () => {
    const l = new FailsafeAdaptiveLimiter();
    const limits: number[] = [];
    for (let k = 0; k < 5; k++) limits.push(window(l, (2 * k + 1) * S, 50 * MS, 100)!.limit);
    expect(limits).toEqual([21, 22, 23, 24, 25]);
    expect(l.lastUpdate).toMatchObject({ direction: 'increase', reason: 'queue', queueSize: 0 });
  });

  it('caps the limit at 5 × the maximum in-flight count of the window', () => {
    const l = new FailsafeAdaptiveLimiter();
    // Four in flight: at most 20. 20 + 1 > 20 → 20 − 1; 19 + 1 fits.
    const limits: number[] = [];
    for (let k = 0; k < 4; k++) limits.push(window(l, (2 * k + 1) * S, 50 * MS, 4)!.limit);
    expect(limits).toEqual([19, 20, 19, 20]);
    window(l, 9 * S, 50 * MS, 4);
    expect(l.lastUpdate).toMatchObject({ direction: 'decrease', reason: 'max', limit: 19 });
  });

  it('latency rising → the limit falls (a one-window spike is filtered out), until the baseline adapts', () => {
    const l = new FailsafeAdaptiveLimiter();
    let t = 1 * S;
    const feed = (rtt: number) => {
      const u = window(l, t, rtt, 100)!;
      t += 2 * S;
      return u;
    };
    for (let k = 0; k < 12; k++) feed(50 * MS);
    expect(l.estimatedLimit).toBe(32);
    // The 5-value median filter holds the first two slow windows back.
    expect(feed(150 * MS).direction).toBe('increase');
    expect(feed(150 * MS).direction).toBe('increase');
    const slow = [feed(150 * MS), feed(150 * MS), feed(150 * MS)];
    for (const u of slow) expect(u).toMatchObject({ direction: 'decrease', reason: 'queue' });
    expect(slow[0]!.queueSize).toBeGreaterThan(6);
    expect(l.estimatedLimit).toBe(31);
    // A lasting shift becomes the new baseline, and the limit grows again.
    for (let k = 0; k < 40; k++) feed(150 * MS);
    expect(feed(150 * MS)).toMatchObject({ direction: 'increase', reason: 'queue' });
  });

  it('throughput flat while in-flight work rises: a full limiter stops growing, a non-full one grows', () => {
    const run = (full: boolean) => {
      const l = new FailsafeAdaptiveLimiter({ maxLimit: 1000 });
      const reasons = new Set<string>();
      let t = 1 * S;
      for (let k = 0; k < 12; k++) {
        window(l, t, 50 * MS, 20, full);
        t += 2 * S;
      }
      const start = l.estimatedLimit;
      // In flight +1 per window, RTT in proportion: in-flight / RTT (throughput) stays 400/s.
      for (let k = 1; k <= 20; k++) {
        const u = window(l, t, (20 + k) * 2.5 * MS, 20 + k, full)!;
        reasons.add(`${u.direction}:${u.reason}`);
        t += 2 * S;
      }
      return { start, end: l.estimatedLimit, reasons };
    };
    const open = run(false);
    const full = run(true);
    // Not full: no throughput evidence applies; the Vegas queue (RTT above its baseline) stops growth.
    expect(open.end).toBeGreaterThan(open.start);
    expect(open.reasons.has('hold:queue')).toBe(true);
    expect([...open.reasons].every((r) => !r.startsWith('decrease:thrpt'))).toBe(true);
    expect(full.end).toBeLessThan(full.start);
    expect([...full.reasons].some((r) => r.startsWith('decrease:thrpt'))).toBe(true);
  });

  it('throughput rising with in-flight work: a full limiter keeps growing', () => {
    const l = new FailsafeAdaptiveLimiter({ maxLimit: 1000 });
    let t = 1 * S;
    for (let k = 0; k < 12; k++) {
      window(l, t, 50 * MS, 20 + k, true);
      t += 2 * S;
    }
    const start = l.estimatedLimit;
    for (let k = 0; k < 20; k++) {
      expect(window(l, t, 50 * MS, 32 + k, true)!.direction).toBe('increase');
      t += 2 * S;
    }
    expect(l.estimatedLimit).toBe(start + 20);
  });

  it('clamps to [min, max] and admits up to floor(limit)', () => {
    const l = new FailsafeAdaptiveLimiter({ maxLimit: 22 });
    for (let k = 0; k < 5; k++) window(l, (2 * k + 1) * S, 50 * MS, 100);
    expect(l.estimatedLimit).toBe(22);
    expect(l.lastUpdate).toMatchObject({ direction: 'hold', reason: 'max' });
    const small = new FailsafeAdaptiveLimiter({ initialLimit: 2, minLimit: 1 });
    window(small, 1 * S, 50 * MS, 1); // cap 5 × 1: 3 fits
    expect(small.limit).toBe(3);
    expect([small.start(0), small.start(1), small.start(2), small.start(3)]).toEqual([
      true,
      true,
      true,
      false,
    ]);
  });

  it('as a candidate: records successes and failures alike, "full" counting the completing request', () => {
    const l = new FailsafeAdaptiveLimiter({ initialLimit: 3, recentWindowMinSamples: 3 });
    expect([l.start(1), l.start(2), l.start(3), l.start(4)]).toEqual([true, true, true, false]);
    l.success(50 * MS + 1, 50 * MS);
    l.fail(50 * MS + 2, 50 * MS);
    expect(l.windowSize).toBe(2);
    l.success(50 * MS + 3, 50 * MS); // third sample: update (RTT at its baseline → + 1)
    expect(l.windowSize).toBe(0);
    expect(l.lastUpdate).toMatchObject({ direction: 'increase', reason: 'queue', limit: 4 });
  });
});

describe('failsafe-go adaptive throttler', () => {
  it('rejection rate: the excess over successes / 0.9, capped at 0.9, none below the execution threshold', () => {
    expect(failsafeRejectionRate(100, 80, 0.9, 0.9, 0)).toBeCloseTo((100 - 80 / 0.9) / 101, 12);
    expect(failsafeRejectionRate(100, 95, 0.9, 0.9, 0)).toBe(0);
    expect(failsafeRejectionRate(100, 0, 0.9, 0.9, 0)).toBe(0.9);
    expect(failsafeRejectionRate(4, 0, 0.9, 0.9, 5)).toBe(0);
    expect(failsafeRejectionRate(5, 0, 0.9, 0.9, 5)).toBeCloseTo(5 / 6, 12);
  });

  it('counts executions when they complete, never the requests it rejects', () => {
    const t = new FailsafeAdaptiveThrottler();
    expect(t.start(0)).toBe(true);
    for (let i = 0; i < 100; i++) t.fail(i * MS + 1, 1);
    expect(t.executions).toBe(100);
    expect(t.rejectionRate).toBe(0.9);
    expect(t.state()).toBe('THROTTLED');
    let admitted = 0;
    for (let i = 0; i < 10_000; i++) if (t.start(S + i)) admitted++;
    expect(t.executions).toBe(100); // rejected (and still pending) requests are not counted
    // At the 0.9 cap about a tenth still goes through.
    expect(admitted / 10_000).toBeGreaterThan(0.08);
    expect(admitted / 10_000).toBeLessThan(0.12);
  });

  it('decides deterministically per seed', () => {
    const decisions = (seed: number) => {
      const t = new FailsafeAdaptiveThrottler({ seed });
      for (let i = 0; i < 100; i++) {
        t.start(i * MS);
        if (i % 2 === 0) t.success(i * MS + 1, 1);
        else t.fail(i * MS + 1, 1);
      }
      return Array.from({ length: 500 }, (_, i) => t.start(S + i));
    };
    const a = decisions(1);
    expect(decisions(1)).toEqual(a);
    expect(decisions(2)).not.toEqual(a);
    const p = (100 - 50 / 0.9) / 101;
    const rejected = a.filter((ok) => !ok).length / a.length;
    expect(Math.abs(rejected - p)).toBeLessThan(0.08);
  });

  it('forgets results older than its minute, once a new result is recorded', () => {
    const t = new FailsafeAdaptiveThrottler();
    for (let i = 0; i < 50; i++) t.fail(i * MS, 1); // bucket 0 (0–3 s)
    expect(t.rejectionRate).toBeGreaterThan(0.8);
    t.success(59.9 * S, 1); // bucket 19: the failures are still inside the minute
    expect(t.executions).toBe(51);
    // Past 60 s the first bucket has slid out, but only recording moves the window.
    expect(t.rejectionRate).toBeGreaterThan(0.8);
    expect(t.state()).toBe('THROTTLED');
    t.success(60.5 * S, 1);
    expect(t.executions).toBe(2);
    expect(t.rejectionRate).toBe(0);
    expect(t.state()).toBe('CLOSED');
  });

  it('rejects nothing while the success rate stays above 90 %', () => {
    const t = new FailsafeAdaptiveThrottler();
    for (let i = 0; i < 1000; i++) {
      expect(t.start(i * MS)).toBe(true);
      if (i % 20 === 19) t.fail(i * MS + 1, 1);
      else t.success(i * MS + 1, 1);
    }
    expect(t.successes).toBe(950);
    expect(t.rejectionRate).toBe(0);
  });

  it('has no minimum evidence by default: one early failure already rejects half', () => {
    const t = new FailsafeAdaptiveThrottler();
    t.fail(1, 1);
    expect(t.rejectionRate).toBe(0.5); // (1 − 0 / 0.9) / (1 + 1)
    const guarded = new FailsafeAdaptiveThrottler({ executionThreshold: 5 });
    guarded.fail(1, 1);
    expect(guarded.rejectionRate).toBe(0);
  });

  it('validates its threshold', () => {
    expect(() => new FailsafeAdaptiveThrottler({ failureRateThreshold: 1.5 })).toThrow(
      'failureRateThreshold must be between 0 and 1 (got 1.5)',
    );
  });
});

/** brpc's limiter with the update rule exposed: one completion at `tNs`. */
class TestBrpc extends BrpcAutoLimiter {
  sample(tNs: number, rttNs: number, ok = true): number {
    this.onSample(tNs, rttNs, 1, !ok);
    return this.limit;
  }
  /** `n` completions `gapNs` apart from `t0`, each taking `rttNs`; returns the next free time. */
  feed(t0: number, n: number, rttNs: number, gapNs = MS, ok = true): number {
    for (let i = 0; i < n; i++) this.sample(t0 + i * gapNs, rttNs, ok);
    return t0 + n * gapNs;
  }
}

describe('brpc auto concurrency limiter', () => {
  it('starts at 40 and schedules its first re-measurement 25–50 s ahead, per seed', () => {
    const starts = [1, 2, 3, 4, 5].map((seed) => new TestBrpc({ seed }).remeasureStartUs);
    for (const s of starts) {
      expect(s).toBeGreaterThanOrEqual(25e6);
      expect(s).toBeLessThan(50e6);
      expect(s % 1000).toBe(0); // whole milliseconds
    }
    expect(new Set(starts).size).toBeGreaterThan(1);
    expect(new TestBrpc({ seed: 3 }).remeasureStartUs).toBe(starts[2]);
    expect(new TestBrpc().limit).toBe(40);
  });

  it('Little’s law: limit = trunc(min latency · max QPS · (1 + explore 0.3))', () => {
    const b = new TestBrpc();
    // Window 1: 200 samples 1 ms apart from t = 1 ms; it began at the first one.
    let t = b.feed(1 * MS, 200, 50 * MS);
    expect(b.submissions).toBe(1);
    const qps1 = (1e6 * 200) / 199_000;
    expect(b.minLatencyUs).toBe(50_000);
    expect(b.maxQps).toBeCloseTo(qps1, 9);
    expect(b.exploreRatio).toBe(0.3);
    expect(b.limit).toBe(Math.trunc(((50_000 * qps1) / 1e6) * 1.3)); // 65
    // Window 2 began at window 1's last sample: 200 in 200 ms = 1,000/s, below the peak.
    t = b.feed(t, 200, 50 * MS);
    const ema = 1000 * 0.01 + qps1 * 0.99;
    expect(b.maxQps).toBeCloseTo(ema, 9);
    expect(b.limit).toBe(Math.trunc(((50_000 * ema) / 1e6) * 1.3));
    expect(b.limit).toBe(65);
  });

  it('latency above min × 1.06 at the peak QPS: explore ratio falls by 0.02 per window to 0.06', () => {
    const b = new TestBrpc();
    let t = b.feed(1 * MS, 200, 50 * MS);
    const ratios: number[] = [];
    for (let k = 0; k < 14; k++) {
      t = b.feed(t, 200, 80 * MS);
      ratios.push(Number(b.exploreRatio.toFixed(2)));
    }
    expect(ratios).toEqual([
      0.28, 0.26, 0.24, 0.22, 0.2, 0.18, 0.16, 0.14, 0.12, 0.1, 0.08, 0.06, 0.06, 0.06,
    ]);
    expect(b.minLatencyUs).toBe(50_000); // the minimum never moves up
    expect(b.limit).toBe(Math.trunc(((50_000 * b.maxQps) / 1e6) * (1 + b.exploreRatio)));
    expect(b.limit).toBe(53);
    // Back at the minimum latency the ratio climbs again.
    t = b.feed(t, 200, 50 * MS);
    expect(b.exploreRatio).toBeCloseTo(0.08, 12);
  });

  it('a lower latency pulls the minimum down by 10 % of the gap per window', () => {
    const b = new TestBrpc();
    let t = b.feed(1 * MS, 200, 50 * MS);
    t = b.feed(t, 200, 30 * MS);
    expect(b.minLatencyUs).toBe(Math.trunc(30_000 * 0.1 + 50_000 * 0.9)); // 48,000
    b.feed(t, 200, 40 * MS);
    expect(b.minLatencyUs).toBe(Math.trunc(40_000 * 0.1 + 48_000 * 0.9)); // 47,200
  });

  it('re-measures periodically: cuts the limit to 0.9 · QPS · min, pauses 2 · latency, forgets the minimum', () => {
    const b = new TestBrpc();
    const due = b.remeasureStartUs * 1e3; // ns
    let t = b.feed(1 * MS, 200, 50 * MS);
    // The no-load latency rises for good to 80 ms; the old minimum pins the estimate.
    while (t + 199 * MS < due) t = b.feed(t, 200, 80 * MS);
    expect(b.minLatencyUs).toBe(50_000);
    expect(b.pauseUntilUs).toBe(0);
    const before = b.submissions;
    t = b.feed(t, 200, 80 * MS); // this window ends past the due time
    expect(b.submissions).toBe(before + 1);
    const endUs = Math.floor((t - MS) / 1e3);
    expect(b.pauseUntilUs).toBe(endUs + 2 * 80_000);
    expect(b.limit).toBe(Math.ceil(((b.maxQps * 50_000) / 1e6) * 0.9));
    // Samples during the pause are ignored.
    t = b.feed(t, 150, 80 * MS);
    expect(b.submissions).toBe(before + 1);
    expect(b.minLatencyUs).toBe(50_000);
    // After it: the minimum is forgotten and re-measured from the next window.
    t = b.feed(t, 20, 80 * MS);
    expect(b.minLatencyUs).toBe(-1);
    expect(b.pauseUntilUs).toBe(0);
    const nextUs = b.remeasureStartUs;
    expect(nextUs - Math.floor(t / 1e3)).toBeGreaterThan(24e6);
    expect(nextUs - Math.floor(t / 1e3)).toBeLessThan(50e6);
    b.feed(t, 200, 80 * MS);
    expect(b.minLatencyUs).toBe(80_000);
  });

  it('discards a window with fewer than 100 samples in 1 s; halves the limit on an all-failure window', () => {
    const b = new TestBrpc();
    b.feed(1 * MS, 98, 50 * MS, 10 * MS); // 98 samples over 0.97 s
    b.sample(1101 * MS, 50 * MS); // the 99th, 1.1 s after the first: the window is discarded
    let t = 1102 * MS;
    expect(b.submissions).toBe(0);
    expect(b.minLatencyUs).toBe(-1);
    expect(b.limit).toBe(40);
    t = b.feed(t + MS, 200, 1500 * MS, MS, false);
    expect(b.submissions).toBe(1);
    expect(b.limit).toBe(20);
    t = b.feed(t, 200, 1500 * MS, MS, false);
    t = b.feed(t, 200, 1500 * MS, MS, false);
    expect(b.limit).toBe(BRPC_AUTO_DEFAULTS.minConcurrency); // 5, floored at 9
  });

  it('samples at most one completion per 100 µs; failures add their latency, not their count', () => {
    const b = new TestBrpc();
    b.feed(1 * MS, 398, 50 * MS, 50_000); // 50 µs apart: every other one is sampled (199)
    expect(b.submissions).toBe(0);
    b.sample(1 * MS + 398 * 50_000, 50 * MS); // the 200th sample
    expect(b.submissions).toBe(1);
    const p = new TestBrpc();
    for (let i = 0; i < 200; i++)
      p.sample((i + 1) * MS, i % 2 === 0 ? 40 * MS : 60 * MS, i % 2 === 0);
    // avg = ceil((100 · 60 ms + 100 · 40 ms) / 100 successes) = 100 ms
    expect(p.minLatencyUs).toBe(100_000);
  });
});

describe('the three peers in the closed loop', () => {
  const cm = cyberMonday();
  // Two calm minutes, the first incident's 5 minutes of overload, two minutes of recovery.
  const specs = withBaselines(
    [{ ...cm[0]!, durationS: 120 }, cm[1]!, cm[2]!, { ...cm[7]!, durationS: 120 }],
    'spec',
  );
  const slo = { successRate: 0.9, timeoutMs: 1500 };

  test.each(['failsafe-limiter', 'failsafe-throttler', 'brpc-auto'])(
    '%s runs deterministically and sheds load in the incident',
    (key) => {
      const run = () =>
        runClosedLoop({ specs, seed: 20241225, candidate: () => createCandidate(key, { slo }) });
      const a = run();
      expect(run()).toEqual(a);
      expect(a.candidate).toBe(getCandidate(key).displayName);
      expect(a.blocked).toBeGreaterThan(0);
      expect(a.allowed).toBeGreaterThan(0);
      expect(a.successes + a.failures).toBe(a.allowed);
      const noCb = runClosedLoop({
        specs,
        seed: 20241225,
        candidate: () => createCandidate('no-cb', { slo }),
      });
      expect(a.blocked + a.allowed).toBe(noCb.allowed);
      expect(a.failures).toBeLessThan(noCb.failures);
    },
  );

  it('are limiters with their costs and defaults in their descriptions', () => {
    const entries = [
      ...FAILSAFE_LIMITER_ENTRIES,
      ...FAILSAFE_THROTTLER_ENTRIES,
      ...BRPC_AUTO_ENTRIES,
    ];
    for (const e of entries) {
      expect(e.group).toBe('limiters');
      expect(e.ignoresSlo).toBe(true);
      expect(e.relativeCost).toBe(e.key === 'brpc-auto' ? 2 : 1.5);
      expect(e.meshCost).toBe(20);
      expect(getCandidate(e.key)).toBe(e);
    }
    expect(FAILSAFE_LIMITER_ENTRIES[0].description).toMatch(/1\.\.200, init 20, cap 5x inflight/);
    expect(FAILSAFE_THROTTLER_ENTRIES[0].description).toMatch(/threshold 0\.1 .*1 minute.*0\.9/);
    expect(BRPC_AUTO_ENTRIES[0].description).toMatch(/0\.06\.\.0\.3.*25-50 s.*init 40/);
  });
});
