/**
 * The caller model (src/sim/orchestrator/caller.ts, docs/BENCHMARKS.md §9.2):
 * the backoff schedule, the jitter modes, the retry budget, the request
 * table, and the retrying arrival loop in the closed loop and the fleet.
 */
import { describe, expect, it } from 'vitest';
import { createCandidate } from '../../../src/candidates/registry.js';
import {
  BUDGET_SLICES,
  backoffCapMs,
  backoffNs,
  CALLER_STREAM,
  Caller,
  checkRetryPolicy,
  DEFAULT_RETRY_POLICY,
  FINAGLE_BUDGET,
  RetryBudget,
  type RetryPolicy,
} from '../../../src/sim/orchestrator/caller.js';
import { runClosedLoop } from '../../../src/sim/orchestrator/closed-loop.js';
import { runCooperation } from '../../../src/sim/orchestrator/cooperation.js';
import { GoRand } from '../../../src/sim/rng/go-rand.js';
import { withBaselines } from '../../../src/sim/workload/baseline.js';
import { cyberMonday } from '../../../src/sim/workload/cyber-monday.js';
import type { FaultWindow } from '../../../src/sim/workload/faults.js';
import type { LoadSpec } from '../../../src/sim/workload/load-spec.js';

const S = 1e9;
const MS = 1e6;
const SLO = { slo: { successRate: 0.9, timeoutMs: 1500 } };

const policy = (extra: Partial<RetryPolicy> = {}): RetryPolicy => ({
  ...DEFAULT_RETRY_POLICY,
  ...extra,
});

