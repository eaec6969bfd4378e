import { describe, expect, it } from 'vitest';
import { cyberMonday } from '../../../src/sim/workload/cyber-monday.js';
import type { LoadSpec } from '../../../src/sim/workload/load-spec.js';
import {
  OracleRecorder,
  OracleTimeline,
  oracleThreshold,
  PrescientOracle,
} from '../../../src/suites/prescient/oracle.js';

const S = 1e9;

function spec(durationS: number, errorRate: number): LoadSpec {
  return { rpm: 600, errorRate, durationS, p50Ms: 50, p99Ms: 150, timeoutMs: 1500 };
}

/** 10 s calm, 5 s incident, 3 s incident, 10 s calm, 2 s incident. */
const SPECS = [spec(10, 0.005), spec(5, 0.6), spec(3, 0.2), spec(10, 0.05), spec(2, 0.5)];

describe('PrescientOracle (§4.2)', () => {
  it('is OPEN iff errorRate > 1 − successRate, computed in float64', () => {
    expect(oracleThreshold(0.9)).toBe(1 - 0.9);
    expect(oracleThreshold(0.9)).toBe(0.09999999999999998);
    const o = new PrescientOracle([spec(1, 0.1), spec(1, 0.09999999999999998), spec(1, 0.08)], 0.9);
    // 0.10 exceeds 0.0999…98 (the §2.5 remark), the threshold itself does not.
    expect([...o.specOpen]).toEqual([1, 0, 0]);
  });

  it('finds the spec by summing nominal durations; a boundary belongs to the next spec', () => {
    const o = new PrescientOracle(SPECS, 0.9);
    expect(o.specAt(0)).toBe(0);
    expect(o.specAt(10 * S - 1)).toBe(0);
    expect(o.specAt(10 * S)).toBe(1);
    expect(o.specAt(15 * S)).toBe(2);
    expect(o.specAt(18 * S - 1)).toBe(2);
    expect(o.specAt(18 * S)).toBe(3);
    expect(o.specAt(28 * S)).toBe(4);
    expect(o.openAt(9.999 * S)).toBe(false);
    expect(o.openAt(10 * S)).toBe(true);
    expect(o.openAt(20 * S)).toBe(false);
  });

  it('puts times past the nominal end in the last spec', () => {
    const o = new PrescientOracle(SPECS, 0.9);
    expect(o.specAt(30 * S)).toBe(4);
    expect(o.specAt(1e6 * S)).toBe(4);
    expect(o.openAt(31 * S)).toBe(true);
  });

  it('merges consecutive incident specs into nominal periods', () => {
    const o = new PrescientOracle(SPECS, 0.9);
    expect(o.nominalPeriods()).toEqual([
      { fromNs: 10 * S, toNs: 18 * S },
      { fromNs: 28 * S, toNs: 30 * S },
    ]);
  });

  it('uses the SLO given: at 0.5 only error rates above 0.5 open it', () => {
    const o = new PrescientOracle(SPECS, 0.5);
    expect([...o.specOpen]).toEqual([0, 1, 0, 0, 0]);
  });

  it('rejects an empty workload and a success rate outside (0, 1)', () => {
    expect(() => new PrescientOracle([], 0.9)).toThrow(RangeError);
    expect(() => new PrescientOracle(SPECS, 1)).toThrow(RangeError);
    expect(() => new PrescientOracle(SPECS, 0)).toThrow(RangeError);
    expect(() => new PrescientOracle(SPECS, Number.NaN)).toThrow(RangeError);
  });

  it('Cyber Monday at SLO 0.90: 8 incident specs, 1,380 s OPEN in three periods (§2.4)', () => {
    const o = new PrescientOracle(cyberMonday(), 0.9);
    const incidents = [...o.specOpen].flatMap((v, i) => (v === 1 ? [i] : []));
    expect(incidents).toEqual([1, 2, 3, 53, 54, 55, 93, 94]);
    const periods = o.nominalPeriods();
    expect(periods.map((p) => (p.toNs - p.fromNs) / S)).toEqual([480, 600, 300]);
    expect(periods[0]!.fromNs).toBe(14400 * S);
  });
});

