import { describe, expect, it } from 'vitest';
import { closedLoopDelta, EPOCH_NS, EpochScorer } from '../../../src/sim/scoring/epoch-scorer.js';

describe('EpochScorer (§5.5)', () => {
  it('uses 200 ms epochs, trunc(t / 2e8)', () => {
    expect(EPOCH_NS).toBe(2e8);
    const s = new EpochScorer();
    // epoch 0: 2 successes, 1 failure; epoch 1: 3 successes; epoch 5: 1 failure
    s.record(0, true);
    s.record(199_999_999, true);
    s.record(150_000_000, false);
    s.record(200_000_000, true);
    s.record(250_000_000, true);
    s.record(399_999_999, true);
    s.record(1_000_000_000, false);
    s.flush();
    expect(s.successScore).toBe(Math.sqrt(5 * 4 + 5 * 9));
    expect(s.failureScore).toBe(Math.sqrt(5 * 1 + 5 * 1));
  });

  it('scores bursts super-linearly', () => {
    const spread = new EpochScorer();
    const burst = new EpochScorer();
    for (let i = 0; i < 10; i++) {
      spread.record(i * EPOCH_NS, true);
      burst.record(0, true);
    }
    spread.flush();
    burst.flush();
    expect(spread.successScore).toBeCloseTo(Math.sqrt(50), 12);
    expect(burst.successScore).toBeCloseTo(Math.sqrt(500), 12);
  });

  it('is zero with no completions', () => {
    const s = new EpochScorer();
    s.flush();
    expect(s.successScore).toBe(0);
    expect(s.failureScore).toBe(0);
  });
});

describe('closedLoopDelta', () => {
  it('is (S − F) × Allowed / (Allowed + Blocked), the ratio first', () => {
    const S = 130072.05;
    const F = 15985.79;
    const ratio = 30466218 / (30466218 + 26052608);
    expect(closedLoopDelta(S, F, 30466218, 26052608)).toBe((S - F) * ratio);
  });

  it('is S − F without blocking', () => {
    expect(closedLoopDelta(10, 4, 100, 0)).toBe(6);
  });

  it('is 0 when nothing arrived', () => {
    expect(closedLoopDelta(0, 0, 0, 0)).toBe(0);
  });
});
