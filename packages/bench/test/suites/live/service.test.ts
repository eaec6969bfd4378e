/** The service's worker pool and the client part's dependency, on fake timers. */
import type { ServerResponse } from 'node:http';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_SERVICE, type ServiceConfig } from '../../../src/suites/live/config.js';
import { DependencyHandler, WorkerPool } from '../../../src/suites/live/service.js';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

const config = (extra: Partial<ServiceConfig> = {}): ServiceConfig => ({
  ...DEFAULT_SERVICE,
  slots: 2,
  serviceMs: 10,
  ...extra,
});

describe('the worker pool', () => {
  it('serves `slots` at a time, the rest in FIFO order', () => {
    const pool = new WorkerPool(config(), 1);
    const done: Array<[number, number]> = [];
    for (let i = 0; i < 5; i++) pool.submit((status) => done.push([i, status]));
    expect([pool.busy, pool.queued]).toEqual([2, 3]);
    vi.advanceTimersByTime(10);
    expect(done.map(([i]) => i)).toEqual([0, 1]);
    vi.advanceTimersByTime(20);
    expect(done).toEqual([0, 1, 2, 3, 4].map((i) => [i, 200]));
    expect([pool.busy, pool.queued]).toEqual([0, 0]);
    expect(pool.served).toEqual({ ok: 5, errors: 0, timeouts: 0 });
  });

  it('turns requests away when its bounded queue is full', () => {
    const pool = new WorkerPool(config({ queueLimit: 1 }), 1);
    const accepted = [0, 1, 2, 3].map(() => pool.submit(() => {}));
    expect(accepted).toEqual([true, true, true, false]);
    expect(pool.rejected).toBe(1);
  });

  it('fails the seeded share of calls while the dependency errs, holds slots while it hangs', () => {
    const pool = new WorkerPool(config({ slots: 100, errorShare: 0.2, depTimeoutMs: 500 }), 7);
    pool.mode = 'errors';
    const statuses: number[] = [];
    for (let i = 0; i < 1000; i++) pool.submit((s) => statuses.push(s));
    vi.advanceTimersByTime(10 * 10);
    const errors = statuses.filter((s) => s === 500).length;
    expect(statuses).toHaveLength(1000);
    // Binomial(1000, 0.2): 200 ± 63 (five standard deviations).
    expect(Math.abs(errors - 200)).toBeLessThan(63);
    // Same seed, same draws.
    const again = new WorkerPool(config({ slots: 100, errorShare: 0.2 }), 7);
    again.mode = 'errors';
    const statuses2: number[] = [];
    for (let i = 0; i < 1000; i++) again.submit((s) => statuses2.push(s));
    vi.advanceTimersByTime(100);
    expect(statuses2).toEqual(statuses);

    pool.mode = 'hang';
    const hung: number[] = [];
    pool.submit((s) => hung.push(s));
    vi.advanceTimersByTime(10 + 499);
    expect(hung).toEqual([]);
    expect(pool.busy).toBe(1);
    vi.advanceTimersByTime(1);
    expect(hung).toEqual([504]);
  });

  it('answers by the mode in force when a request takes its slot', () => {
    const pool = new WorkerPool(config({ slots: 1, errorShare: 1 }), 1);
    const statuses: number[] = [];
    pool.submit((s) => statuses.push(s)); // in service under `ok`
    pool.submit((s) => statuses.push(s)); // queued, takes the slot under `errors`
    pool.mode = 'errors';
    vi.advanceTimersByTime(20);
    expect(statuses).toEqual([200, 500]);
  });

  it('stops everything when destroyed', () => {
    const pool = new WorkerPool(config(), 1);
    const done: number[] = [];
    for (let i = 0; i < 4; i++) pool.submit((s) => done.push(s));
    pool.destroy();
    vi.advanceTimersByTime(1000);
    expect(done).toEqual([]);
    expect(pool.submit(() => {})).toBe(false);
  });
});

/** A stand-in response: records the status it was given. */
function fakeResponse() {
  const listeners: Array<() => void> = [];
  const res = {
    status: 0,
    destroyed: false,
    writableEnded: false,
    writeHead(status: number) {
      res.status = status;
    },
    end() {
      res.writableEnded = true;
    },
    once(_event: string, fn: () => void) {
      listeners.push(fn);
    },
    close() {
      res.destroyed = true;
      for (const fn of listeners) fn();
    },
  };
  return res;
}

describe('the dependency', () => {
  it('answers by its mode; a hang parks until the client goes or the hang ends', () => {
    const dep = new DependencyHandler(5);
    const ok = fakeResponse();
    dep.handle(ok as unknown as ServerResponse);
    vi.advanceTimersByTime(5);
    expect(ok.status).toBe(200);
    dep.mode = 'errors';
    const bad = fakeResponse();
    dep.handle(bad as unknown as ServerResponse);
    vi.advanceTimersByTime(5);
    expect(bad.status).toBe(500);
    dep.mode = 'ok';
    const early = fakeResponse();
    dep.handle(early as unknown as ServerResponse); // came in before the hang
    dep.mode = 'hang';
    vi.advanceTimersByTime(5);
    expect(early.status).toBe(200);
    const [a, b] = [fakeResponse(), fakeResponse()];
    dep.handle(a as unknown as ServerResponse);
    dep.handle(b as unknown as ServerResponse);
    vi.advanceTimersByTime(60_000);
    expect([a.status, b.status, dep.parked]).toEqual([0, 0, 2]);
    a.close(); // the client gave up
    expect(dep.parked).toBe(1);
    dep.mode = 'ok';
    expect([a.status, b.status, dep.parked]).toEqual([0, 504, 0]);
  });
});
