import { describe, expect, it } from 'vitest';
import { CrashModel } from '../../../src/sim/backend/crash.js';

const S = 1e9;
const model = (): CrashModel => new CrashModel(3.0, 30 * S, 300 * S);

describe('CrashModel trigger', () => {
  it('crashes at a sample >= 30 s after the first sample with L >= 3.0', () => {
    const c = model();
    expect(c.observe(100 * S, 3.0)).toBe(false); // timer starts (>= 3.0 counts)
    expect(c.observe(110 * S, 4)).toBe(false);
    expect(c.observe(129.999 * S, 5)).toBe(false);
    expect(c.observe(130 * S, 3.5)).toBe(true);
    expect(c.crashed).toBe(true);
    expect(c.recoverAtNs).toBe(430 * S);
  });

  it('any sample below the threshold resets the timer', () => {
    const c = model();
    c.observe(100 * S, 3.2);
    c.observe(120 * S, 2.99);
    expect(c.observe(131 * S, 3.2)).toBe(false);
    expect(c.observe(160 * S, 3.2)).toBe(false);
    expect(c.observe(161 * S, 3.2)).toBe(true);
  });
});

describe('CrashModel recovery', () => {
  it('recovers at or after now + 300 s and counts the crash only then', () => {
    const c = model();
    c.observe(100 * S, 3);
    c.observe(130 * S, 3);
    expect(c.crashes).toBe(0);
    expect(c.recoverIfDue(429.999 * S)).toBe(false);
    expect(c.crashes).toBe(0);
    expect(c.recoverIfDue(430 * S)).toBe(true);
    expect(c.crashes).toBe(1);
    expect(c.crashed).toBe(false);
    expect(c.recoverIfDue(500 * S)).toBe(false);
    expect(c.crashes).toBe(1);
  });

  it('counts a crash still running at the final drain (+∞)', () => {
    const c = model();
    c.observe(100 * S, 3);
    c.observe(130 * S, 3);
    expect(c.recoverIfDue(Number.POSITIVE_INFINITY)).toBe(true);
    expect(c.crashes).toBe(1);
  });

  it('starts a fresh timer after recovery', () => {
    const c = model();
    c.observe(100 * S, 3);
    c.observe(130 * S, 3);
    c.recoverIfDue(430 * S);
    expect(c.observe(431 * S, 3)).toBe(false);
    expect(c.observe(460 * S, 3)).toBe(false);
    expect(c.observe(461 * S, 3)).toBe(true);
  });
});
