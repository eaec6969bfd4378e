import { Levee } from '@leveejs/levee';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CandidateState } from '../../src/candidates/candidate.js';
import { LeveeCandidate, type LeveeLike } from '../../src/candidates/levee.js';
import { candidateNames, createCandidate, getCandidate } from '../../src/candidates/registry.js';

const SLO = { successRate: 0.9, timeoutMs: 1500 };

/** Records the calls it gets and answers with scripted states. */
class FakeLevee implements LeveeLike {
  calls: Array<[string, ...number[]]> = [];
  next: CandidateState = 'CLOSED';
  admit = true;
  state: CandidateState = 'CLOSED';
  start(nowMs: number) {
    this.calls.push(['start', nowMs]);
    return { admitted: this.admit, state: this.next };
  }
  success(nowMs: number, durationMs: number) {
    this.calls.push(['success', nowMs, durationMs]);
    return { state: this.next };
  }
  fail(nowMs: number, durationMs: number) {
    this.calls.push(['fail', nowMs, durationMs]);
    return { state: this.next };
  }
}

describe('LeveeCandidate with a stand-in library', () => {
  it('converts nanoseconds to milliseconds as tNs / 1e6', () => {
    const fake = new FakeLevee();
    const c = new LeveeCandidate(SLO, fake);
    c.start(1_500_000_000);
    c.success(2_000_000_123, 50_000_001);
    c.fail(100_800_215_499_895, 1_500_000_000);
    c.start(1);
    expect(fake.calls).toEqual([
      ['start', 1500],
      ['success', 2_000_000_123 / 1e6, 50_000_001 / 1e6],
      ['fail', 100_800_215_499_895 / 1e6, 1500],
      ['start', 1e-6],
    ]);
  });

  it('reports the state of the most recent result and passes admission through', () => {
    const fake = new FakeLevee();
    fake.state = 'OPEN';
    const c = new LeveeCandidate(SLO, fake);
    expect(c.name).toBe('Levee');
    expect(c.state()).toBe('OPEN'); // before any call: the library's state
    fake.next = 'THROTTLED';
    fake.admit = false;
    expect(c.start(0)).toBe(false);
    expect(c.state()).toBe('THROTTLED');
    fake.next = 'HALF_OPEN';
    c.fail(10, 5);
    expect(c.state()).toBe('HALF_OPEN');
    fake.next = 'CLOSED';
    fake.admit = true;
    fake.state = 'OPEN'; // the live getter is not consulted after a call
    expect(c.start(20)).toBe(true);
    c.success(30, 5);
    expect(c.state()).toBe('CLOSED');
  });

  it('loses nothing: the library recovers every integer ns offset within 11 days', () => {
    // The library keeps time as Math.round((ms - firstMs) * 1e6) integer ns.
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e15 }), fc.integer({ min: 0, max: 1e15 }), (a, b) => {
        const [t0, t] = a <= b ? [a, b] : [b, a];
        expect(Math.round((t / 1e6 - t0 / 1e6) * 1e6)).toBe(t - t0);
        expect(Math.round((t / 1e6) * 1e6)).toBe(t);
      }),
      { numRuns: 5_000 },
    );
  });
});

describe('LeveeCandidate with @leveejs/levee', () => {
  it('starts CLOSED and admits the first request', () => {
    const c = new LeveeCandidate(SLO);
    expect(c.state()).toBe('CLOSED');
    expect(c.start(0)).toBe(true);
    expect(c.state()).toBe('CLOSED');
  });

  it('behaves exactly like the library driven directly in milliseconds', () => {
    const adapter = new LeveeCandidate(SLO);
    const direct = new Levee(
      { successRate: SLO.successRate, timeoutMs: SLO.timeoutMs },
      { estimator: 'v0.4' }, // what the candidate builds (docs/ALGORITHM.md §3.13)
    );
    const states = new Set<string>();
    let t = 0;
    // Healthy traffic, then a run of slow failures, then recovery.
    for (let i = 0; i < 3000; i++) {
      t += 1_234_567; // ~1.23 ms between arrivals
      const a = direct.start(t / 1e6);
      expect(adapter.start(t)).toBe(a.admitted);
      expect(adapter.state()).toBe(a.state);
      if (!a.admitted) continue;
      const failing = i >= 500 && i < 1500;
      const latencyNs = failing ? 1_500_000_000 : 40_000_017;
      const done = t + 3_000_001;
      const r = failing
        ? direct.fail(done / 1e6, latencyNs / 1e6)
        : direct.success(done / 1e6, latencyNs / 1e6);
      if (failing) adapter.fail(done, latencyNs);
      else adapter.success(done, latencyNs);
      expect(adapter.state()).toBe(r.state);
      states.add(r.state);
    }
    expect(states.has('CLOSED')).toBe(true);
    expect([...states].some((s) => s !== 'CLOSED')).toBe(true);
  });

  it('is built with the SLO it is given', () => {
    const strict = createCandidate('levee', { slo: { successRate: 0.99, timeoutMs: 200 } });
    expect(strict.name).toBe('Levee');
    expect(strict.start(0)).toBe(true);
  });
});

describe('candidate registry', () => {
  it('knows the four candidates in the published order', () => {
    expect(candidateNames().slice(0, 4)).toEqual(['no-cb', 'levee', 'static-bau', 'static-peak']);
    expect(candidateNames().slice(4)).toEqual([
      'opossum-default',
      'opossum-tuned',
      'cockatiel-default',
      'cockatiel-tuned',
      'gradient2',
      'aimd',
      'vegas',
      'envoy-gradient',
      'sre-throttle',
      'failsafe-limiter',
      'failsafe-throttler',
      'brpc-auto',
    ]);
    expect(
      candidateNames()
        .slice(0, 4)
        .map((n) => getCandidate(n).displayName),
    ).toEqual(['No-CB', 'Levee', 'Static-BAU', 'Static-Peak']);
  });

  it('builds fresh candidates whose name matches the display name', () => {
    for (const key of candidateNames()) {
      const a = createCandidate(key, { slo: SLO });
      const b = createCandidate(key, { slo: SLO });
      expect(a).not.toBe(b);
      expect(a.name).toBe(getCandidate(key).displayName);
      const admitted = a.start(1_000);
      if (candidateNames().indexOf(key) < 4) {
        expect(admitted).toBe(true);
        expect(a.state()).toBe('CLOSED');
      } else {
        // Limiters may start in a probing or throttling posture (e.g. the SRE throttle).
        expect(['CLOSED', 'THROTTLED']).toContain(a.state());
      }
    }
  });

  it('rejects unknown names with the list of known ones', () => {
    expect(() => getCandidate('hystrix')).toThrow(
      'unknown candidate "hystrix"; known: no-cb, levee, static-bau, static-peak',
    );
  });
});