describe('backoff schedule', () => {
  it('caps base × 2^(n−1) at the cap', () => {
    const p = { baseMs: 100, capMs: 1000 };
    expect([1, 2, 3, 4, 5, 6, 30].map((n) => backoffCapMs(p, n))).toEqual([
      100, 200, 400, 800, 1000, 1000, 1000,
    ]);
  });

  it('full jitter: uniform [0, d); equal: d/2 + uniform [0, d/2); none: d', () => {
    const p = { baseMs: 100, capMs: 1000 };
    expect(backoffNs({ ...p, jitter: 'full' }, 3, 0)).toBe(0);
    expect(backoffNs({ ...p, jitter: 'full' }, 3, 0.5)).toBe(200 * MS);
    expect(backoffNs({ ...p, jitter: 'full' }, 3, 0.999)).toBe(Math.trunc(400 * 0.999 * MS));
    expect(backoffNs({ ...p, jitter: 'equal' }, 3, 0)).toBe(200 * MS);
    expect(backoffNs({ ...p, jitter: 'equal' }, 3, 0.5)).toBe(300 * MS);
    expect(backoffNs({ ...p, jitter: 'none' }, 3, 0.7)).toBe(400 * MS);
    expect(backoffNs({ ...p, jitter: 'none' }, 9, 0.7)).toBe(1000 * MS);
  });

  it('rejects policies it cannot run', () => {
    expect(() => checkRetryPolicy(policy({ attempts: 0 }))).toThrow(
      /attempts must be an integer in \[1, 100\]/,
    );
    expect(() => checkRetryPolicy(policy({ capMs: 50 }))).toThrow(/capMs must be in \[baseMs/);
    expect(() =>
      checkRetryPolicy(policy({ budget: { ratio: 0.2, minPerS: 1, ttlS: 0.5 } })),
    ).toThrow(/ttlS must be in \[1, 60\]/);
  });
});

describe('Caller: one request through its attempts', () => {
  it('retries a failure at the delivered time + backoff, with the caller stream’s uniforms', () => {
    const seed = 42;
    const caller = new Caller(policy({ attempts: 4 }), seed);
    const s = BigInt(seed);
    const rng = new GoRand(s, (s >> 32n) ^ CALLER_STREAM);
    const slot = caller.open(0, 3);
    expect(caller.specOf(slot)).toBe(3);
    let seen = 10 * MS;
    const due: number[] = [];
    for (let n = 1; n <= 3; n++) {
      caller.completed(slot, false, seen, seen);
      const expected = seen + backoffNs(DEFAULT_RETRY_POLICY, n, rng.float64());
      expect(caller.pendingRetries).toBe(1);
      expect(caller.nextRetryNs()).toBe(expected);
      expect(caller.popRetry()).toBe(slot);
      expect(caller.poppedNs).toBe(expected);
      due.push(expected);
      seen = expected + 5 * MS;
    }
    // The 4th attempt fails: no retry left.
    caller.completed(slot, false, seen, seen);
    expect(caller.pendingRetries).toBe(0);
    expect(caller.stats()).toEqual({
      requests: 1,
      succeeded: 0,
      failed: 1,
      attempts: 4,
      retries: 3,
      budgetRefused: 0,
    });
    // Backoffs stay within their caps: 100, 200, 400 ms.
    expect(due[0]! - 10 * MS).toBeLessThan(100 * MS);
  });

  it('a retry falls due no earlier than the event that delivered the failure', () => {
    const caller = new Caller(policy({ jitter: 'none' }), 1);
    const slot = caller.open(0, 0);
    caller.completed(slot, false, 10 * MS, 500 * MS); // due 110 ms, but delivered at 500 ms
    expect(caller.nextRetryNs()).toBe(500 * MS);
  });

  it('a success ends the request; refusals are retried unless the policy says no', () => {
    const caller = new Caller(policy(), 1);
    const a = caller.open(0, 0);
    caller.blocked(a, 1 * MS);
    expect(caller.pendingRetries).toBe(1);
    caller.popRetry();
    caller.completed(a, true, 50 * MS, 50 * MS);
    expect(caller.stats().succeeded).toBe(1);
    const strict = new Caller(policy({ retryBlocked: false }), 1);
    const b = strict.open(0, 0);
    strict.blocked(b, 1 * MS);
    expect(strict.pendingRetries).toBe(0);
    expect(strict.stats().failed).toBe(1);
  });

  it('reuses slots and is deterministic for a seed', () => {
    const schedule = (seed: number): number[] => {
      const c = new Caller(policy(), seed);
      const out: number[] = [];
      for (let i = 0; i < 50; i++) {
        const slot = c.open(i * MS, 0);
        c.completed(slot, false, i * MS, i * MS);
      }
      while (c.pendingRetries > 0) {
        const slot = c.popRetry();
        out.push(c.poppedNs);
        c.completed(slot, true, c.poppedNs, c.poppedNs);
      }
      return out;
    };
    expect(schedule(7)).toEqual(schedule(7));
    expect(schedule(7)).not.toEqual(schedule(8));
    const c = new Caller(policy(), 1);
    const first = c.open(0, 0);
    c.completed(first, true, 1, 1);
    expect(c.open(2, 0)).toBe(first);
  });
});

describe('RetryBudget (Finagle-style)', () => {
  it('allows ratio × deposits retries, on top of the reserve', () => {
    const b = new RetryBudget({ ratio: 0.2, minPerS: 0, ttlS: 10 });
    for (let i = 0; i < 10; i++) b.deposit(i * MS);
    expect(b.balance(10 * MS)).toBeCloseTo(2, 12);
    expect(b.tryWithdraw(10 * MS)).toBe(true);
    expect(b.tryWithdraw(11 * MS)).toBe(true);
    expect(b.tryWithdraw(12 * MS)).toBe(false);
    const r = new RetryBudget({ ratio: 0.2, minPerS: 3, ttlS: 10 });
    let allowed = 0;
    while (r.tryWithdraw(0)) allowed++;
    expect(allowed).toBe(30); // minPerS × ttl, with no request at all
  });

  it('forgets deposits and withdrawals after the ttl (slice by slice)', () => {
    const b = new RetryBudget({ ratio: 1, minPerS: 0, ttlS: 10 });
    b.deposit(0);
    expect(b.tryWithdraw(0)).toBe(true);
    expect(b.tryWithdraw(0)).toBe(false);
    b.deposit(5 * S);
    expect(b.balance(5 * S)).toBe(1);
    // The slice of t = 0 leaves the window 10 slices (10 s) later; t = 5 s stays.
    expect(b.balance(9.99 * S)).toBe(1);
    expect(b.balance(10 * S)).toBe(1); // the first deposit and its withdrawal left together
    expect(b.balance(15 * S)).toBe(0);
    expect(BUDGET_SLICES).toBe(10);
  });

  it('a caller with a budget refuses retries beyond it and counts the refusals', () => {
    const c = new Caller(policy({ budget: { ratio: 0.1, minPerS: 0, ttlS: 10 } }), 1);
    const slots = Array.from({ length: 100 }, (_, i) => c.open(i * MS, 0));
    for (const s of slots) c.completed(s, false, 200 * MS, 200 * MS);
    expect(c.pendingRetries).toBe(10);
    expect(c.stats().budgetRefused).toBe(90);
    expect(c.stats().failed).toBe(90);
    expect(FINAGLE_BUDGET).toEqual({ ratio: 0.2, minPerS: 10, ttlS: 10 });
  });
});

describe('retrying clients in the closed loop and the fleet', () => {
  // The calm lead-in shortened to 15 minutes, then the midnight crash's first two specs.
  const specs: LoadSpec[] = withBaselines(cyberMonday(), 'schedule')
    .slice(0, 3)
    .map((s, i) => (i === 0 ? { ...s, durationS: 900 } : s));
  const outage: FaultWindow[] = [{ kind: 'outage', startS: 600, durationS: 120 }];

  it('with one attempt, the breaker sees exactly the plain run (closed loop and fleet)', () => {
    for (const candidate of ['levee', 'static-peak']) {
      for (const faults of [undefined, outage]) {
        const backend = faults === undefined ? {} : { faults };
        const base = {
          specs,
          seed: 20241225,
          backend,
          candidate: () => createCandidate(candidate, SLO),
        };
        const plain = runClosedLoop(base);
        const once = runClosedLoop({ ...base, retry: policy({ attempts: 1 }) });
        const { requests, ...rest } = once;
        expect(rest).toEqual(plain);
        expect(requests).toEqual({
          requests: plain.allowed + plain.blocked,
          succeeded: plain.successes,
          failed: plain.failures + plain.blocked,
          attempts: plain.allowed + plain.blocked,
          retries: 0,
          budgetRefused: 0,
        });
        const fleet = { ...base, instances: 7 };
        const { requests: _r, ...fleetOnce } = runCooperation({
          ...fleet,
          retry: policy({ attempts: 1 }),
        });
        expect(fleetOnce).toEqual(runCooperation(fleet));
      }
    }
  });

  it('retries multiply the attempts during an outage; requests and attempts add up', () => {
    const run = (retry?: RetryPolicy) =>
      runClosedLoop({
        specs,
        seed: 20241225,
        backend: { faults: outage },
        candidate: () => createCandidate('no-cb', SLO),
        ...(retry === undefined ? {} : { retry }),
      });
    const plain = run();
    const storm = run(policy());
    const u = storm.requests!;
    expect(u.requests).toBe(plain.allowed);
    expect(u.succeeded + u.failed).toBe(u.requests);
    expect(u.attempts).toBe(storm.allowed + storm.blocked);
    expect(u.retries).toBe(u.attempts - u.requests);
    // Every outage request is tried 4 times: at least 3 extra attempts per call of the window.
    const inWindow = plain.backend.faulted!;
    expect(u.retries).toBeGreaterThanOrEqual(3 * inWindow * 0.95);
    expect(storm.delta).toBeLessThan(plain.delta);
    // Users saw fewer failures than attempts did, and the run is deterministic.
    expect(u.failed).toBeLessThan(storm.failures);
    expect(run(policy())).toEqual(storm);
    // A budget caps the retries.
    const budgeted = run(policy({ budget: { ...FINAGLE_BUDGET } })).requests!;
    expect(budgeted.retries).toBeLessThan(u.retries / 3);
    expect(budgeted.budgetRefused).toBeGreaterThan(0);
  });

  it('a fleet routes every attempt, retries included, round robin', () => {
    const r = runCooperation({
      specs,
      seed: 20241225,
      instances: 10,
      backend: { faults: outage },
      candidate: () => createCandidate('static-peak', SLO),
      retry: policy(),
    });
    expect(r.requests!.attempts).toBe(r.allowed + r.blocked);
    expect(r.requests!.retries).toBeGreaterThan(0);
    expect(r.requests!.succeeded + r.requests!.failed).toBe(r.requests!.requests);
  });
});
