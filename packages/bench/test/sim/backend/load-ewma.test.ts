import { describe, expect, it } from 'vitest';
import { DEFAULT_BACKEND_CONFIG } from '../../../src/sim/backend/backend-config.js';
import { LoadEwma } from '../../../src/sim/backend/load-ewma.js';

const HALF_LIFE = 5e9;
/** Upstream's ln 2 literal, as configured. */
const LN2 = DEFAULT_BACKEND_CONFIG.loadEwmaLn2;

describe('LoadEwma (§5.4 step 3)', () => {
  it('initialises with the first sample (stored time 0)', () => {
    const e = new LoadEwma(HALF_LIFE, LN2);
    expect(e.update(1_000, 0.7)).toBe(0.7);
    expect(e.lastUpdateNs).toBe(1_000);
  });

  it('uses α = 1 − exp(((−dt) × 0.693147) / 5e9) with the literal, not ln 2', () => {
    // biome-ignore lint/suspicious/noApproximativeNumericConstant: the literal is the point
    expect(LN2).toBe(0.693147);
    const e = new LoadEwma(HALF_LIFE, LN2);
    e.update(1e9, 1);
    const dt = 123_456_789;
    const alpha = 1 - Math.exp((-dt * LN2) / 5e9);
    const expected = alpha * 3 + (1 - alpha) * 1;
    expect(e.update(1e9 + dt, 3)).toBe(expected);
    const exactLn2 = 1 - Math.exp((-dt * Math.LN2) / 5e9);
    expect(alpha).not.toBe(exactLn2);
  });

  it('halves the distance to a constant input after one half-life (approximately)', () => {
    const e = new LoadEwma(HALF_LIFE, LN2);
    e.update(1, 0);
    expect(e.update(1 + 5e9, 1)).toBeCloseTo(0.5, 6);
  });

  it('ignores samples with dt <= 0', () => {
    const e = new LoadEwma(HALF_LIFE, LN2);
    e.update(10e9, 1);
    e.update(11e9, 2);
    const v = e.value;
    expect(e.update(11e9, 100)).toBe(v);
    expect(e.update(10e9, 100)).toBe(v);
    expect(e.lastUpdateNs).toBe(11e9);
  });

  it('after resetValue keeps the last-update time, so a long gap replaces the value', () => {
    const e = new LoadEwma(HALF_LIFE, LN2);
    e.update(10e9, 4);
    e.resetValue();
    expect(e.value).toBe(0);
    expect(e.lastUpdateNs).toBe(10e9);
    // 300 s later α rounds to 1: the value is simply replaced.
    expect(e.update(310e9, 0.25)).toBe(0.25);
  });
});
