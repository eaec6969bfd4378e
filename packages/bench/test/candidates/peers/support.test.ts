import { afterEach, describe, expect, it, vi } from 'vitest';
import { PendingByStart } from '../../../src/candidates/peers/pending.js';
import { SeededRandom } from '../../../src/candidates/peers/prng.js';
import { SyncPromise } from '../../../src/candidates/peers/sync-promise.js';
import { VirtualClock } from '../../../src/candidates/peers/virtual-clock.js';

describe('SeededRandom', () => {
  it('is a pure function of the seed', () => {
    const a = new SeededRandom(42);
    const b = new SeededRandom(42);
    const c = new SeededRandom(43);
    const xs = Array.from({ length: 100 }, () => a.nextUint32());
    const ys = Array.from({ length: 100 }, () => b.nextUint32());
    const zs = Array.from({ length: 100 }, () => c.nextUint32());
    expect(xs).toEqual(ys);
    expect(xs).not.toEqual(zs);
    expect(new Set(xs).size).toBe(100);
  });

  it('gives uniform floats in [0, 1) and ranges', () => {
    const r = new SeededRandom(7);
    let sum = 0;
    let min = 1;
    let max = 0;
    const n = 20_000;
    for (let i = 0; i < n; i++) {
      const x = r.nextFloat();
      sum += x;
      min = Math.min(min, x);
      max = Math.max(max, x);
    }
    expect(min).toBeGreaterThanOrEqual(0);
    expect(max).toBeLessThan(1);
    expect(Math.abs(sum / n - 0.5)).toBeLessThan(0.01);
    let lo = 1;
    let hi = 0;
    for (let i = 0; i < 1000; i++) {
      const y = r.nextRange(0.5, 1);
      lo = Math.min(lo, y);
      hi = Math.max(hi, y);
    }
    expect(lo).toBeGreaterThanOrEqual(0.5);
    expect(hi).toBeLessThan(1);
  });

  it('accepts seeds beyond 32 bits and zero', () => {
    expect(new SeededRandom(0).nextUint32()).not.toBe(new SeededRandom(2 ** 32).nextUint32());
    expect(new SeededRandom(0).nextUint32()).toBe(new SeededRandom(0).nextUint32());
  });
});

describe('PendingByStart', () => {
  it('finds entries by start time, FIFO among equal start times', () => {
    const p = new PendingByStart<string>();
    p.put(10, 'a');
    p.put(20, 'b');
    p.put(10, 'c');
    p.put(10, 'd');
    expect(p.size).toBe(4);
    expect(p.take(20)).toBe('b');
    expect(p.take(10)).toBe('a');
    expect(p.take(10)).toBe('c');
    expect(p.take(10)).toBe('d');
    expect(p.size).toBe(0);
    expect(p.take(10)).toBeUndefined();
  });

  it('falls back to the oldest entry for an unknown start time', () => {
    const p = new PendingByStart<string>();
    p.put(5, 'x');
    p.put(7, 'y');
    expect(p.take(6)).toBe('x');
    expect(p.take(6)).toBe('y');
    expect(p.take(6)).toBeUndefined();
  });
});

describe('SyncPromise', () => {
  it('runs reactions synchronously, in order, with then/catch chains', () => {
    const log: string[] = [];
    const p = new SyncPromise<number>();
    p.then((v) => log.push(`a${v}`)).catch(() => log.push('never'));
    p.then((v) => {
      log.push(`b${v}`);
      throw new Error('boom');
    }).catch((e: unknown) => log.push(`c${(e as Error).message}`));
    expect(log).toEqual([]);
    p.resolve(1);
    expect(log).toEqual(['a1', 'b1', 'cboom']);
    p.resolve(2); // settled once
    p.then((v) => log.push(`late${v}`));
    expect(log).toEqual(['a1', 'b1', 'cboom', 'late1']);
  });

  it('propagates rejections past then() without a handler', () => {
    const log: unknown[] = [];
    const p = new SyncPromise<number>();
    p.then((v) => log.push(v)).catch((e) => log.push(e));
    p.reject('no');
    expect(log).toEqual(['no']);
  });

  it('adopts thenables and supports the static helpers', () => {
    const inner = new SyncPromise<string>();
    const outer = new SyncPromise<string>((resolve) => resolve(inner));
    const log: string[] = [];
    outer.then((v) => log.push(v));
    outer.resolve('ignored'); // locked in on `inner`
    inner.resolve('inner');
    expect(log).toEqual(['inner']);
    SyncPromise.reject('r').catch((e) => log.push(String(e)));
    SyncPromise.resolve('s').then((v) => log.push(v));
    expect(log).toEqual(['inner', 'r', 's']);
    const thrown = new SyncPromise(() => {
      throw new Error('executor');
    });
    thrown.catch((e: unknown) => log.push((e as Error).message));
    expect(log.at(-1)).toBe('executor');
  });

  it('works with await (it is a thenable)', async () => {
    const p = new SyncPromise<number>();
    setTimeout(() => p.resolve(5), 0);
    await expect(p).resolves.toBe(5);
  });
});

