/** The in-band forms: call() and tryAcquire() permits, on an injected clock. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  isCircuitOpenError,
  isLimitReachedError,
  isShedError,
  Levee,
  LimitReachedError,
  ShedError,
} from '../../src/index.js';

function clocked(successRate = 0.9) {
  const clock = { now: 0 };
  const levee = new Levee({ successRate, timeoutMs: 1000 }, { clock: () => clock.now });
  return { clock, levee };
}

/** Trips the breaker with failing calls, leaving it THROTTLED at limit 1 with one slot taken. */
async function tripAndFill(levee: Levee, clock: { now: number }) {
  while (levee.state === 'CLOSED') {
    clock.now += 10;
    await levee.call(() => Promise.reject(new Error('x'))).catch(() => {});
  }
  let release!: () => void;
  const held = levee.call(() => new Promise<void>((r) => (release = r)));
  return { held, release: () => release() };
}

describe('call()', () => {
  it('runs fn once, returns its value, records a success with the measured duration', async () => {
    const { clock, levee } = clocked();
    let runs = 0;
    const v = await levee.call(async () => {
      runs++;
      clock.now += 25;
      return 'ok';
    });
    expect([v, runs, levee.state, levee.inflight]).toEqual(['ok', 1, 'CLOSED', 0]);
    expect(levee.snapshot().latencyMs).toBeCloseTo(25, 9);
    expect(levee.snapshot().counters.succeeded).toBe(1);
  });

  it('accepts synchronous functions, both returning and throwing', async () => {
    const { levee } = clocked();
    expect(await levee.call(() => 42)).toBe(42);
    const boom = new Error('sync');
    await expect(
      levee.call(() => {
        throw boom;
      }),
    ).rejects.toBe(boom);
    expect(levee.snapshot().counters).toMatchObject({ succeeded: 1, failed: 1 });
    expect(levee.inflight).toBe(0);
  });

  it('re-throws a rejection as it is and counts a failure; one failure stays CLOSED', async () => {
    const { levee } = clocked();
    const err = new Error('downstream');
    await expect(levee.call(() => Promise.reject(err))).rejects.toBe(err);
    expect(levee.state).toBe('CLOSED');
    expect(levee.snapshot().counters.failed).toBe(1);
  });

  it('passes an AbortSignal to fn: the caller’s, or one that never aborts', async () => {
    const { levee } = clocked();
    const seen: AbortSignal[] = [];
    await levee.call((s) => seen.push(s));
    const ac = new AbortController();
    await levee.call((s) => seen.push(s), { signal: ac.signal });
    expect(seen[0]).toBeInstanceOf(AbortSignal);
    expect(seen[0]!.aborted).toBe(false);
    expect(seen[1]).toBe(ac.signal);
  });

  it('a pre-aborted signal rejects with its reason without running fn or taking a slot', async () => {
    const { levee } = clocked();
    const ac = new AbortController();
    ac.abort(new Error('gone'));
    let ran = false;
    await expect(levee.call(() => (ran = true), { signal: ac.signal })).rejects.toThrow('gone');
    expect(ran).toBe(false);
    expect(levee.snapshot().counters.admitted).toBe(0);
  });

  it('an abort mid-call rejects at once and releases the slot without an outcome', async () => {
    const { levee } = clocked();
    const ac = new AbortController();
    let finish!: (v: string) => void;
    const p = levee.call(() => new Promise<string>((r) => (finish = r)), { signal: ac.signal });
    expect(levee.inflight).toBe(1);
    ac.abort(new Error('client went away'));
    await expect(p).rejects.toThrow('client went away');
    expect(levee.inflight).toBe(0);
    expect(levee.snapshot().counters).toMatchObject({ cancelled: 1, succeeded: 0, failed: 0 });
    finish('late'); // a late result changes nothing
    await Promise.resolve();
    expect(levee.snapshot().counters).toMatchObject({ cancelled: 1, succeeded: 0, failed: 0 });
  });

  it('a timeout abort counts as a failure', async () => {
    const { levee } = clocked();
    const ac = new AbortController();
    const p = levee.call(() => new Promise(() => {}), { signal: ac.signal });
    ac.abort(new DOMException('deadline', 'TimeoutError'));
    await expect(p).rejects.toMatchObject({ name: 'TimeoutError' });
    expect(levee.snapshot().counters).toMatchObject({ failed: 1, cancelled: 0 });
    expect(levee.inflight).toBe(0);
  });

  it('sheds a full limit with LimitReachedError without running fn', async () => {
    const { clock, levee } = clocked();
    const { held, release } = await tripAndFill(levee, clock);
    let ran = false;
    const err = await levee.call(() => (ran = true)).catch((e: unknown) => e);
    expect(ran).toBe(false);
    expect(err).toBeInstanceOf(LimitReachedError);
    expect(err).toBeInstanceOf(ShedError);
    expect([isShedError(err), isLimitReachedError(err), isCircuitOpenError(err)]).toEqual([
      true,
      true,
      false,
    ]);
    const e = err as LimitReachedError;
    expect([e.name, e.code, e.reason, e.state, e.trigger]).toEqual([
      'LimitReachedError',
      'ERR_LIMIT_REACHED',
      'limit',
      'THROTTLED',
      'CONSECUTIVE_FAILURES',
    ]);
    expect(e.message).toBe(
      'concurrency limit reached (state THROTTLED, trigger CONSECUTIVE_FAILURES)',
    );
    expect(e.retryAfterMs).toBeGreaterThanOrEqual(1);
    release();
    await held;
    expect(levee.inflight).toBe(0);
  });

  it('rejects a non-function with a TypeError naming it', async () => {
    const { levee } = clocked();
    await expect(levee.call(42 as never)).rejects.toThrow(/fn must be a function, got 42/);
  });

  it('never leaks a slot under arbitrary interleavings of resolve, reject, throw and abort', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.scheduler(),
        fc.array(fc.constantFrom('resolve', 'reject', 'throw', 'abort', 'timeout', 'sync'), {
          minLength: 1,
          maxLength: 40,
        }),
        async (s, plan) => {
          const { clock, levee } = clocked(0.5);
          const calls = plan.map((kind, i) => {
            clock.now += 1;
            const ac = new AbortController();
            const p = levee.call(
              () => {
                if (kind === 'throw') throw new Error(`t${i}`);
                if (kind === 'sync') return i;
                return s.schedule(
                  kind === 'reject' ? Promise.reject(new Error(`r${i}`)) : Promise.resolve(i),
                );
              },
              { signal: ac.signal },
            );
            if (kind === 'abort' || kind === 'timeout') {
              s.scheduleFunction(async () => {
                ac.abort(
                  kind === 'timeout' ? new DOMException('t', 'TimeoutError') : new Error('a'),
                );
              })();
            }
            return p.then(
              () => 'ok',
              () => 'err',
            );
          });
          await s.waitAll();
          await Promise.all(calls);
          const c = levee.snapshot().counters;
          expect(levee.inflight).toBe(0);
          expect(c.admitted).toBe(c.succeeded + c.failed + c.cancelled);
          expect(c.admitted + c.rejected).toBe(plan.length);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('no leaked slot (issue #12)', () => {
  it('call() with a signal: a thenable whose then() throws fails the call and frees the slot', async () => {
    const { levee } = clocked();
    const bad = new Error('then() threw');
    const thenable = {
      // biome-ignore lint/suspicious/noThenProperty: a hostile thenable is the point
      then() {
        throw bad;
      },
    };
    const p = levee.call(() => thenable as unknown as PromiseLike<number>, {
      signal: new AbortController().signal,
    });
    await expect(p).rejects.toBe(bad);
    expect(levee.inflight).toBe(0);
    expect(levee.snapshot().counters).toMatchObject({ admitted: 1, failed: 1 });
  });

  it('call(): a `then` getter that throws fails the call and frees the slot', async () => {
    const { levee } = clocked();
    const bad = new Error('getter threw');
    const hostile = Object.defineProperty({}, 'then', {
      get() {
        throw bad;
      },
    });
    await expect(levee.call(() => hostile)).rejects.toBe(bad);
    expect(levee.inflight).toBe(0);
    expect(levee.snapshot().counters).toMatchObject({ admitted: 1, failed: 1 });
  });

  it('call(): fn that aborts the signal itself and never settles rejects at once and frees the slot', async () => {
    const { levee } = clocked();
    const ac = new AbortController();
    const p = levee.call(
      () => {
        ac.abort(new Error('changed my mind'));
        return new Promise(() => {});
      },
      { signal: ac.signal },
    );
    await expect(p).rejects.toThrow('changed my mind');
    expect(levee.inflight).toBe(0);
    expect(levee.snapshot().counters).toMatchObject({ admitted: 1, cancelled: 1 });
  });

  it('call() rejects a signal that is not an AbortSignal before admitting anything', async () => {
    const { levee } = clocked();
    await expect(levee.call(() => 1, { signal: { aborted: false } as never })).rejects.toThrow(
      'options.signal must be an AbortSignal, got [object Object]',
    );
    await expect(levee.call(() => 1, 5 as never)).rejects.toThrow(
      'options must be an object, got 5',
    );
    expect(levee.snapshot().counters.admitted).toBe(0);
  });

  it.each([
    ['NaN', Number.NaN],
    ['Infinity', Number.POSITIVE_INFINITY],
    ['1e300', 1e300],
    ['a string', '12' as unknown as number],
    ['a throw', 'throw'],
  ])('a Permit completed while the clock returns %s frees its slot', (_name, bad) => {
    let now: unknown = 100;
    const levee = new Levee(
      { successRate: 0.9, timeoutMs: 1000 },
      {
        clock: () => {
          if (now === 'throw') throw new Error('clock broke');
          return now as number;
        },
      },
    );
    const p = levee.tryAcquire()!;
    now = bad;
    expect(p.success()).toBe(true);
    expect(levee.inflight).toBe(0);
    expect(levee.snapshot().counters).toMatchObject({ admitted: 1, succeeded: 1 });
    expect(Number.isFinite(levee.snapshot().latencyMs)).toBe(true);
  });

  it.each([
    ['NaN', Number.NaN],
    ['1e300', 1e300],
    ['a throw', 'throw'],
  ])('call() settled while the clock returns %s frees its slot', async (_name, bad) => {
    let now: unknown = 100;
    const levee = new Levee(
      { successRate: 0.9, timeoutMs: 1000 },
      {
        clock: () => {
          if (now === 'throw') throw new Error('clock broke');
          return now as number;
        },
      },
    );
    let release!: () => void;
    const p = levee.call(() => new Promise<void>((r) => (release = r)));
    now = bad;
    release();
    await p;
    expect(levee.inflight).toBe(0);
    expect(levee.snapshot().counters).toMatchObject({ admitted: 1, succeeded: 1 });
  });

  it('a clock that returns no valid time at admission throws from tryAcquire() and call(), admitting nothing', async () => {
    const levee = new Levee({ successRate: 0.9, timeoutMs: 1000 }, { clock: () => Number.NaN });
    expect(() => levee.tryAcquire()).toThrow(
      'options.clock() must be a finite number of milliseconds, got NaN',
    );
    await expect(levee.call(() => 1)).rejects.toThrow(RangeError);
    expect(levee.snapshot().counters.admitted).toBe(0);
  });
});

describe('tryAcquire() permits', () => {
  it('complete exactly once; later completions are ignored and return false', () => {
    const { clock, levee } = clocked();
    const p = levee.tryAcquire()!;
    expect(p.pending).toBe(true);
    clock.now += 7;
    expect(p.success()).toBe(true);
    expect(p.success()).toBe(false);
    expect(p.fail()).toBe(false);
    expect(p.cancel()).toBe(false);
    expect(p.pending).toBe(false);
    expect(levee.inflight).toBe(0);
    expect(levee.snapshot().counters).toMatchObject({ admitted: 1, succeeded: 1, failed: 0 });
    expect(levee.snapshot().latencyMs).toBeCloseTo(7, 9);
  });

  it('returns undefined when shed', async () => {
    const { clock, levee } = clocked();
    const { held, release } = await tripAndFill(levee, clock);
    expect(levee.tryAcquire()).toBeUndefined();
    release();
    await held;
  });

  it('a clock that goes backwards gives a zero duration, not a negative one', () => {
    const { clock, levee } = clocked();
    clock.now = 100;
    const p = levee.tryAcquire()!;
    clock.now = 50;
    expect(p.success()).toBe(true);
    expect(levee.snapshot().latencyMs).toBe(0);
  });
});
