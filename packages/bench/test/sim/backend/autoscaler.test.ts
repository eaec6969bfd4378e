import { describe, expect, it } from 'vitest';
import { Autoscaler, durationSeconds } from '../../../src/sim/backend/autoscaler.js';
import {
  DEFAULT_BACKEND_CONFIG,
  resolveBackendConfig,
} from '../../../src/sim/backend/backend-config.js';

const S = 1e9;
const fresh = (): Autoscaler => new Autoscaler(resolveBackendConfig());

describe('durationSeconds (Go Duration.Seconds)', () => {
  it('adds whole seconds and the remainder / 1e9', () => {
    expect(durationSeconds(1_500_000_000)).toBe(1.5);
    expect(durationSeconds(2_000_000_001)).toBe(2 + 1 / 1e9);
    expect(durationSeconds(999_999_999)).toBe(999_999_999 / 1e9);
  });
});

describe('Autoscaler demand estimate', () => {
  it('closes a window at the first request with span >= 1 s, counting it', () => {
    const a = fresh();
    // requests every 100 ms from t = 0.1 s: the window opens at 0.1 s.
    for (let i = 1; i <= 10; i++) a.recordRequest(i * 0.1 * S);
    expect(a.rps).toBe(0);
    a.recordRequest(1.1 * S); // span exactly 1 s, 11 requests
    expect(a.rps).toBe(0.3 * (11 / 1) + 0.7 * 0);
    // The next window starts at 1.1 s with count 0.
    for (let i = 12; i <= 20; i++) a.recordRequest(i * 0.1 * S);
    const before = a.rps;
    a.recordRequest(2.1 * S); // span 1 s, 10 requests
    expect(a.rps).toBe(0.3 * (10 / 1) + 0.7 * before);
  });

  it('uses the span of the window, not a fixed second', () => {
    const a = fresh();
    a.recordRequest(5 * S);
    a.recordRequest(7.5 * S);
    expect(a.rps).toBe(0.3 * (2 / 2.5));
  });
});

describe('Autoscaler tick', () => {
  it('evaluates on the first call, then at most once per 15 s', () => {
    const a = fresh();
    a.rps = 500; // target ceil(500 / 105) = 5
    a.tick(1 * S);
    expect(a.pending).toBe(4);
    expect(a.historyLength).toBe(1);
    a.tick(15.999 * S);
    expect(a.historyLength).toBe(1);
    a.tick(16 * S); // exactly 15 s later: evaluates
    expect(a.historyLength).toBe(2);
  });

  it('makes pending replicas live strictly after readyAt = decision + 30 s', () => {
    const a = fresh();
    a.rps = 500;
    a.tick(1 * S);
    expect(a.readyAtNs).toBe(31 * S);
    a.tick(31 * S);
    expect(a.live).toBe(1);
    a.tick(31 * S + 1);
    expect(a.live).toBe(5);
    expect(a.pending).toBe(0);
  });

  it('restarts the provisioning timer for all pending replicas on a further scale-up', () => {
    const a = fresh();
    a.rps = 200; // target 2
    a.tick(1 * S);
    expect(a.pending).toBe(1);
    a.rps = 500; // target 5
    a.tick(16 * S);
    expect(a.pending).toBe(4);
    expect(a.readyAtNs).toBe(46 * S);
    a.tick(31.5 * S);
    expect(a.live).toBe(1);
    a.tick(46 * S + 1);
    expect(a.live).toBe(5);
  });

  it('clamps the target to 1..8', () => {
    const a = fresh();
    a.rps = 0;
    a.tick(1 * S);
    expect(a.live + a.pending).toBe(1);
    a.rps = 1e6;
    a.tick(16 * S);
    expect(a.live + a.pending).toBe(8);
    // ceil(rps / 105): 105 → 1, 105.0001 → 2
    const b = fresh();
    b.rps = 105;
    b.tick(1 * S);
    expect(b.pending).toBe(0);
    b.rps = 105.0001;
    b.tick(16 * S);
    expect(b.pending).toBe(1);
  });

  it('does not scale down within 600 s of the last scale-up', () => {
    const a = fresh();
    a.rps = 500;
    a.tick(1 * S); // scale-up decision at 1 s
    a.tick(32 * S); // live 5
    expect(a.live).toBe(5);
    a.rps = 100; // target 1, utilisation 100 / 750 < 0.63
    for (let t = 47; t < 601; t += 15) {
      a.tick(t * S);
      expect(a.live).toBe(5);
    }
    a.tick(600.999 * S);
    expect(a.live).toBe(5);
    a.tick(616 * S); // 615 s after the scale-up; all samples in the last 300 s are low
    expect(a.live).toBe(1);
  });

  it('scales down only when every sample of the last 300 s is below 0.63, pruning strictly older ones', () => {
    const a = fresh();
    a.rps = 200; // target 2
    a.tick(1 * S);
    a.tick(32 * S);
    expect(a.live).toBe(2);
    a.rps = 100; // target 1, util 100 / 300
    a.tick(700 * S); // past the 600 s delay, all samples so far are low... except the first ones
    // samples at 1 s (0) and 32 s (200 / 300 = 0.667) are older than 700 − 300 s: pruned.
    expect(a.live).toBe(1);

    const b = fresh();
    b.rps = 200;
    b.tick(1 * S);
    b.tick(32 * S);
    b.rps = 190; // util 190 / 300 = 0.633 ≥ 0.63, target 2 = live: a high sample at 700 s
    b.tick(700 * S);
    b.rps = 100;
    b.tick(715 * S);
    expect(b.live).toBe(2);
    b.tick(1000 * S); // the 700 s sample is exactly 300 s old: still in the window
    expect(b.live).toBe(2);
    b.tick(1000 * S + 15 * S); // now it is pruned
    expect(b.live).toBe(1);
  });

  it('scale-down threshold is 0.70 × 0.9 = 0.63 (strictly below)', () => {
    const a = fresh();
    a.rps = 200;
    a.tick(1 * S);
    a.tick(32 * S);
    a.rps = 0.63 * 300; // util exactly 0.63, target ceil(189 / 105) = 2 = live
    a.tick(700 * S);
    a.rps = 10;
    a.tick(715 * S);
    expect(a.live).toBe(2);
  });

  it('after a crash: back to 1 replica, nothing pending, scale-up time forgotten, rps kept', () => {
    const a = fresh();
    a.rps = 500;
    a.tick(1 * S);
    a.tick(32 * S);
    expect(a.live).toBe(5);
    a.resetAfterCrash();
    expect(a.live).toBe(1);
    expect(a.pending).toBe(0);
    expect(a.rps).toBe(500);
    a.tick(340 * S); // re-scales at once (30 s lag)
    expect(a.pending).toBe(4);
    expect(a.readyAtNs).toBe(370 * S);
  });

  it('takes its parameters from the config', () => {
    const a = new Autoscaler({ ...DEFAULT_BACKEND_CONFIG, maxReplicas: 3, minReplicas: 2 });
    expect(a.live).toBe(2);
    a.rps = 1e6;
    a.tick(1 * S);
    expect(a.pending).toBe(1);
  });
});