describe('VirtualClock', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('shows simulated time inside and the real globals outside', () => {
    const realDate = globalThis.Date;
    const realSetTimeout = globalThis.setTimeout;
    const clock = new VirtualClock();
    const inside = clock.at(12_345_678_901, () => ({
      now: Date.now(),
      date: new Date().toISOString(),
      sameDate: globalThis.Date === realDate,
      sameTimer: globalThis.setTimeout === realSetTimeout,
      limit: Error.stackTraceLimit,
    }));
    expect(inside).toEqual({
      now: 12_345,
      date: '1970-01-01T00:00:12.345Z',
      sameDate: false,
      sameTimer: false,
      limit: 0,
    });
    expect(globalThis.Date).toBe(realDate);
    expect(globalThis.setTimeout).toBe(realSetTimeout);
    expect(Error.stackTraceLimit).toBeGreaterThan(0);
    expect(Math.abs(Date.now() - new realDate().getTime())).toBeLessThan(1000);
    expect(clock.nowMs).toBe(12_345);
    expect(clock.performanceNow()).toBe(12_345);
  });

  it('fires library timers in time order when time passes, with fake globals', () => {
    const clock = new VirtualClock();
    const fired: Array<[string, number]> = [];
    clock.at(0, () => {
      setTimeout(() => fired.push(['t500', Date.now()]), 500);
      const id = setInterval(() => fired.push(['i200', Date.now()]), 200);
      setTimeout(() => clearInterval(id), 650);
      const never = setTimeout(() => fired.push(['never', Date.now()]), 100);
      clearTimeout(never);
    });
    clock.at(450e6, () => fired.push(['event', Date.now()]));
    clock.at(2e9, () => fired.push(['event', Date.now()]));
    expect(fired).toEqual([
      ['i200', 200],
      ['i200', 400],
      ['event', 450],
      ['t500', 500],
      ['i200', 600],
      ['event', 2000],
    ]);
    expect(clock.timerCount).toBe(0);
  });

  it("follows Node's timer rules: 1 ms minimum delay, equal deadlines in creation order", () => {
    const clock = new VirtualClock();
    const fired: Array<[string, number]> = [];
    clock.at(10e6, () => {
      setTimeout(() => fired.push(['zero', Date.now()]), 0);
      setTimeout(() => fired.push(['negative', Date.now()]), -5);
      setTimeout(() => fired.push(['nan', Date.now()]), Number.NaN);
      setTimeout(() => fired.push(['huge', Date.now()]), 2 ** 31);
      setTimeout((a: string, b: string) => fired.push([`${a}${b}`, Date.now()]), 5, 'ar', 'gs');
      setTimeout(() => {
        fired.push(['nested', Date.now()]);
        setTimeout(() => fired.push(['inner', Date.now()]), 0); // 1 ms after its parent fired
      }, 2);
      const t = setTimeout(() => undefined, 1);
      expect(typeof t.unref).toBe('function');
      expect(t.unref()).toBe(t);
      expect(() => setTimeout('code' as unknown as () => void, 1)).toThrow(TypeError);
    });
    clock.at(20e6, () => undefined);
    expect(fired).toEqual([
      ['zero', 11],
      ['negative', 11],
      ['nan', 11],
      ['huge', 11],
      ['nested', 12],
      ['inner', 13],
      ['args', 15],
    ]);
  });

  it('keeps the right timers when most are cleared (lazy deletion and compaction)', () => {
    const clock = new VirtualClock();
    const fired: number[] = [];
    clock.at(0, () => {
      for (let i = 0; i < 20_000; i++) {
        const id = setTimeout(() => fired.push(i), 1 + (i % 997));
        if (i % 10 !== 0) clearTimeout(id);
      }
      clearTimeout(undefined);
      clearInterval({} as unknown as undefined);
    });
    expect(clock.timerCount).toBe(2000);
    clock.at(2e9, () => undefined);
    expect(fired).toHaveLength(2000);
    const when = fired.map((i) => 1 + (i % 997));
    expect(when).toEqual([...when].sort((a, b) => a - b));
    expect(clock.timerCount).toBe(0);
  });

  it('never moves backwards and restores globals when the callback throws', () => {
    const clock = new VirtualClock();
    clock.at(5e9, () => undefined);
    expect(clock.at(1e9, () => Date.now())).toBe(5000);
    const realDate = globalThis.Date;
    expect(() =>
      clock.at(6e9, () => {
        throw new Error('inside');
      }),
    ).toThrow('inside');
    expect(globalThis.Date).toBe(realDate);
    expect(clock.run(() => clock.run(() => Date.now()))).toBe(6000);
    expect(globalThis.Date).toBe(realDate);
  });

  it('can install a replacement Promise while inside', () => {
    const clock = new VirtualClock({ promise: SyncPromise as unknown as PromiseConstructorLike });
    const realPromise = globalThis.Promise;
    const inside = clock.run(() => Promise.resolve(1));
    expect(inside).toBeInstanceOf(SyncPromise);
    expect(globalThis.Promise).toBe(realPromise);
  });

  it('is independent of the real (or an outer fake) clock', () => {
    vi.useFakeTimers({ now: new Date('2031-05-06T07:08:09Z'), toFake: ['Date'] });
    const clock = new VirtualClock();
    expect(clock.at(3e9, () => Date.now())).toBe(3000);
    expect(Date.now()).toBe(new Date('2031-05-06T07:08:09Z').getTime());
  });
});
