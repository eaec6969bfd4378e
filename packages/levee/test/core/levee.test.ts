/** Unit behaviours of docs/ALGORITHM.md §6.1 through the public API, under both estimators. */
import { describe, expect, it } from 'vitest';
import {
  CircuitOpenError,
  Levee,
  type LeveeOptions,
  type SLO,
  STATES,
  TRIGGERS,
} from '../../src/index.js';
import { Driver, ESTIMATORS } from './harness.js';

const slo90 = { successRate: 0.9, timeoutMs: 1000 };

describe.each(ESTIMATORS)('estimator %s', (estimator) => {
  const mk = (slo: SLO, options?: LeveeOptions) => new Levee(slo, { ...options, estimator });

  /** Trips a warm breaker (goodput 100/s, `latency` ms) with sequential failures; returns the next time. */
  function warmThenTrip(levee: Levee, latency = 10, n = 100): number {
    let t = 0;
    for (let i = 0; i < n; i++, t += 10) {
      levee.start(t);
      levee.success(t + latency, latency);
    }
    while (levee.state === 'CLOSED') {
      levee.start(t);
      levee.fail(t + 1, 1);
      t += 10;
    }
    return t;
  }

  describe('basic behaviour', () => {
    it('a fresh breaker is CLOSED and reports CLOSED on its first calls', () => {
      const levee = mk(slo90);
      expect(levee.state).toBe('CLOSED');
      expect(levee.start(0)).toEqual({ admitted: true, state: 'CLOSED', trigger: 'NONE' });
      expect(levee.success(5, 5)).toEqual({ state: 'CLOSED', trigger: 'NONE' });
    });

    it('a fresh snapshot is all zero / NONE / false', () => {
      const s = mk(slo90).snapshot();
      expect([s.state, s.trigger, s.inflight, s.capped, s.limit]).toEqual([
        'CLOSED',
        'NONE',
        0,
        false,
        0,
      ]);
      expect(s.estimatedCapacity).toBe(0);
      expect(s.errorRate).toBe(0);
      expect(s.errorLowerBound).toBe(0);
      expect(s.surge).toEqual({ armed: false, onset: 0, strain: 0, provenExcess: 0 });
      expect(mk(slo90).snapshot()).toEqual(s); // idempotent
    });

    it('CLOSED is uncapped: 1,000 starts without completions are all admitted', () => {
      const levee = mk(slo90);
      for (let i = 0; i < 1000; i++) expect(levee.start(i).admitted).toBe(true);
      expect(levee.inflight).toBe(1000);
      expect(levee.snapshot().capped).toBe(false);
    });

    it('steady calls report NONE', () => {
      const levee = mk(slo90);
      for (let t = 0; t < 1000; t += 10) {
        expect(levee.start(t).trigger).toBe('NONE');
        expect(levee.success(t + 1, 1).trigger).toBe('NONE');
      }
    });

    it('failing every call every 10 ms (20 ms latency) eventually sheds', () => {
      const d = new Driver(slo90, { estimator });
      let rejected = false;
      for (let t = 0; t < 10_000 && !rejected; t += 10) rejected = !d.arrive(t, 20, true).admitted;
      expect(rejected).toBe(true);
      expect(d.levee.state).not.toBe('CLOSED');
    });

    it('rejections need no completion and never touch inflight', () => {
      const levee = mk({ successRate: 0.95, timeoutMs: 1000 });
      let t = 0;
      while (levee.state === 'CLOSED') {
        levee.start(t);
        levee.fail(t + 1, 1);
        t += 10;
      }
      expect(levee.snapshot().limit).toBe(1);
      expect(levee.start(t).admitted).toBe(true); // the one slot
      for (let i = 0; i < 5; i++) {
        const r = levee.start(t + i);
        expect(r.admitted).toBe(false);
        expect(levee.inflight).toBe(1);
      }
      expect(levee.snapshot().counters.rejected).toBe(5);
    });

    it('recovers to CLOSED with fast successes and then admits', () => {
      const levee = mk(slo90);
      let t = warmThenTrip(levee);
      let i = 0;
      for (; i < 4000 && levee.state !== 'CLOSED'; i++, t += 50) {
        if (levee.start(t).admitted) levee.success(t + 5, 5);
      }
      expect(i).toBeLessThan(4000);
      expect(levee.state).toBe('CLOSED');
      expect(levee.start(t).admitted).toBe(true);
    });

    it('the fast path is off after a trip', () => {
      const levee = mk(slo90);
      warmThenTrip(levee);
      expect(levee.snapshot().capped).toBe(true);
    });

    it('exposes the enums with the Go numeric order', () => {
      expect(STATES).toEqual(['CLOSED', 'OPEN', 'THROTTLED', 'HALF_OPEN']);
      expect(TRIGGERS).toEqual([
        'NONE',
        'FAILURE_RATE',
        'CONSECUTIVE_FAILURES',
        'SURGE',
        'MIN_LIMIT_FAILURE_RATE',
        'COOLDOWN_EXPIRED',
        'RECOVERED',
      ]);
    });

    it('does not allocate on the admitted path: results are shared frozen objects', () => {
      const levee = mk(slo90);
      const a = levee.start(0);
      levee.success(1, 1);
      expect(levee.start(2)).toBe(a);
      expect(Object.isFrozen(a)).toBe(true);
    });
  });

  describe('per-trigger transitions (§6.1 item 21)', () => {
    it('(a) consecutive failures at SLO 0.99 → THROTTLED / CONSECUTIVE_FAILURES', () => {
      const levee = mk({ successRate: 0.99, timeoutMs: 1000 });
      const triggers: string[] = [];
      for (let i = 0; i < 20; i++) {
        const a = levee.start(i * 10);
        if (!a.admitted) continue;
        const r = levee.fail(i * 10 + 1, 1);
        if (r.trigger !== 'NONE') triggers.push(`${r.state}/${r.trigger}`);
      }
      expect(triggers[0]).toBe('THROTTLED/CONSECUTIVE_FAILURES');
      expect(levee.snapshot().capped).toBe(true);
      expect(levee.snapshot().limit).toBeGreaterThanOrEqual(1);
    });

    it('(b) FAILURE_RATE is reported by a Fail, never by a Success', () => {
      const levee = mk(slo90);
      let t = 0;
      for (let i = 0; i < 60; i++, t += 10) {
        levee.start(t);
        levee.success(t + 1, 1);
      }
      const bySuccess: string[] = [];
      const byFail: string[] = [];
      for (let i = 0; i < 2000 && levee.state === 'CLOSED'; i++, t += 10) {
        levee.start(t);
        const fail = i % 2 === 0;
        const r = fail ? levee.fail(t + 1, 1) : levee.success(t + 1, 1);
        if (r.trigger !== 'NONE') (fail ? byFail : bySuccess).push(r.trigger);
      }
      expect(byFail).toEqual(['FAILURE_RATE']);
      expect(bySuccess).toEqual([]);
    });

    it('(c) surge: onset 15 published; overflow arms; a later start trips SURGE but is admitted', () => {
      const levee = mk({ successRate: 0.95, timeoutMs: 1000 });
      let t = 0;
      for (let i = 0; i < 100; i++, t += 10) {
        levee.start(t);
        levee.success(t + 10, 10);
      }
      expect(levee.snapshot().surge.onset).toBe(15);
      for (let i = 0; i < 16; i++) levee.start(t);
      let s = levee.snapshot();
      expect(s.surge.armed).toBe(true);
      expect([s.state, s.capped]).toEqual(['CLOSED', false]);
      expect(levee.start(t + 2000)).toEqual({
        admitted: true,
        state: 'THROTTLED',
        trigger: 'SURGE',
      });
      s = levee.snapshot();
      expect(s.surge.armed).toBe(false);
      expect(s.surge.strain).toBeGreaterThanOrEqual(1);
      expect(s.surge.onset).toBe(0);
    });

    it('(d) window errors at limit 1 open the circuit; the cooldown leads to HALF_OPEN', () => {
      const levee = mk({ successRate: 0.9, timeoutMs: 1000 });
      const t = warmThenTrip(levee); // goodput 100 × latency 10 ms → C = 1 → seed 1
      expect(levee.snapshot().limit).toBe(1);
      expect(levee.start(t).admitted).toBe(true);
      levee.fail(t + 1, 1);
      expect(levee.start(t + 1000)).toEqual({
        admitted: false,
        state: 'OPEN',
        trigger: 'MIN_LIMIT_FAILURE_RATE',
      });
      expect(levee.start(t + 1999).admitted).toBe(false);
      expect(levee.start(t + 2000)).toEqual({
        admitted: true,
        state: 'HALF_OPEN',
        trigger: 'COOLDOWN_EXPIRED',
      });
      expect(levee.snapshot().limit).toBe(1);
    });

    it('(e) a success after the holdoff recovers to CLOSED, still capped; RECOVERED is kept', () => {
      const levee = mk(slo90);
      let t = warmThenTrip(levee);
      let recovered: { state: string; trigger: string } | undefined;
      for (let i = 0; i < 4000 && !recovered; i++, t += 50) {
        if (!levee.start(t).admitted) continue;
        const r = levee.success(t + 5, 5);
        if (r.trigger !== 'NONE') recovered = r;
      }
      expect(recovered).toEqual({ state: 'CLOSED', trigger: 'RECOVERED' });
      expect(levee.snapshot().capped).toBe(true);
      for (let i = 0; i < 3; i++, t += 50) {
        expect(levee.start(t).trigger).toBe('NONE');
        levee.success(t + 5, 5);
      }
      expect(levee.snapshot().trigger).toBe('RECOVERED');
    });

    it('graduated recovery doubles the limit and uncaps once it stops binding', () => {
      const levee = mk(slo90);
      let t = warmThenTrip(levee);
      while (levee.state !== 'CLOSED') {
        if (levee.start(t).admitted) levee.success(t + 5, 5);
        t += 50;
      }
      for (let i = 0; i < 200 && levee.snapshot().capped; i++, t += 50) {
        if (levee.start(t).admitted) levee.success(t + 5, 5);
      }
      expect(levee.snapshot().capped).toBe(false);
      expect(levee.snapshot().limit).toBe(0);
      expect(levee.transitionCounts()).toContainEqual({
        from: 'THROTTLED',
        to: 'CLOSED',
        trigger: 'RECOVERED',
        count: 1,
      });
    });
  });

  describe('snapshot mapping (§6.1 items 22–23)', () => {
    it('capacity is goodput × latency (Little)', () => {
      const levee = mk(slo90);
      for (let i = 0, t = 0; i < 300; i++, t += 10) {
        levee.start(t);
        levee.success(t + 40, 40); // reported out of band: overlap is the caller's business
      }
      const s = levee.snapshot();
      if (estimator === 'v0.4') {
        expect(s.goodput).toBeCloseTo(100, 6);
        expect(s.estimatedCapacity).toBeCloseTo(4, 6);
      } else {
        // Decayed counts over the 3 s of traffic, which began 40 ms before the
        // first completion: within 1 % of the true rate (docs/ALGORITHM.md §3.13).
        expect(Math.abs(s.goodput / 100 - 1)).toBeLessThan(0.01);
        expect(Math.abs(s.estimatedCapacity / 4 - 1)).toBeLessThan(0.01);
      }
      expect(s.latencyMs).toBeCloseTo(40, 6);
    });

    it('limit is the ceiling of the fractional limit (seed 0.5 × 6.4 = 3.2 → 4)', () => {
      const levee = mk(slo90);
      let t = 0;
      for (let i = 0; i < 300; i++, t += 10) {
        levee.start(t);
        levee.success(t + 64, 64);
      }
      const capacity = levee.snapshot().estimatedCapacity;
      if (estimator === 'v0.4') expect(capacity).toBeCloseTo(6.4, 6);
      else expect(Math.abs(capacity / 6.4 - 1)).toBeLessThan(0.02);
      while (levee.state === 'CLOSED') {
        levee.start(t);
        levee.fail(t, 0);
        t += 1;
      }
      expect(levee.snapshot().limit).toBe(4);
    });

    it('a warm healthy breaker: CLOSED, uncapped, onset published, nothing armed', () => {
      const levee = mk(slo90);
      for (let i = 0, t = 0; i < 60; i++, t += 10) {
        levee.start(t);
        levee.success(t + 2, 2);
      }
      const s = levee.snapshot();
      expect([s.state, s.capped, s.limit, s.errorRate]).toEqual(['CLOSED', false, 0, 0]);
      expect(s.estimatedCapacity).toBeGreaterThan(0);
      expect(Math.abs(s.errorLowerBound)).toBeLessThanOrEqual(1e-15);
      expect(s.surge.onset).toBeGreaterThan(0);
      expect(s.surge.armed).toBe(false);
      expect(s.surge.strain).toBe(0);
      expect(s.counters).toEqual({
        admitted: 60,
        rejected: 0,
        succeeded: 60,
        failed: 0,
        cancelled: 0,
      });
    });

    it('the snapshot trigger keeps the latest cause through steady calls', () => {
      const levee = mk(slo90);
      const t = warmThenTrip(levee);
      expect(levee.snapshot().trigger).toBe('CONSECUTIVE_FAILURES');
      levee.start(t);
      expect(levee.snapshot().trigger).toBe('CONSECUTIVE_FAILURES');
    });
  });

  describe('state-change subscriptions', () => {
    it('delivers typed events and stops after unsubscribe / dispose', () => {
      const levee = mk(slo90);
      const events: string[] = [];
      const sub = levee.onStateChange((e) =>
        events.push(`${e.from}>${e.to}:${e.trigger}@${e.atMs}`),
      );
      const t = warmThenTrip(levee);
      expect(events).toEqual([`CLOSED>THROTTLED:CONSECUTIVE_FAILURES@${t - 10 + 1}`]);
      sub();
      sub.unsubscribe(); // idempotent
      levee.start(t);
      levee.fail(t + 1, 1);
      levee.start(t + 1000);
      expect(events).toHaveLength(1);

      const other = mk(slo90);
      let n = 0;
      {
        using _s = other.onStateChange(() => n++);
        warmThenTrip(other);
      }
      expect(n).toBe(1);
    });

    it('a throwing listener cannot corrupt the breaker, throw into the caller or the process: it is reported as a warning', async () => {
      const levee = mk(slo90);
      const uncaught: unknown[] = [];
      const warnings: Error[] = [];
      const onUncaught = (err: unknown) => uncaught.push(err);
      const onWarning = (w: Error) => warnings.push(w);
      process.on('uncaughtException', onUncaught);
      process.on('warning', onWarning);
      try {
        const bug = new Error('listener bug');
        levee.onStateChange(() => {
          throw bug;
        });
        let second = 0;
        levee.onStateChange(() => second++);
        expect(() => warmThenTrip(levee)).not.toThrow();
        expect(levee.state).toBe('THROTTLED');
        expect(second).toBe(1);
        await new Promise((r) => setImmediate(r));
        expect(uncaught).toEqual([]);
        const mine = warnings.filter((w) => w.name === 'LeveeListenerError');
        expect(mine).toHaveLength(1);
        expect(mine[0]!.cause).toBe(bug);
        expect(mine[0]!.message).toBe('a Levee listener threw Error: listener bug');
      } finally {
        process.off('uncaughtException', onUncaught);
        process.off('warning', onWarning);
      }
    });

    it('options.onListenerError receives a listener exception with its event; a throwing hook is reported', async () => {
      const seen: Array<[unknown, string]> = [];
      const levee = mk(slo90, {
        onListenerError: (err, e) => seen.push([err, `${e.from}>${e.to}`]),
      });
      const bug = new Error('bug');
      levee.onStateChange(() => {
        throw bug;
      });
      warmThenTrip(levee);
      expect(seen).toEqual([[bug, 'CLOSED>THROTTLED']]);

      const warnings: Error[] = [];
      const onWarning = (w: Error) => warnings.push(w);
      process.on('warning', onWarning);
      try {
        const hookBug = new Error('hook bug');
        const other = mk(slo90, {
          onListenerError: () => {
            throw hookBug;
          },
        });
        other.onStateChange(() => {
          throw 'a string';
        });
        expect(() => warmThenTrip(other)).not.toThrow();
        await new Promise((r) => setImmediate(r));
        expect(warnings.filter((w) => w.name === 'LeveeListenerError').map((w) => w.cause)).toEqual(
          [hookBug],
        );
      } finally {
        process.off('warning', onWarning);
      }
    });

    it('CircuitOpenError carries the state, trigger and a retry hint', async () => {
      let now = 0;
      const levee = mk({ successRate: 0.9, timeoutMs: 3_600_000 }, { clock: () => now });
      let ran = 0;
      // Drive to OPEN with failures on the breaker's own clock.
      for (let i = 0; i < 10_000 && levee.state !== 'OPEN'; i++) {
        now += 10;
        await levee
          .call(() => {
            ran++;
            now += 1;
            throw new Error('down');
          })
          .catch(() => {});
      }
      expect(levee.state).toBe('OPEN');
      const before = ran;
      const err = await levee.call(() => ran++).catch((e: unknown) => e);
      expect(ran).toBe(before);
      expect(err).toBeInstanceOf(CircuitOpenError);
      const e = err as CircuitOpenError;
      expect([e.state, e.trigger, e.code]).toEqual([
        'OPEN',
        'MIN_LIMIT_FAILURE_RATE',
        'ERR_CIRCUIT_OPEN',
      ]);
      expect(e.retryAfterMs).toBeGreaterThan(3_000_000);
      expect(e.message).toBe(
        'circuit breaker is open (state OPEN, trigger MIN_LIMIT_FAILURE_RATE)',
      );
    });
  });

  describe('trigger getter', () => {
    it('reports the most recent cause without a snapshot', () => {
      const levee = mk(slo90);
      expect(levee.trigger).toBe('NONE');
      warmThenTrip(levee);
      expect(levee.trigger).toBe('CONSECUTIVE_FAILURES');
      expect(levee.trigger).toBe(levee.snapshot().trigger);
    });
  });
});
