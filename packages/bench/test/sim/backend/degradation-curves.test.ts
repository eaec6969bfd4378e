import { describe, expect, it } from 'vitest';
import { extraErrorRate, latencyMultiplier } from '../../../src/sim/backend/degradation-curves.js';

describe('latencyMultiplier (§5.4 step 5)', () => {
  it('is 1 up to L = 0.8', () => {
    expect(latencyMultiplier(0)).toBe(1);
    expect(latencyMultiplier(0.5)).toBe(1);
    expect(latencyMultiplier(0.8)).toBe(1);
  });

  it('hits the breakpoints 1.5 at L = 1, 3 at L = 1.5, 10 at L = 2.5', () => {
    expect(latencyMultiplier(1.0)).toBeCloseTo(1.5, 12);
    expect(latencyMultiplier(1.5)).toBe(3);
    expect(latencyMultiplier(2.5)).toBe(10);
  });

  it('interpolates linearly inside each segment', () => {
    expect(latencyMultiplier(0.9)).toBeCloseTo(1.25, 12);
    expect(latencyMultiplier(1.25)).toBeCloseTo(2.25, 12);
    expect(latencyMultiplier(2.0)).toBeCloseTo(6.5, 12);
  });

  it('evaluates in the spec order (bit-exact forms)', () => {
    expect(latencyMultiplier(0.9)).toBe(1 + (0.5 * (0.9 - 0.8)) / 0.2);
    expect(latencyMultiplier(1.2)).toBe(1.5 + (1.5 * (1.2 - 1)) / 0.5);
    expect(latencyMultiplier(1.7)).toBe(3 + 7 * (1.7 - 1.5));
  });

  it('is capped at 10 above L = 2.5', () => {
    expect(latencyMultiplier(2.5000001)).toBe(10);
    expect(latencyMultiplier(40)).toBe(10);
  });

  it('is continuous and non-decreasing', () => {
    let prev = latencyMultiplier(0);
    for (let l = 0; l <= 3; l += 0.001) {
      const m = latencyMultiplier(l);
      expect(m).toBeGreaterThanOrEqual(prev - 1e-12);
      expect(Math.abs(m - prev)).toBeLessThan(0.01);
      prev = m;
    }
  });
});

describe('extraErrorRate (§5.4 step 5)', () => {
  it('is 0 up to L = 1', () => {
    expect(extraErrorRate(0)).toBe(0);
    expect(extraErrorRate(0.99)).toBe(0);
    expect(extraErrorRate(1)).toBe(0);
  });

  it('hits the breakpoints 0.10 at L = 1.5 and 0.40 at L = 2.5', () => {
    expect(extraErrorRate(1.5)).toBeCloseTo(0.1, 15);
    expect(extraErrorRate(2.5)).toBeCloseTo(0.4, 15);
    expect(extraErrorRate(3)).toBe(0.4);
  });

  it('interpolates inside the segments', () => {
    expect(extraErrorRate(1.25)).toBeCloseTo(0.05, 15);
    expect(extraErrorRate(2)).toBeCloseTo(0.25, 15);
    expect(extraErrorRate(1.000001)).toBeGreaterThan(0);
  });
});
