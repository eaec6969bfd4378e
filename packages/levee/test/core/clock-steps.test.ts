/**
 * Clock steps (issue #12; docs/ALGORITHM.md §3.14): time going backwards or
 * jumping ahead never delays recovery by more than one evaluation window
 * beyond normal.
 */
import { describe, expect, it } from 'vitest';
import { type EstimatorName, Levee, type State } from '../../src/index.js';
import { ESTIMATORS } from './harness.js';

const SLO = { successRate: 0.9, timeoutMs: 1000 };
const GAP = 10; // ms between calls
const LATENCY = 5; // ms per healthy call
const MINUTE = 60_000;
const YEAR = 365 * 24 * 60 * MINUTE;

/** A warm breaker (100 healthy calls), then failures until it throttles; returns it and the time. */
function tripped(estimator: EstimatorName): { levee: Levee; t: number } {
  const levee = new Levee(SLO, { estimator });
  let t = 0;
  for (let i = 0; i < 100; i++, t += GAP) {
    levee.start(t);
    levee.success(t + 1, 1);
  }
  while (levee.state === 'CLOSED') {
    levee.start(t);
    levee.fail(t + 1, 1);
    t += GAP;
  }
  return { levee, t };
}

/** From THROTTLED at the floor limit: one failed probe, then a window later OPEN. */
function opened(estimator: EstimatorName): { levee: Levee; t: number } {
  const { levee, t } = tripped(estimator);
  expect(levee.snapshot().limit).toBe(1);
  levee.start(t);
  levee.fail(t + 1, 1);
  expect(levee.start(t + 1000).state).toBe('OPEN');
  return { levee, t: t + 1000 };
}

/** OPEN, then past the cooldown: HALF_OPEN (the probe that entered it completes healthy). */
function halfOpen(estimator: EstimatorName): { levee: Levee; t: number } {
  const { levee, t } = opened(estimator);
  const at = t + 1000;
  expect(levee.start(at).state).toBe('HALF_OPEN');
  levee.success(at + LATENCY, LATENCY);
  return { levee, t: at + GAP };
}

interface Outcome {
  /** Traffic time (ms since `t`) until the state was CLOSED again, or Infinity. */
  closedAfter: number;
  /** Traffic time of the first admitted call. */
  firstAdmitted: number;
}

/**
 * Healthy traffic (a call every 10 ms taking 5 ms) from `t` for up to
 * `limitMs`. `clockAt(elapsed)` maps traffic time to the timestamp given to
 * the breaker: the identity plus `t`, or with a step.
 */
function heal(levee: Levee, clockAt: (elapsed: number) => number, limitMs = 2 * 3_600_000) {
  const out: Outcome = { closedAfter: Number.POSITIVE_INFINITY, firstAdmitted: -1 };
  for (let e = 0; e <= limitMs; e += GAP) {
    const now = clockAt(e);
    if (levee.start(now).admitted) {
      if (out.firstAdmitted < 0) out.firstAdmitted = e;
      levee.success(now + LATENCY, LATENCY);
    }
    if (levee.state === 'CLOSED') {
      out.closedAfter = e;
      return out;
    }
  }
  return out;
}

const SETUPS: Array<[State, (estimator: EstimatorName) => { levee: Levee; t: number }]> = [
  ['THROTTLED', tripped],
  ['OPEN', opened],
  ['HALF_OPEN', halfOpen],
];

describe.each(ESTIMATORS)('clock steps, estimator %s', (estimator) => {
  describe.each(SETUPS)('while %s', (state, setup) => {
    const normal = (() => {
      const { levee, t } = setup(estimator);
      expect(levee.state).toBe(state);
      return heal(levee, (e) => t + e).closedAfter;
    })();

    it('recovers in seconds without a step', () => {
      expect(normal).toBeGreaterThan(0);
      expect(normal).toBeLessThan(10_000);
    });

    it.each([
      [5, 0],
      [5, 500],
      [60, 0],
      [60, 1500],
    ])(
      'a step back of %d minutes %d ms in delays recovery by at most one window',
      (minutes, at) => {
        const { levee, t } = setup(estimator);
        const step = minutes * MINUTE;
        const r = heal(levee, (e) => (e < at ? t + e : t + e - step));
        // The base window is at most 5 s, here 100 ms (5 × 5 ms latency, floored).
        expect(r.closedAfter - normal).toBeLessThanOrEqual(100);
      },
    );

    it('a step ahead of an hour does not delay recovery', () => {
      const { levee, t } = setup(estimator);
      const r = heal(levee, (e) => (e < 500 ? t + e : t + e + 60 * MINUTE));
      expect(r.closedAfter).toBeLessThanOrEqual(normal + 100);
    });
  });

  it('one call stamped a year ahead while OPEN: admission resumes within the cooldown', () => {
    const { levee, t } = opened(estimator);
    // A single stray timestamp a year ahead, then the clock as before.
    const stray = levee.start(t + YEAR);
    expect(stray.state).toBe('HALF_OPEN'); // a year is past any cooldown
    if (stray.admitted) levee.success(t + YEAR + LATENCY, LATENCY);
    const r = heal(levee, (e) => t + GAP + e);
    expect(r.firstAdmitted).toBeGreaterThanOrEqual(0);
    expect(r.firstAdmitted).toBeLessThanOrEqual(SLO.timeoutMs * 8);
    expect(r.closedAfter).toBeLessThan(30_000);
  });

  it('a step back larger than a window is not an error and keeps every interval in progress', () => {
    const { levee, t } = tripped(estimator);
    const latest = t - GAP + 1; // the failure that tripped it
    const before = levee.retryAfterMs(latest);
    // 5 minutes back: time continues from the latest one seen, so the retry
    // hint is what it was then, not 5 minutes longer.
    expect(levee.start(t - 5 * MINUTE).admitted).toBe(true);
    expect(levee.retryAfterMs(t - 5 * MINUTE)).toBe(before);
    expect(before).toBeLessThanOrEqual(100);
  });
});
