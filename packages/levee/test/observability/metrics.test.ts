import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TRANSITIONS } from '../../src/core/transitions.js';
import {
  errorBudget,
  KNOWN_TRANSITIONS,
  METRICS,
  mergeTransitions,
} from '../../src/observability/metrics.js';

describe('the metric table', () => {
  it('reports transitions grouped by the state left, in lifecycle order', () => {
    expect(KNOWN_TRANSITIONS.map((t) => `${t.from}>${t.to}:${t.trigger}`)).toEqual([
      'CLOSED>THROTTLED:FAILURE_RATE',
      'CLOSED>THROTTLED:CONSECUTIVE_FAILURES',
      'CLOSED>THROTTLED:SURGE',
      'THROTTLED>CLOSED:RECOVERED',
      'THROTTLED>OPEN:MIN_LIMIT_FAILURE_RATE',
      'OPEN>HALF_OPEN:COOLDOWN_EXPIRED',
      'HALF_OPEN>CLOSED:RECOVERED',
      'HALF_OPEN>OPEN:MIN_LIMIT_FAILURE_RATE',
    ]);
    // The same entries as the core's list: one list, two orders.
    expect(new Set(KNOWN_TRANSITIONS)).toEqual(new Set(TRANSITIONS));
  });

  it('merges counts into the known transitions, then appends unknown ones', () => {
    const merged = mergeTransitions([
      { from: 'OPEN', to: 'HALF_OPEN', trigger: 'COOLDOWN_EXPIRED', count: 3 },
      { from: 'OPEN', to: 'CLOSED', trigger: 'RECOVERED', count: 1 },
    ]);
    expect(merged).toHaveLength(9);
    expect(merged[5]).toEqual({
      from: 'OPEN',
      to: 'HALF_OPEN',
      trigger: 'COOLDOWN_EXPIRED',
      count: 3,
    });
    expect(merged.filter((m) => m.count === 0)).toHaveLength(7);
    expect(merged[8]).toEqual({ from: 'OPEN', to: 'CLOSED', trigger: 'RECOVERED', count: 1 });
  });

  it('gives every metric a unique name in each system, counters ending in _total', () => {
    expect(new Set(METRICS.map((m) => m.prom)).size).toBe(METRICS.length);
    expect(new Set(METRICS.map((m) => m.otel)).size).toBe(METRICS.length);
    for (const m of METRICS) {
      expect(m.prom).toMatch(/^[a-z_]+$/);
      expect(m.otel).toMatch(/^levee\.[a-z_.]+$/);
      expect(m.prom.endsWith('_total'), m.prom).toBe(m.kind === 'counter');
      for (const l of m.labels) expect(l.otel).toMatch(/^levee\./);
    }
  });
});

describe('errorBudget: 1 − successRate without float noise (#14)', () => {
  it('prints the budget the SLO was written with', () => {
    expect(1 - 0.9).toBe(0.09999999999999998); // what the gauge used to print
    expect(errorBudget(0.9)).toBe(0.1);
    expect(errorBudget(0.99)).toBe(0.01);
    expect(errorBudget(0.995)).toBe(0.005);
    expect(errorBudget(0.999)).toBe(0.001);
    expect(errorBudget(0.9999)).toBe(0.0001);
    expect(errorBudget(0.5)).toBe(0.5);
    expect(errorBudget(0.25)).toBe(0.75);
    expect(String(errorBudget(0.99999))).toBe('0.00001');
    expect(errorBudget(1e-7)).toBe(0.9999999); // String() writes it with an exponent
    expect(errorBudget(2.5e-8)).toBe(0.999999975);
  });

  it('is the nearest double to the decimal complement for SLOs of up to 12 decimals', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1 }), (places, raw) => {
        const scale = 10 ** places;
        // 1 … scale − 1, half of the draws below 1000 (String() writes those with an exponent).
        const k = 1 + (raw % (raw % 2 === 0 ? Math.min(999, scale - 1) : scale - 1));
        // k / scale and (scale − k) / scale are correctly rounded quotients of exact integers.
        expect(errorBudget(k / scale)).toBe((scale - k) / scale);
      }),
      { numRuns: 2000, seed: 14 },
    );
  });

  it('stays within half an ulp of successRate of 1 − successRate for any rate in (0, 1)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 1, noNaN: true, minExcluded: true, maxExcluded: true }),
        (s) => {
          const budget = errorBudget(s);
          expect(Number.isFinite(budget)).toBe(true);
          expect(Math.abs(budget - (1 - s))).toBeLessThanOrEqual(Number.EPSILON / 2);
        },
      ),
      { numRuns: 5000, seed: 14 },
    );
  });
});
