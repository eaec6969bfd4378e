import { describe, expect, it } from 'vitest';
import { durationSeconds, prescientEstimate } from '../../../src/suites/prescient/estimate.js';
import { PenaltyScorer, UPSTREAM_PHASE_NS } from '../../../src/suites/prescient/penalty.js';

const S = 1e9;

describe('PenaltyScorer (§4.3): per-second squares, buckets at the stream origin', () => {
  it('matches a hand computation', () => {
    const p = new PenaltyScorer();
    // second 0: 2 bad, 1 lost, plus decisions that cost nothing
    p.record(0.1 * S, true, true); // admitted while OPEN: bad
    p.record(0.2 * S, true, false); // admitted while CLOSED: fine
    p.record(0.5 * S, true, true); // bad
    p.record(0.7 * S, false, true); // rejected while OPEN: fine
    p.record(0.9 * S, false, false); // rejected while CLOSED: lost
    // second 1: 1 bad
    p.record(1.0 * S, true, true);
    // second 2: nothing; second 3: 3 lost
    p.record(2.5 * S, true, false);
    p.record(3.1 * S, false, false);
    p.record(3.2 * S, false, false);
    p.record(3.999999999 * S, false, false);
    const r = p.finish();
    // bad: 2² + 1² = 5; lost: 1² + 3² = 10
    expect(r.badTraffic).toBe(Math.sqrt(5));
    expect(r.lostBusiness).toBe(Math.sqrt(10));
    expect(r.totalPenalty).toBe(Math.sqrt(5) + Math.sqrt(10));
    expect(r.badRequests).toBe(3);
    expect(r.lostRequests).toBe(4);
  });

  it('squares per bucket: the same mistakes cost more when bunched', () => {
    const bunched = new PenaltyScorer();
    const spread = new PenaltyScorer();
    for (let i = 0; i < 4; i++) bunched.record(0.1 * S * i, true, true);
    for (let i = 0; i < 4; i++) spread.record(S * i, true, true);
    expect(bunched.finish().badTraffic).toBe(4);
    expect(spread.finish().badTraffic).toBe(2);
  });

  it('a bucket is [k·1 s, (k+1)·1 s) of stream time; the phase shifts the boundaries', () => {
    const times = [0.4 * S, 0.6 * S, 1.4 * S];
    const at0 = new PenaltyScorer(0);
    const at5 = new PenaltyScorer(0.5 * S);
    for (const t of times) {
      at0.record(t, false, false);
      at5.record(t, false, false);
    }
    // phase 0: {0.4, 0.6} {1.4} → 4 + 1; phase 0.5 s: {0.4} {0.6, 1.4} → 1 + 4
    expect(at0.finish().lostBusiness).toBe(Math.sqrt(5));
    expect(at5.finish().lostBusiness).toBe(Math.sqrt(5));
    const b = new PenaltyScorer(0.5 * S);
    for (const t of [0.4 * S, 0.49 * S, 0.5 * S]) b.record(t, false, false);
    // phase 0.5 s: 0.4 and 0.49 s are in bucket 0 (t + 0.5 s < 1 s), 0.5 s starts bucket 1
    expect(b.finish().lostBusiness).toBe(Math.sqrt(4 + 1));
  });

  it('finish is idempotent, and a scorer with no records scores 0', () => {
    const p = new PenaltyScorer();
    p.record(0, true, true);
    expect(p.finish()).toEqual(p.finish());
    expect(new PenaltyScorer().finish().totalPenalty).toBe(0);
  });

  it('rejects a phase outside [0, 1 s) or not a whole number of ns', () => {
    expect(() => new PenaltyScorer(-1)).toThrow(RangeError);
    expect(() => new PenaltyScorer(S)).toThrow(RangeError);
    expect(() => new PenaltyScorer(0.5)).toThrow(RangeError);
    expect(new PenaltyScorer(UPSTREAM_PHASE_NS).phaseNs).toBe(852_400_000);
  });
});

describe('prescientEstimate (§4.3): the Prescient row', () => {
  it('sums trunc(total · period / run) over the OPEN periods', () => {
    // 1000 requests over 100 s; periods of 10 s and 5.55 s → 100 + trunc(55.5) = 155
    const est = prescientEstimate(
      1000,
      [
        { fromNs: 20 * S, toNs: 30 * S },
        { fromNs: 50 * S, toNs: 55.55 * S },
      ],
      100 * S,
    );
    expect(est).toEqual({ blocked: 155, allowed: 845 });
  });

  it('truncates each period separately', () => {
    // three periods of a third of the run each: 33.33 → 33, so 99 (not 100)
    const run = 30 * S;
    const est = prescientEstimate(
      100,
      [
        { fromNs: 0, toNs: 10 * S },
        { fromNs: 10 * S, toNs: 20 * S },
        { fromNs: 20 * S, toNs: 30 * S },
      ],
      run,
    );
    expect(est.blocked).toBe(99);
  });

  it('is 0 without OPEN periods or with an empty run', () => {
    expect(prescientEstimate(500, [], 10 * S)).toEqual({ blocked: 0, allowed: 500 });
    expect(prescientEstimate(500, [{ fromNs: 0, toNs: 0 }], 0)).toEqual({
      blocked: 0,
      allowed: 500,
    });
  });

  it('reproduces the published row from the Cyber Monday oracle changes (§4.4)', () => {
    // The change list and run span of Cyber Monday, seed 20241225 (see the
    // pinned full-run figures in README.md).
    const periods = [
      { fromNs: 14_400_028_447_408, toNs: 14_880_001_732_819 },
      { fromNs: 50_400_000_358_696, toNs: 51_000_000_132_811 },
      { fromNs: 79_200_000_110_142, toNs: 79_500_000_175_887 },
    ];
    expect(prescientEstimate(56_525_160, periods, 100_800_984_761_715)).toEqual({
      blocked: 773_832,
      allowed: 55_751_328,
    });
  });

  it('durationSeconds splits whole seconds from the nanosecond remainder like Go', () => {
    expect(durationSeconds(1_500_000_000)).toBe(1.5);
    expect(durationSeconds(100_800_984_761_715)).toBe(100800 + 984761715 / 1e9);
    expect(durationSeconds(0)).toBe(0);
  });
});
