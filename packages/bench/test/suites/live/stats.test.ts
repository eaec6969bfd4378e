/** Quantiles and the recovery time. */
import { describe, expect, it } from 'vitest';
import { quantile, RECOVERY_WINDOW_NS, recoverySeconds } from '../../../src/suites/live/stats.js';

describe('quantile', () => {
  it('is the nearest rank', () => {
    const values = Array.from({ length: 100 }, (_, i) => 100 - i); // 100 … 1
    expect(quantile(values, 0.5)).toBe(50);
    expect(quantile(values, 0.99)).toBe(99);
    expect(quantile(values, 1)).toBe(100);
    expect(quantile([3], 0.99)).toBe(3);
    expect(quantile([], 0.5)).toBeNaN();
  });
});

describe('recovery time', () => {
  const W = RECOVERY_WINDOW_NS;
  /** `n` requests per window for `windows` windows, good from window `from` on. */
  function phase(windows: number, from: number, n = 20) {
    const offsets: number[] = [];
    const good: boolean[] = [];
    for (let w = 0; w < windows; w++) {
      for (let i = 0; i < n; i++) {
        offsets.push(w * W + (i * W) / n);
        good.push(w >= from);
      }
    }
    return { offsets, good, duration: windows * W };
  }

  it('is the start of the first window from which all are healthy', () => {
    const p = phase(12, 5);
    expect(recoverySeconds(p.offsets, p.good, p.duration)).toBe(1.25);
    const healthy = phase(8, 0);
    expect(recoverySeconds(healthy.offsets, healthy.good, healthy.duration)).toBe(0);
  });

  it('is null when the phase ends unhealthy, and ignores an early good spell', () => {
    const never = phase(8, 99);
    expect(recoverySeconds(never.offsets, never.good, never.duration)).toBeNull();
    const p = phase(12, 6);
    for (let i = 20; i < 40; i++) p.good[i] = true; // window 1 good, 2-5 bad again
    expect(recoverySeconds(p.offsets, p.good, p.duration)).toBe(1.5);
  });

  it('tolerates up to 10 % failures in a window', () => {
    const p = phase(4, 0);
    p.good[0] = false;
    p.good[1] = false; // 2 of 20 in window 0
    expect(recoverySeconds(p.offsets, p.good, p.duration)).toBe(0);
    p.good[2] = false; // 3 of 20
    expect(recoverySeconds(p.offsets, p.good, p.duration)).toBe(0.25);
  });
});
