/**
 * The black-box adversarial scenarios of docs/ALGORITHM.md §6.3 with their golden
 * figures, under both estimators: the v0.4 figures are those of the Go
 * original's design (docs/ALGORITHM.md §6.3), the decayed ones those of the
 * default (§3.13). Every operation goes through the public API and is checked
 * by the Driver's invariants.
 */
import { describe, expect, it } from 'vitest';
import { type EstimatorName, Levee, type SLO } from '../../src/index.js';
import { Driver } from './harness.js';

interface Golden {
  /** Attempts until the 20 % dispersed failures trip. */
  readonly dispersed: number;
  /** Healthy fast calls a shared instance rejects in the mixed-class scenario. */
  readonly mixedRejected: number;
  /** Capacity after the healthy 20× step (true value 20). */
  readonly stepCapacity: string;
  /** Triggers the seeded adversarial trace visits. */
  readonly traceTriggers: readonly string[];
}

const GOLDEN: Record<EstimatorName, Golden> = {
  'v0.4': {
    dispersed: 156,
    mixedRejected: 990,
    stepCapacity: '8.03',
    traceTriggers: [
      'FAILURE_RATE',
      'CONSECUTIVE_FAILURES',
      'MIN_LIMIT_FAILURE_RATE',
      'COOLDOWN_EXPIRED',
      'RECOVERED',
    ],
  },
  // The decayed error rate reaches the bound before a run of failures grows
  // long enough: the trace trips on FAILURE_RATE where v0.4 waits for a run.
  decayed: {
    dispersed: 81,
    mixedRejected: 1184,
    stepCapacity: '11.25',
    traceTriggers: [
      'FAILURE_RATE',
      'SURGE',
      'MIN_LIMIT_FAILURE_RATE',
      'COOLDOWN_EXPIRED',
      'RECOVERED',
    ],
  },
};

