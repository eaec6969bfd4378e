/**
 * Distinct, typed rejection reasons (issue #14): a CircuitOpenError when the
 * circuit is OPEN, a LimitReachedError when the limit (or the one-probe rule)
 * sheds; helpers that find them inside `cause` chains; the `{ slo }` form of
 * the constructor.
 */
import { describe, expect, it } from 'vitest';
import {
  CircuitOpenError,
  findShedError,
  isCircuitOpenError,
  isLimitReachedError,
  isShedError,
  Levee,
  LimitReachedError,
  ShedError,
} from '../../src/index.js';

const SLO = { successRate: 0.9, timeoutMs: 1000 };

/** Warm, then failures until THROTTLED at limit 1; returns the time. */
function throttled(levee: Levee): number {
  let t = 0;
  for (let i = 0; i < 100; i++, t += 10) {
    levee.start(t);
    levee.success(t + 1, 1);
  }
  while (levee.state === 'CLOSED') {
    levee.start(t);
    levee.fail(t + 1, 1);
    t += 10;
  }
  return t;
}

describe('shed errors', () => {
  it('limit full: LimitReachedError, reason limit, an accurate message', () => {
    const levee = new Levee(SLO);
    const t = throttled(levee);
    expect(levee.start(t).admitted).toBe(true); // the one slot
    expect(levee.start(t + 1).admitted).toBe(false);
    const err = levee.shedError(t + 1);
    expect(err).toBeInstanceOf(LimitReachedError);
    expect(err).toBeInstanceOf(ShedError);
    expect(err).toBeInstanceOf(Error);
    expect(err).toMatchObject({
      name: 'LimitReachedError',
      code: 'ERR_LIMIT_REACHED',
      reason: 'limit',
      state: 'THROTTLED',
    });
    expect(err.message).toBe(`concurrency limit reached (state THROTTLED, trigger ${err.trigger})`);
    expect(err.retryAfterMs).toBeGreaterThanOrEqual(1);
    expect(err.stack).not.toMatch(/\n\s+at /); // built without a stack trace
  });

  it('one probe per window at the floor: LimitReachedError, reason probe', () => {
    const levee = new Levee(SLO);
    const t = throttled(levee);
    expect(levee.start(t).admitted).toBe(true);
    levee.success(t + 1, 1); // the window's probe is done, nothing in flight
    expect(levee.start(t + 2).admitted).toBe(false);
    const err = levee.shedError(t + 2);
    expect(err).toBeInstanceOf(LimitReachedError);
    expect(err.reason).toBe('probe');
    expect(err.message).toMatch(
      /^concurrency limit reached: one probe per evaluation window at limit 1 \(state THROTTLED, trigger /,
    );
  });

  it('OPEN: CircuitOpenError, reason open, the rest of the cooldown', async () => {
    let now = 0;
    const levee = new Levee(SLO, { clock: () => now });
    now = throttled(levee);
    levee.start(now);
    levee.fail(now + 1, 1);
    now += 1000;
    const err = await levee.call(() => 1).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CircuitOpenError);
    expect(err).toMatchObject({
      name: 'CircuitOpenError',
      code: 'ERR_CIRCUIT_OPEN',
      reason: 'open',
      state: 'OPEN',
      trigger: 'MIN_LIMIT_FAILURE_RATE',
      retryAfterMs: 1000,
      message: 'circuit breaker is open (state OPEN, trigger MIN_LIMIT_FAILURE_RATE)',
    });
    expect([isShedError(err), isCircuitOpenError(err), isLimitReachedError(err)]).toEqual([
      true,
      true,
      false,
    ]);
  });

  it('the public constructors build the same errors; messages are shared strings', () => {
    const a = new CircuitOpenError('OPEN', 'MIN_LIMIT_FAILURE_RATE', 5);
    const b = new CircuitOpenError('OPEN', 'MIN_LIMIT_FAILURE_RATE', 6);
    expect(a.message).toBe(b.message);
    expect(Object.keys(a).sort()).toEqual(['reason', 'retryAfterMs', 'state', 'trigger']);
    const l = new LimitReachedError('HALF_OPEN', 'COOLDOWN_EXPIRED', 7, 'probe');
    expect([l.name, l.code, l.reason, l.retryAfterMs]).toEqual([
      'LimitReachedError',
      'ERR_LIMIT_REACHED',
      'probe',
      7,
    ]);
    expect(new LimitReachedError('THROTTLED', 'SURGE', 1).reason).toBe('limit');
  });
});

