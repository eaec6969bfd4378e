/** Bad inputs get a clear error naming the field and value, and change nothing. */
import { describe, expect, it } from 'vitest';
import { Levee, LeveeUsageError, validateSLO } from '../../src/index.js';

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

  it('timestamps that go backwards are treated as simultaneous (EWMA step 0.01), not as errors', () => {
    const levee = fresh();
    for (let t = 0; t < 1000; t += 10) {
      levee.start(t);
      levee.success(t + 1, 1);
    }
    levee.start(2000);
    const r = levee.fail(500, 1); // earlier than the previous event
    expect(r).toEqual({ state: 'CLOSED', trigger: 'NONE' });
    expect(levee.snapshot().errorRate).toBeCloseTo(0.01, 12);
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