describe('OracleRecorder: sampling at start events', () => {
  it('measures elapsed time from the first sample and records only changes (starting CLOSED)', () => {
    const r = new OracleRecorder(new PrescientOracle(SPECS, 0.9));
    const t0 = 1000 * S; // an arbitrary origin
    const samples = [0, 5, 9.9, 10.2, 12, 17.9, 18.1, 27, 28.5, 40].map((s) => t0 + s * S);
    const states = samples.map((t) => r.sample(t));
    expect(r.originNs).toBe(t0);
    expect(states).toEqual([false, false, false, true, true, true, false, false, true, true]);
    // The change is recorded at the first start after the nominal boundary.
    expect(r.changes).toEqual([
      { tNs: t0 + 10.2 * S, open: true },
      { tNs: t0 + 18.1 * S, open: false },
      { tNs: t0 + 28.5 * S, open: true },
    ]);
  });

  it('has an empty change list when the oracle never opens', () => {
    const r = new OracleRecorder(new PrescientOracle([spec(60, 0.01)], 0.9));
    for (let t = 0; t < 60 * S; t += S) r.sample(t);
    expect(r.changes).toEqual([]);
  });

  it('records an opening at the very first sample when the workload starts with an incident', () => {
    const r = new OracleRecorder(new PrescientOracle([spec(5, 0.5), spec(5, 0)], 0.9));
    r.sample(0);
    r.sample(6 * S);
    expect(r.changes).toEqual([
      { tNs: 0, open: true },
      { tNs: 6 * S, open: false },
    ]);
  });
});

describe('OracleTimeline', () => {
  const changes = [
    { tNs: 10 * S, open: true },
    { tNs: 18 * S, open: false },
    { tNs: 28 * S, open: true },
  ];
  const tl = new OracleTimeline(changes, 31 * S);

  it('builds OPEN periods; one still OPEN at the end runs to the end of the run', () => {
    expect(tl.periods).toEqual([
      { fromNs: 10 * S, toNs: 18 * S },
      { fromNs: 28 * S, toNs: 31 * S },
    ]);
    expect(tl.openNs()).toBe(11 * S);
  });

  it('answers the state, last opening and last closing at a time', () => {
    expect(tl.openAt(5 * S)).toBe(false);
    expect(tl.openAt(10 * S)).toBe(true);
    expect(tl.openAt(18 * S - 1)).toBe(true);
    expect(tl.openAt(18 * S)).toBe(false);
    expect(tl.lastOpenedAt(5 * S)).toBeUndefined();
    expect(tl.lastOpenedAt(20 * S)).toBe(10 * S);
    expect(tl.lastOpenedAt(29 * S)).toBe(28 * S);
    expect(tl.lastClosedAt(15 * S)).toBeUndefined(); // the initial CLOSED is not a change
    expect(tl.lastClosedAt(18 * S)).toBe(18 * S);
    expect(tl.lastClosedAt(30 * S)).toBe(18 * S);
  });

  it('detects OPEN periods overlapping an open window, including future ones', () => {
    expect(tl.openOverlaps(0, 9 * S)).toBe(false);
    expect(tl.openOverlaps(0, 10 * S)).toBe(false); // opens exactly at the window's end
    expect(tl.openOverlaps(0, 10 * S + 1)).toBe(true);
    expect(tl.openOverlaps(18 * S, 20 * S)).toBe(false); // closed exactly at the window's start
    expect(tl.openOverlaps(18 * S - 1, 20 * S)).toBe(true);
    expect(tl.openOverlaps(19 * S, 27 * S)).toBe(false);
    expect(tl.openOverlaps(100 * S, 110 * S)).toBe(true); // never closed
  });

  it('rejects a change list that does not alternate from CLOSED', () => {
    expect(() => new OracleTimeline([{ tNs: 1, open: false }], 10)).toThrow(RangeError);
    expect(
      () =>
        new OracleTimeline(
          [
            { tNs: 1, open: true },
            { tNs: 2, open: true },
          ],
          10,
        ),
    ).toThrow(RangeError);
    expect(
      () =>
        new OracleTimeline(
          [
            { tNs: 5, open: true },
            { tNs: 5, open: false },
          ],
          10,
        ),
    ).toThrow(RangeError);
    expect(new OracleTimeline([], 10).periods).toEqual([]);
  });
});