describe.each(['v0.4', 'decayed'] as const)('golden scenarios, estimator %s', (estimator) => {
  const golden = GOLDEN[estimator];
  const driver = (slo: SLO) => new Driver(slo, { estimator });

  /** Warms a breaker with `n` healthy calls `gap` ms apart taking `latency` ms; returns the next time. */
  function warm(d: Driver, n: number, gap: number, latency: number, t = 0): number {
    for (let i = 0; i < n; i++, t += gap) d.arrive(t, latency, false);
    return t;
  }

  it('low-rate healthy traffic stays CLOSED with error rate 0', () => {
    const d = driver({ successRate: 0.95, timeoutMs: 1000 });
    warm(d, 200, 10_000, 20);
    d.deliver(Number.MAX_SAFE_INTEGER);
    expect(d.levee.state).toBe('CLOSED');
    expect(d.levee.snapshot().errorRate).toBe(0);
    expect(d.transitions).toEqual([]);
  });

  it.each([
    [0.1, 40_020],
    [10, 420],
  ])('a cold outage at %d RPS trips on the 5th failure (at %d ms)', (rps, at) => {
    const d = driver({ successRate: 0.95, timeoutMs: 1000 });
    for (let i = 0; i < 6; i++) d.arrive((i * 1000) / rps, 20, true);
    expect(d.transitions[0]).toEqual({
      at,
      from: 'CLOSED',
      to: 'THROTTLED',
      trigger: 'CONSECUTIVE_FAILURES',
    });
    expect(d.failed).toBe(5);
  });

  /** Attempts until the trip, one every 10 ms after 200 healthy calls; `fails(n)` says which fail. */
  function attemptsToTrip(fails: (n: number) => boolean): { attempts: number; trigger: string } {
    const d = driver({ successRate: 0.95, timeoutMs: 1000 });
    let t = warm(d, 200, 10, 1);
    for (let n = 1; n < 100_000; n++, t += 10) {
      d.arrive(t, 1, fails(n));
      d.deliver(t + 1);
      const tr = d.transitions[0];
      if (tr !== undefined) return { attempts: n, trigger: tr.trigger };
    }
    throw new Error('never tripped');
  }

  it(`20 % dispersed failures trip on the statistical bound after ${golden.dispersed} attempts`, () => {
    expect(attemptsToTrip((n) => n % 5 === 1)).toEqual({
      attempts: golden.dispersed,
      trigger: 'FAILURE_RATE',
    });
  });

  it('one correlated failure run trips after 7 attempts', () => {
    expect(attemptsToTrip(() => true)).toEqual({ attempts: 7, trigger: 'CONSECUTIVE_FAILURES' });
  });

  it('all-fail retries spend the evidence budget: 7 physical attempts (~3 logical calls)', () => {
    const d = driver({ successRate: 0.95, timeoutMs: 1000 });
    let t = warm(d, 200, 10, 1);
    let physical = 0;
    let logical = 0;
    outer: for (; logical < 100; logical++) {
      for (let attempt = 0; attempt < 3; attempt++, t += 10) {
        const r = d.arrive(t, 1, true);
        if (!r.admitted) break outer;
        physical++;
        d.deliver(t + 1);
        if (d.transitions.length > 0) break outer;
      }
    }
    expect(physical).toBe(7);
    expect(logical + 1).toBe(3);
    expect(d.transitions[0]?.trigger).toBe('CONSECUTIVE_FAILURES');
  });

  it(`mixed classes: one shared instance rejects ${golden.mixedRejected} healthy fast calls; split per class, 0`, () => {
    const slo = { successRate: 0.95, timeoutMs: 100 };
    const run = (split: boolean) => {
      const fast = driver(slo);
      const slow = split ? driver(slo) : fast;
      let fastRejected = 0;
      for (let tick = 0; tick < 2800; tick++) {
        const t = tick * 10;
        if (split) slow.deliver(t);
        if (!fast.arrive(t, 5, false).admitted) fastRejected++;
        if (tick % 5 === 0) {
          const ts = t + 0.001; // slow arrivals offset by 1 µs
          if (split) fast.deliver(ts);
          slow.arrive(ts, 50, ts >= 3000);
        }
      }
      return { fastRejected, fast, slow };
    };
    const shared = run(false);
    expect(shared.fastRejected).toBe(golden.mixedRejected);
    expect(shared.fast.transitions.some((t) => t.trigger === 'FAILURE_RATE')).toBe(true);

    const split = run(true);
    expect(split.fastRejected).toBe(0);
    expect(split.fast.transitions).toEqual([]);
    expect(split.fast.levee.state).toBe('CLOSED');
    expect(split.slow.transitions.length).toBeGreaterThan(0);
    expect(split.slow.rejected).toBeGreaterThan(0);
  });

  it.each([
    [2, 42],
    [4, 26],
  ])(
    'a surge of %d× onset stalled calls trips SURGE in %d ms, faster with severity',
    (mult, ms) => {
      const d = driver({ successRate: 0.95, timeoutMs: 1000 });
      const t0 = warm(d, 100, 10, 10);
      d.deliver(t0);
      const onset = d.levee.snapshot().surge.onset;
      expect(onset).toBe(15);
      for (let i = 0; i < mult * onset; i++) d.startOnly(t0, 1e9, false);
      expect(d.levee.snapshot().surge.armed).toBe(true);
      expect(d.levee.state).toBe('CLOSED');
      let k = 0;
      for (; k < 1000; k++) {
        const r = d.startOnly(t0 + k + 1, 1e9, false);
        if (r.trigger !== 'NONE') {
          expect(r).toEqual({ admitted: true, state: 'THROTTLED', trigger: 'SURGE' });
          break;
        }
      }
      expect(k + 1).toBe(ms);
    },
  );

  it('a healthy drain after arming never trips and disarms', () => {
    const d = driver({ successRate: 0.95, timeoutMs: 1000 });
    const t0 = warm(d, 100, 10, 10);
    d.deliver(t0);
    const onset = d.levee.snapshot().surge.onset;
    for (let i = 0; i < onset + 2; i++) d.startOnly(t0, i + 1, false);
    expect(d.levee.snapshot().surge.armed).toBe(true);
    d.deliver(t0 + 1000);
    const s = d.levee.snapshot();
    expect(s.state).toBe('CLOSED');
    expect(s.surge.armed).toBe(false);
    expect(s.surge.strain).toBe(0);
    expect(s.inflight).toBe(0);
    expect(d.transitions).toEqual([]);
  });

  it(`a healthy 20× capacity step: no surge trip, no rejection, capacity 1.00 → ${golden.stepCapacity}`, () => {
    const d = driver({ successRate: 0.95, timeoutMs: 1000 });
    let t = warm(d, 300, 10, 10);
    d.deliver(t);
    const before = d.levee.snapshot().estimatedCapacity;
    t = warm(d, 4000, 0.5, 10, t);
    d.deliver(t + 100);
    const after = d.levee.snapshot().estimatedCapacity;
    expect(before.toFixed(2)).toBe('1.00');
    expect(after.toFixed(2)).toBe(golden.stepCapacity);
    expect(after / before).toBeGreaterThan(5);
    expect(d.rejected).toBe(0);
    expect(d.transitions).toEqual([]);
  });

  it('a seeded adversarial trace visits its triggers without breaking an invariant', () => {
    // The shape of the Go suite's trace (its numbers depend on Go's RNG): 25,000
    // arrivals in 5 phases of 2,500 cycling; failures correlated in buckets of 7.
    let seed = 20260711;
    const rand = () => {
      seed = (seed + 0x6d2b79f5) | 0;
      let x = Math.imul(seed ^ (seed >>> 15), seed | 1);
      x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
      return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
    };
    const d = new Driver(new Levee({ successRate: 0.95, timeoutMs: 1000 }, { estimator }));
    const phases = [
      { gap: [1, 10], lat: [1, 5], fail: 0.01 },
      { gap: [1, 10], lat: [100, 500], fail: 0.01 },
      { gap: [1, 10], lat: [1, 5], fail: 0.25 },
      { gap: [1, 3], lat: [500, 1500], fail: 0.1 },
      { gap: [1, 10], lat: [1, 5], fail: 0.8 },
    ];
    let t = 0;
    let bucketFail = false;
    for (let i = 0; i < 25_000; i++) {
      const p = phases[Math.floor(i / 2500) % phases.length]!;
      if (i % 7 === 0) bucketFail = rand() < p.fail;
      const fail = rand() < 0.05 ? !bucketFail : bucketFail;
      t += p.gap[0]! + rand() * (p.gap[1]! - p.gap[0]!);
      d.arrive(t, p.lat[0]! + rand() * (p.lat[1]! - p.lat[0]!), fail);
    }
    d.deliver(Number.MAX_SAFE_INTEGER);
    const seen = new Set(d.transitions.map((x) => x.trigger));
    for (const trig of golden.traceTriggers) expect(seen.has(trig), trig).toBe(true);
    expect(d.admitted + d.rejected).toBe(25_000);
    expect(d.levee.inflight).toBe(0);
  });
});