describe('recognising shed errors, also inside cause chains', () => {
  const open = new CircuitOpenError('OPEN', 'MIN_LIMIT_FAILURE_RATE', 10);
  const limit = new LimitReachedError('THROTTLED', 'SURGE', 10);

  it('finds them behind wrappers such as undici’s TypeError: fetch failed', () => {
    const wrapped = new TypeError('fetch failed', { cause: limit });
    const deeper = new Error('request failed', {
      cause: new Error('retry gave up', { cause: open }),
    });
    expect(isShedError(wrapped)).toBe(true);
    expect(isLimitReachedError(wrapped)).toBe(true);
    expect(isCircuitOpenError(wrapped)).toBe(false);
    expect(findShedError(wrapped)).toBe(limit);
    expect(isCircuitOpenError(deeper)).toBe(true);
    expect(findShedError(deeper)?.retryAfterMs).toBe(10);
  });

  it('recognises errors of another realm or a duplicate install by code', () => {
    const foreign = Object.assign(new Error('circuit breaker is open'), {
      code: 'ERR_CIRCUIT_OPEN',
      retryAfterMs: 3,
    });
    expect(isCircuitOpenError(foreign)).toBe(true);
    expect(isShedError({ code: 'ERR_LIMIT_REACHED' })).toBe(true);
    expect(isLimitReachedError(new Error('x', { cause: { code: 'ERR_LIMIT_REACHED' } }))).toBe(
      true,
    );
  });

  it('says false for anything else, survives cycles and hostile getters', () => {
    for (const v of [undefined, null, 0, 'ERR_CIRCUIT_OPEN', new Error('x'), {}, () => {}]) {
      expect(isShedError(v)).toBe(false);
    }
    const a: { cause?: unknown } = {};
    const b = { cause: a };
    a.cause = b;
    expect(isShedError(a)).toBe(false);
    const hostile = Object.defineProperty({}, 'cause', {
      get() {
        throw new Error('no');
      },
    });
    expect(isShedError(hostile)).toBe(false);
    // Deeper than 16 links is not followed.
    let e: unknown = open;
    for (let i = 0; i < 20; i++) e = { cause: e };
    expect(isShedError(e)).toBe(false);
  });
});

describe('the { slo } form of the constructor (issue #14)', () => {
  it('new Levee({ slo, ...options }) is the same as new Levee(slo, options)', () => {
    let now = 5;
    const a = new Levee({ slo: SLO, clock: () => now, estimator: 'v0.4' });
    const b = new Levee(SLO, { clock: () => now, estimator: 'v0.4' });
    expect(a.slo).toEqual(SLO);
    expect(a.estimator).toBe('v0.4');
    expect(a.now()).toBe(5);
    now = 6;
    for (const l of [a, b]) {
      const p = l.tryAcquire()!;
      p.success();
    }
    expect(a.snapshot()).toEqual(b.snapshot());
    expect(new Levee({ slo: SLO }).estimator).toBe('decayed');
  });

  it.each([
    [
      {},
      'slo must be an object { successRate, timeoutMs } or { slo: { successRate, timeoutMs }, clock?, estimator?, onListenerError? }, got an empty object',
    ],
    [{ sl: SLO }, 'got an object with keys sl'],
    [null, 'slo must be an object { successRate, timeoutMs } or { slo:'],
    [
      { slo: SLO, successRate: 0.9 },
      'new Levee() takes the SLO either flat { successRate, timeoutMs } or as { slo: { successRate, timeoutMs } }, not both; got an object with keys slo, successRate',
    ],
    [{ slo: undefined }, 'slo must be an object { successRate, timeoutMs }, got undefined'],
    [{ slo: { successRate: 0.9 } }, 'slo.timeoutMs must be a number, got undefined'],
  ])('a wrong shape %j says what is accepted', (arg, message) => {
    expect(() => new Levee(arg as never)).toThrow(TypeError);
    expect(() => new Levee(arg as never)).toThrow(message);
  });

  it('rejects options given twice, and bad options', () => {
    expect(() => new Levee({ slo: SLO } as never, {} as never)).toThrow(
      'new Levee({ slo, ...options }) takes its options in the same object; got a second argument too',
    );
    expect(() => new Levee(SLO, 5 as never)).toThrow('options must be an object, got 5');
    expect(() => new Levee(SLO, { estimator: 'v0.5' as never })).toThrow(
      "options.estimator must be 'decayed' or 'v0.4', got \"v0.5\"",
    );
    expect(() => new Levee(SLO, { onListenerError: 1 as never })).toThrow(
      'options.onListenerError must be a function, got 1',
    );
  });
});
