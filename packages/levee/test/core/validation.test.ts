/** Bad inputs get a clear error naming the field and value, and change nothing. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Levee, LeveeUsageError, MAX_RETRY_AFTER_MS, validateSLO } from '../../src/index.js';
import { ESTIMATORS } from './harness.js';

describe('SLO validation', () => {
  it.each([
    [
      { successRate: 0, timeoutMs: 1 },
      RangeError,
      'slo.successRate must be strictly between 0 and 1, got 0',
    ],
    [
      { successRate: 1, timeoutMs: 1 },
      RangeError,
      'slo.successRate must be strictly between 0 and 1, got 1',
    ],
    [{ successRate: 1.1, timeoutMs: 1 }, RangeError, 'got 1.1'],
    [
      { successRate: Number.NaN, timeoutMs: 1 },
      RangeError,
      'slo.successRate must be strictly between 0 and 1, got NaN',
    ],
    [
      { successRate: '0.9', timeoutMs: 1 },
      TypeError,
      'slo.successRate must be a number, got "0.9"',
    ],
    [
      { successRate: 0.9, timeoutMs: 0 },
      RangeError,
      'slo.timeoutMs must be a finite number > 0, got 0',
    ],
    [{ successRate: 0.9, timeoutMs: -5 }, RangeError, 'got -5'],
    [{ successRate: 0.9, timeoutMs: Number.POSITIVE_INFINITY }, RangeError, 'got Infinity'],
    [{ successRate: 0.9 }, TypeError, 'slo.timeoutMs must be a number, got undefined'],
    [null, TypeError, 'slo must be an object'],
  ])('%j throws %o', (slo, type, message) => {
    expect(() => new Levee(slo as never)).toThrow(type);
    expect(() => new Levee(slo as never)).toThrow(message);
  });

  it('returns a frozen copy of a valid SLO', () => {
    const slo = validateSLO({ successRate: 0.99, timeoutMs: 250 });
    expect(Object.isFrozen(slo)).toBe(true);
    expect(new Levee(slo).slo).toEqual({ successRate: 0.99, timeoutMs: 250 });
  });

  it('rejects a clock that is not a function', () => {
    expect(() => new Levee({ successRate: 0.9, timeoutMs: 1 }, { clock: 5 as never })).toThrow(
      'options.clock must be a function returning milliseconds, got 5',
    );
  });
});

describe('every public number is checked for type and magnitude (issue #12)', () => {
  const fresh = () => new Levee({ successRate: 0.9, timeoutMs: 1000 });

  it.each([
    ['a string', '5', TypeError, 'durationMs must be a number of milliseconds, got "5"'],
    ['null', null, TypeError, 'durationMs must be a number of milliseconds, got null'],
    ['a boolean', true, TypeError, 'durationMs must be a number of milliseconds, got true'],
    ['an array', [5], TypeError, 'durationMs must be a number of milliseconds, got 5'],
    [
      '1e303',
      1e303,
      RangeError,
      'durationMs must be at most 8.64e15 ms (the range of a Date), got 1e+303',
    ],
    ['8.64e15 + 1e6', 8.64e15 + 1e6, RangeError, 'durationMs must be at most 8.64e15 ms'],
  ])(
    'a duration that is %s is rejected, not coerced, and changes nothing',
    (_n, bad, type, message) => {
      for (const method of ['success', 'fail'] as const) {
        const levee = fresh();
        levee.start(0);
        const before = JSON.stringify(levee.snapshot());
        expect(() => levee[method](1, bad as never)).toThrow(type);
        expect(() => levee[method](1, bad as never)).toThrow(message);
        expect(JSON.stringify(levee.snapshot())).toBe(before);
      }
    },
  );

  it.each([
    [1.8e302, 'nowMs must be within ±8.64e15 ms (the range of a Date), got 1.8e+302'],
    [-1e20, 'nowMs must be within ±8.64e15 ms (the range of a Date), got -100000000000000000000'],
    [8.64e15 + 2, 'got 8640000000000002'],
  ])('a timestamp of %d is rejected by every method and changes nothing', (bad, message) => {
    const levee = fresh();
    levee.start(0);
    const before = JSON.stringify(levee.snapshot());
    expect(() => levee.start(bad)).toThrow(RangeError);
    expect(() => levee.start(bad)).toThrow(message);
    expect(() => levee.success(bad, 1)).toThrow(message);
    expect(() => levee.fail(bad, 1)).toThrow(message);
    expect(() => levee.cancel(bad)).toThrow(message);
    expect(() => levee.retryAfterMs(bad)).toThrow(message);
    expect(JSON.stringify(levee.snapshot())).toBe(before);
  });

  it('accepts the whole Date range: timestamps ±8.64e15 ms and durations up to 8.64e15 ms', () => {
    const levee = fresh();
    expect(levee.start(-8.64e15).admitted).toBe(true);
    expect(levee.success(8.64e15, 8.64e15).state).toBeDefined();
    const s = levee.snapshot();
    for (const v of [s.goodput, s.latencyMs, s.estimatedCapacity, s.errorRate]) {
      expect(Number.isFinite(v)).toBe(true);
    }
  });

  it('rejects retryAfterMs() times that are not numbers', () => {
    expect(() => fresh().retryAfterMs('5' as never)).toThrow(
      'nowMs must be a number of milliseconds, got "5"',
    );
  });

  it.each([
    [
      { successRate: 0.9, timeoutMs: 1e303 },
      'slo.timeoutMs must be at most 8.64e15 ms (the range of a Date), got 1e+303',
    ],
    [
      { successRate: 1e-17, timeoutMs: 1 },
      'slo.successRate is too small (1 − successRate rounds to 1), got 1e-17',
    ],
    [{ successRate: 0.9, timeoutMs: '5' }, 'slo.timeoutMs must be a number, got "5"'],
  ])('rejects the SLO %j', (slo, message) => {
    expect(() => new Levee(slo as never)).toThrow(message);
  });

  it('a huge timeoutMs gives a finite retryAfterMs, capped at 2,147,483,647 ms', () => {
    const levee = new Levee({ successRate: 0.9, timeoutMs: 8.64e15 });
    let t = 0;
    for (; t < 1000; t += 10) {
      levee.start(t);
      levee.fail(t + 1, 1);
      if (levee.state === 'THROTTLED') break;
    }
    // At the floor limit: a failed probe, then a window later, OPEN.
    expect(levee.start(t + 10).admitted).toBe(true);
    levee.fail(t + 11, 1);
    expect(levee.start(t + 1000).state).toBe('OPEN');
    expect(levee.retryAfterMs(t + 1000)).toBe(MAX_RETRY_AFTER_MS);
    expect(levee.shedError(t + 1000).retryAfterMs).toBe(MAX_RETRY_AFTER_MS);
  });

  it.each(ESTIMATORS)(
    'no input leaves NaN or Infinity in the state, estimator %s (huge, tiny and negative values)',
    (estimator) => {
      const value = fc.oneof(
        fc.double({ noNaN: false }),
        fc.constantFrom(
          0,
          -0,
          5e-324,
          -5e-324,
          1e-300,
          1e300,
          -1e300,
          8.64e15,
          -8.64e15,
          8.64e15 + 2,
          Number.MAX_VALUE,
          -Number.MAX_VALUE,
          Number.MAX_SAFE_INTEGER,
          Number.POSITIVE_INFINITY,
          Number.NEGATIVE_INFINITY,
          Number.NaN,
        ),
        fc.double({ min: -1e4, max: 1e4, noNaN: true }),
      );
      const op = fc.record({
        kind: fc.constantFrom('start', 'success', 'fail', 'cancel', 'retry'),
        t: value,
        d: value,
      });
      fc.assert(
        fc.property(
          fc.constantFrom(0.5, 0.9, 0.99, 1 - 1e-12, 1e-9),
          fc.constantFrom(1e-6, 1, 1000, 8.64e15),
          fc.array(op, { minLength: 1, maxLength: 300 }),
          (successRate, timeoutMs, ops) => {
            const levee = new Levee({ successRate, timeoutMs }, { estimator });
            for (const o of ops) {
              const before = JSON.stringify(levee.snapshot());
              try {
                if (o.kind === 'start') levee.start(o.t);
                else if (o.kind === 'success') levee.success(o.t, o.d);
                else if (o.kind === 'fail') levee.fail(o.t, o.d);
                else if (o.kind === 'cancel') levee.cancel(o.t);
                else expect(Number.isFinite(levee.retryAfterMs(o.t))).toBe(true);
              } catch (err) {
                expect(err).toBeInstanceOf(Error);
                expect(JSON.stringify(levee.snapshot())).toBe(before);
              }
              const s = levee.snapshot();
              for (const v of [
                s.limit,
                s.estimatedCapacity,
                s.errorRate,
                s.errorLowerBound,
                s.goodput,
                s.latencyMs,
                s.surge.onset,
                s.surge.strain,
                s.surge.provenExcess,
              ]) {
                if (!Number.isFinite(v)) throw new Error(`non-finite in ${JSON.stringify(s)}`);
              }
              if (levee.snapshot().capped) {
                expect(levee.retryAfterMs(0)).toBeLessThanOrEqual(MAX_RETRY_AFTER_MS);
              }
            }
          },
        ),
        { numRuns: 300, seed: 1214 },
      );
    },
  );
});

describe('out-of-band misuse', () => {
  const fresh = () => new Levee({ successRate: 0.9, timeoutMs: 1000 });

  it.each([
    [
      'start(NaN)',
      (l: Levee) => l.start(Number.NaN),
      RangeError,
      'nowMs must be a finite number of milliseconds, got NaN',
    ],
    [
      'start(Infinity)',
      (l: Levee) => l.start(Number.POSITIVE_INFINITY),
      RangeError,
      'got Infinity',
    ],
    [
      'start("5")',
      (l: Levee) => l.start('5' as never),
      TypeError,
      'nowMs must be a number of milliseconds, got "5"',
    ],
    [
      'success(t, -1)',
      (l: Levee) => l.success(1, -1),
      RangeError,
      'durationMs must be finite and ≥ 0, got -1',
    ],
    [
      'fail(t, NaN)',
      (l: Levee) => l.fail(1, Number.NaN),
      RangeError,
      'durationMs must be finite and ≥ 0, got NaN',
    ],
    [
      'success(-Infinity, 1)',
      (l: Levee) => l.success(Number.NEGATIVE_INFINITY, 1),
      RangeError,
      'got -Infinity',
    ],
  ])('%s throws and changes nothing', (_name, op, type, message) => {
    const levee = fresh();
    levee.start(0);
    const before = JSON.stringify(levee.snapshot());
    expect(() => op(levee)).toThrow(type);
    expect(() => op(levee)).toThrow(message);
    expect(JSON.stringify(levee.snapshot())).toBe(before);
  });

  it('a completion with nothing in flight throws LeveeUsageError and changes nothing', () => {
    const levee = fresh();
    levee.start(0);
    levee.success(1, 1);
    const before = JSON.stringify(levee.snapshot());
    expect(() => levee.success(2, 1)).toThrow(LeveeUsageError);
    expect(() => levee.fail(2, 1)).toThrow(/fail\(\) called with no admitted call in flight/);
    expect(() => levee.cancel(2)).toThrow(LeveeUsageError);
    expect(JSON.stringify(levee.snapshot())).toBe(before);
  });

  it('a timestamp less than one window earlier than the latest is read as it is (v0.4: EWMA step 0.01)', () => {
    const levee = new Levee({ successRate: 0.9, timeoutMs: 1000 }, { estimator: 'v0.4' });
    for (let t = 0; t < 1000; t += 10) {
      levee.start(t);
      levee.success(t + 1, 1);
    }
    levee.start(995);
    // Earlier than the previous completion (991), 45 ms behind the latest
    // time (995), within the 100 ms window: simultaneous, not a clock step.
    const r = levee.fail(950, 1);
    expect(r).toEqual({ state: 'CLOSED', trigger: 'NONE' });
    expect(levee.snapshot().errorRate).toBeCloseTo(0.01, 12);
  });

  it('decayed: such a timestamp decays nothing and counts at the latest time', () => {
    const levee = new Levee({ successRate: 0.9, timeoutMs: 1000 });
    for (let t = 0; t < 1000; t += 10) {
      levee.start(t);
      levee.success(t + 1, 1);
    }
    const before = levee.snapshot();
    levee.start(995);
    levee.fail(950, 1);
    const after = levee.snapshot();
    // The 100 successes 10 ms apart, decayed to the last (991 ms), plus the
    // failure at full weight: 1 / (Σ 2^(−10k/3000) + 1).
    const d = 2 ** (-10 / 3000);
    const successes = (1 - d ** 100) / (1 - d);
    expect(after.errorRate).toBeCloseTo(1 / (successes + 1), 12);
    expect(after.latencyMs).toBe(before.latencyMs);
  });

  it('keeps integer-nanosecond time from any origin, e.g. epoch milliseconds', () => {
    const a = fresh();
    const b = fresh();
    const epoch = 1_764_000_000_000; // Date.now()-sized
    for (let i = 0; i < 500; i++) {
      const fail = i % 3 === 0;
      for (const [l, o] of [
        [a, 0],
        [b, epoch],
      ] as const) {
        if (!l.start(o + i * 7.5).admitted) continue;
        if (fail) l.fail(o + i * 7.5 + 2.25, 2.25);
        else l.success(o + i * 7.5 + 2.25, 2.25);
      }
    }
    expect(a.snapshot().counters.rejected).toBeGreaterThan(0); // it did trip
    expect(b.snapshot()).toEqual(a.snapshot());
  });
});
