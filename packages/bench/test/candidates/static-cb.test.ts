import { describe, expect, it } from 'vitest';
import { NoCB } from '../../src/candidates/no-cb.js';
import { STATIC_BAU, STATIC_PEAK, StaticCB } from '../../src/candidates/static-cb.js';

const S = 1e9;

const bau = (): StaticCB => new StaticCB('Static-BAU', STATIC_BAU);
const peak = (): StaticCB => new StaticCB('Static-Peak', STATIC_PEAK);

/** Trip a breaker with `n` consecutive failures, the last at `t`. */
function trip(cb: StaticCB, n: number, t: number): void {
  for (let i = 0; i < n; i++) cb.fail(t, 1);
}

describe('Static configs (§3.1)', () => {
  it('match the published table', () => {
    expect(STATIC_BAU).toEqual({
      failureThreshold: 5,
      successThreshold: 3,
      halfOpenTimeoutNs: 10 * S,
      halfOpenMaxCalls: 1,
    });
    expect(STATIC_PEAK).toEqual({
      failureThreshold: 7,
      successThreshold: 5,
      halfOpenTimeoutNs: 30 * S,
      halfOpenMaxCalls: 3,
    });
  });
});

describe('StaticCB CLOSED', () => {
  it('admits everything and opens on the threshold-th consecutive failure', () => {
    const cb = bau();
    expect(cb.start(0)).toBe(true);
    expect(cb.state()).toBe('CLOSED');
    trip(cb, 4, 1 * S);
    expect(cb.state()).toBe('CLOSED');
    cb.success(1 * S, 1); // resets the failure count
    trip(cb, 4, 2 * S);
    expect(cb.state()).toBe('CLOSED');
    cb.fail(3 * S, 1);
    expect(cb.state()).toBe('OPEN');
    expect(cb.start(3 * S)).toBe(false);
  });
});

describe('StaticCB OPEN → HALF_OPEN', () => {
  it('rejects until t − openedAt >= timeout, then admits one probe (BAU) reported as OPEN', () => {
    const cb = bau();
    trip(cb, 5, 100 * S);
    expect(cb.start(109.999 * S)).toBe(false);
    expect(cb.start(110 * S)).toBe(true);
    expect(cb.state()).toBe('OPEN');
    expect(cb.internalState()).toBe('HALF_OPEN');
    expect(cb.probesInFlight).toBe(1);
    expect(cb.start(110 * S)).toBe(false); // max 1 probe
    expect(cb.probesInFlight).toBe(1);
  });

  it('Peak allows 3 concurrent probes', () => {
    const cb = peak();
    trip(cb, 7, 0);
    expect(cb.start(30 * S)).toBe(true);
    expect(cb.start(30 * S)).toBe(true);
    expect(cb.start(30 * S)).toBe(true);
    expect(cb.start(30 * S)).toBe(false);
    expect(cb.probesInFlight).toBe(3);
  });

  it('closes on the success-threshold-th consecutive success in HALF_OPEN', () => {
    const cb = bau();
    trip(cb, 5, 0);
    for (let i = 0; i < 2; i++) {
      expect(cb.start(10 * S + i)).toBe(true);
      cb.success(10 * S + i, 1);
      expect(cb.state()).toBe('OPEN');
    }
    expect(cb.start(11 * S)).toBe(true);
    cb.success(11 * S, 1);
    expect(cb.state()).toBe('CLOSED');
  });

  it('reopens at the failure time on any failure in HALF_OPEN', () => {
    const cb = bau();
    trip(cb, 5, 0);
    cb.start(10 * S);
    cb.fail(12 * S, 1);
    expect(cb.internalState()).toBe('OPEN');
    expect(cb.start(21.999 * S)).toBe(false);
    expect(cb.start(22 * S)).toBe(true);
  });

  it('resets the success counter on entering HALF_OPEN', () => {
    const cb = bau();
    trip(cb, 5, 0);
    cb.success(1 * S, 1); // late successes while OPEN
    cb.success(2 * S, 1);
    cb.success(3 * S, 1);
    expect(cb.state()).toBe('OPEN'); // OPEN never closes on successes
    cb.start(10 * S);
    cb.success(10 * S, 1);
    expect(cb.state()).toBe('OPEN');
  });
});

describe('StaticCB quirks', () => {
  it('late outcomes in HALF_OPEN decrement the probe counter below zero, allowing extra probes', () => {
    const cb = bau();
    trip(cb, 5, 0);
    expect(cb.start(10 * S)).toBe(true); // probe 1
    cb.success(10 * S, 1); // the probe
    cb.success(10 * S, 1); // a late success of a request admitted while CLOSED
    expect(cb.probesInFlight).toBe(-1);
    expect(cb.start(10 * S)).toBe(true);
    expect(cb.start(10 * S)).toBe(true); // counter back at 1: two probes in flight now
    expect(cb.start(10 * S)).toBe(false);
    expect(cb.state()).toBe('OPEN');
  });

  it('late successes while HALF_OPEN can close the breaker', () => {
    const cb = bau();
    trip(cb, 5, 0);
    cb.start(10 * S);
    cb.success(10 * S, 1);
    cb.success(10 * S, 1);
    cb.success(10 * S, 1);
    expect(cb.state()).toBe('CLOSED');
  });

  it('late failures while OPEN do not move openedAt', () => {
    const cb = bau();
    trip(cb, 5, 0);
    trip(cb, 20, 5 * S);
    expect(cb.state()).toBe('OPEN');
    expect(cb.start(10 * S)).toBe(true);
  });

  it('cancel undoes a HALF_OPEN admission', () => {
    const cb = bau();
    trip(cb, 5, 0);
    expect(cb.start(10 * S)).toBe(true);
    cb.cancel();
    expect(cb.probesInFlight).toBe(0);
    expect(cb.start(10 * S)).toBe(true);
  });

  it('ignores latency arguments', () => {
    const a = bau();
    const b = bau();
    for (let i = 0; i < 5; i++) {
      a.fail(i, 1);
      b.fail(i, 1e12);
    }
    expect(a.state()).toBe(b.state());
  });
});

describe('NoCB', () => {
  it('always admits, always CLOSED', () => {
    const cb = new NoCB();
    expect(cb.name).toBe('No-CB');
    for (let i = 0; i < 100; i++) {
      cb.fail(i, 1);
      expect(cb.start(i)).toBe(true);
      expect(cb.state()).toBe('CLOSED');
    }
  });
});
