/**
 * The prescient page's recorder: hand-made event sequences give exactly the
 * expected rows, and on short real runs recording changes no result and the
 * columns add up to the run's totals.
 */
import { describe, expect, test } from 'vitest';
import { createCandidate } from '../../../src/candidates/registry.js';
import { cyberMonday } from '../../../src/sim/workload/cyber-monday.js';
import type { OracleRecorder } from '../../../src/suites/prescient/oracle.js';
import { runPrescient } from '../../../src/suites/prescient/runner.js';
import { PrescientTraceRecorder } from '../../../src/suites/prescient/trace.js';
import { list, ProbingBreaker, rounded, S, spec, sum } from '../fixtures.js';

/** The part of an `OracleRecorder` the prescient tracer reads, scripted. */
function fakeOracle(): { open: boolean; changes: Array<{ tNs: number; open: boolean }> } {
  return { open: false, changes: [] };
}

describe('PrescientTraceRecorder', () => {
  test('decisions against the oracle per second, running penalties, oracle and state shares', () => {
    const oracle = fakeOracle();
    const breaker = new ProbingBreaker();
    const recorder = new PrescientTraceRecorder();
    const w = recorder.attach({
      candidate: breaker,
      oracle: oracle as unknown as OracleRecorder,
      specs: [spec(3)],
    });
    breaker.limit = 4;
    expect(w.start(0.1 * S)).toBe(true); // oracle CLOSED, admitted: fine
    oracle.open = true;
    oracle.changes.push({ tNs: 0.5 * S, open: true });
    expect(w.start(0.5 * S)).toBe(true); // bad
    expect(w.start(0.7 * S)).toBe(true); // bad
    w.fail(0.8 * S, 0.7 * S); // OPEN from 0.8 s
    expect(w.start(1.1 * S)).toBe(false); // blocked while the oracle is OPEN: fine
    oracle.open = false;
    oracle.changes.push({ tNs: 1.5 * S, open: false });
    expect(w.start(1.5 * S)).toBe(false); // lost
    expect(w.start(1.6 * S)).toBe(false); // lost
    expect(w.start(1.9 * S)).toBe(false); // lost
    w.success(2.2 * S, 1.7 * S); // CLOSED from 2.2 s
    expect(w.start(2.5 * S)).toBe(true);
    recorder.finish({ endNs: 2.5 * S });
    const t = recorder.trace();
    const c = t.columns;
    expect(t.layout.id).toBe('prescient');
    expect(t.seconds).toBe(3);
    expect(list(c.offered)).toEqual([3, 4, 1]);
    expect(list(c.admitted)).toEqual([3, 0, 1]);
    expect(list(c.blocked)).toEqual([0, 4, 0]);
    expect(list(c.oracleBlock)).toEqual([2, 1, 0]);
    expect(list(c.oracleAdmit)).toEqual([1, 3, 1]);
    expect(list(c.bad)).toEqual([2, 0, 0]);
    expect(list(c.lost)).toEqual([0, 3, 0]);
    expect(list(c.successes)).toEqual([0, 0, 1]);
    expect(list(c.failures)).toEqual([1, 0, 0]);
    expect(list(c.badTraffic)).toEqual([2, 2, 2]);
    expect(list(c.lostBusiness)).toEqual([0, 3, 3]);
    expect(list(c.totalPenalty)).toEqual([2, 5, 5]);
    expect(rounded(c.oracleOpen)).toEqual([0.5, 0.5, 0]);
    expect(rounded(c.open)).toEqual([0.2, 1, 0.2]);
    expect(list(c.limit)).toEqual([4, 4, 4]);
  });

  test.each(['levee', 'static-bau'])(
    '%s on specs 1-3: identical results; the last running penalties are the result',
    (name) => {
      const specs = cyberMonday().slice(1, 4);
      const slo = { successRate: 0.9, timeoutMs: 1500 };
      const opts = {
        specs,
        seed: 20241225,
        successRate: 0.9,
        candidate: () => createCandidate(name, { slo }),
      };
      const plain = runPrescient(opts);
      const recorder = new PrescientTraceRecorder();
      const traced = runPrescient({ ...opts, tracer: recorder });
      expect(traced).toEqual(plain);
      const t = recorder.trace();
      const c = t.columns;
      expect(t.candidate).toBe(plain.candidate);
      expect(sum(c.offered)).toBe(plain.requests);
      expect(sum(c.admitted)).toBe(plain.allowed);
      expect(sum(c.blocked)).toBe(plain.blocked);
      expect(sum(c.successes)).toBe(plain.successes);
      expect(sum(c.failures)).toBe(plain.failures);
      expect(sum(c.bad)).toBe(plain.badRequests);
      expect(sum(c.lost)).toBe(plain.lostRequests);
      // The rows are the penalty buckets (phase 0): the same squares, the same roots.
      const last = t.seconds - 1;
      expect(c.badTraffic[last]).toBe(plain.badTraffic);
      expect(c.lostBusiness[last]).toBe(plain.lostBusiness);
      expect(c.totalPenalty[last]).toBe(plain.totalPenalty);
      const openS = sum(c.oracleOpen);
      const periods = plain.oracle.changes;
      expect(periods.length).toBeGreaterThan(0);
      let want = 0;
      for (let i = 0; i < periods.length; i += 2) {
        want += ((periods[i + 1]?.tNs ?? plain.oracle.endNs) - periods[i]!.tNs) / S;
      }
      expect(openS).toBeCloseTo(want, 6);
      expect(sum(c.oracleBlock)).toBeGreaterThan(0);
    },
    30_000,
  );
});
