// @ts-check
/**
 * The fuzz driver of issue #12 (docs/ALGORITHM.md §6.2): random operations
 * through the out-of-band API, `call()` and permits, on random clocks (bursts,
 * steps back, jumps ahead, tiny and huge values, clocks that break), with
 * garbage inputs and aborts; every invariant is checked after every operation.
 *
 * It takes the library as an argument so that the same driver runs on the
 * sources (the vitest test, 10⁵ operations) and on the build (`npm run fuzz`,
 * 10⁷ operations). Deterministic for a seed: the clock is virtual and the
 * only asynchrony is promise reactions, which run in a fixed order.
 */

/** @typedef {typeof import('../../src/index.js')} Lib */
/** @typedef {import('../../src/index.js').Levee} Levee */

/** The eight legal (from, to, trigger) transitions of docs/ALGORITHM.md §2.3. */
const LEGAL = new Set([
  'CLOSED>THROTTLED:FAILURE_RATE',
  'CLOSED>THROTTLED:CONSECUTIVE_FAILURES',
  'CLOSED>THROTTLED:SURGE',
  'THROTTLED>OPEN:MIN_LIMIT_FAILURE_RATE',
  'HALF_OPEN>OPEN:MIN_LIMIT_FAILURE_RATE',
  'OPEN>HALF_OPEN:COOLDOWN_EXPIRED',
  'THROTTLED>CLOSED:RECOVERED',
  'HALF_OPEN>CLOSED:RECOVERED',
]);
const MAX_TIME_MS = 8.64e15;
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const YEAR = 365 * 24 * HOUR;

const SUCCESS_RATES = [0.5, 0.9, 0.95, 0.99, 0.999, 1 - 1e-9, 1e-9];
const TIMEOUTS = [1e-6, 1, 50, 1000, HOUR, MAX_TIME_MS];
const ORIGINS = [0, 1_764_000_000_000, -1e12, MAX_TIME_MS - YEAR];
const GARBAGE = [
  Number.NaN,
  Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY,
  1e303,
  -1e303,
  MAX_TIME_MS * 2,
  '5',
  null,
  undefined,
  true,
  [5],
  {},
  5n,
];

/**
 * mulberry32: a small seeded generator.
 * @param {number} seed
 */
function rng(seed) {
  let s = seed | 0;
  return () => {
    s = (s + 0x6d2b79f5) | 0;
    let x = Math.imul(s ^ (s >>> 15), s | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

/** @param {unknown} v */
const isTime = (v) => typeof v === 'number' && v >= -MAX_TIME_MS && v <= MAX_TIME_MS;
/** @param {unknown} v */
const isDuration = (v) => typeof v === 'number' && v >= 0 && v <= MAX_TIME_MS;

class FuzzFailure extends Error {
  /** @override */
  name = 'FuzzFailure';
}

/**
 * Runs at least `ops` operations from `seed`; throws a FuzzFailure naming
 * the seed, episode and step at the first broken invariant.
 *
 * @param {{ lib: Lib, ops: number, seed: number, onEpisode?: (done: number) => void }} options
 * @returns {Promise<{ ops: number, episodes: number, transitions: number, states: Record<string, number> }>}
 */
export async function fuzz({ lib, ops, seed, onEpisode }) {
  const { Levee, isShedError, LeveeUsageError, MAX_RETRY_AFTER_MS } = lib;
  const rand = rng(seed);
  const pick = (/** @type {readonly any[]} */ xs) => xs[Math.floor(rand() * xs.length)];
  let total = 0;
  let episodes = 0;
  let transitions = 0;
  /** @type {Record<string, number>} */
  const states = { CLOSED: 0, THROTTLED: 0, OPEN: 0, HALF_OPEN: 0 };

  while (total < ops) {
    episodes++;
    const episode = episodes;
    const steps = 1000 + Math.floor(rand() * 20_000);
    const slo = { successRate: pick(SUCCESS_RATES), timeoutMs: pick(TIMEOUTS) };
    const estimator = rand() < 0.5 ? 'decayed' : 'v0.4';
    /** The virtual clock and how the in-band clock reads it. */
    let now = pick(ORIGINS);
    /** @type {'ok' | 'nan' | 'throw' | 'huge'} */
    let clockMode = 'ok';
    const clock = () => {
      if (clockMode === 'nan') return Number.NaN;
      if (clockMode === 'throw') throw new Error('clock broke');
      if (clockMode === 'huge') return 1e300;
      return now;
    };
    let listenerErrors = 0;
    const levee = new Levee(slo, {
      clock,
      estimator,
      onListenerError: () => {
        listenerErrors++;
      },
    });
    /** @type {string[]} */
    const events = [];
    let throwingListener = 0;
    levee.onStateChange((e) => {
      events.push(`${e.from}>${e.to}:${e.trigger}`);
      if (throwingListener > 0 && rand() < 0.5) {
        throwingListener--;
        throw new Error('listener bug');
      }
    });

    // The driver's own books.
    /** @type {number[]} out-of-band calls in flight: their start times */
    const oob = [];
    /** @type {any[]} permits in flight */
    const permits = [];
    /** @type {Array<{ id: number, settle: ((ok: boolean) => void) | undefined, abort: AbortController | undefined }>} */
    const calls = []; // admitted in-band calls not yet triggered to settle
    const settled = new Set(); // ids whose returned promise has settled
    const triggered = new Set(); // ids whose outcome has been triggered
    let nextId = 0;
    let attempted = 0;
    let expectedEvents = 0;

    const fail = (/** @type {string} */ what) => {
      throw new FuzzFailure(
        `seed ${seed}, episode ${episode}, op ${total}: ${what}\n` +
          `slo ${JSON.stringify(slo)} estimator ${estimator} now ${now}\n` +
          `snapshot ${JSON.stringify(levee.snapshot())}`,
      );
    };
    const outstanding = () => oob.length + permits.length + calls.length;

    /** Checks every invariant of docs/ALGORITHM.md §6.3. */
    const check = (/** @type {string} */ before, /** @type {any} */ result) => {
      const s = levee.snapshot();
      if (result !== undefined) {
        if ((result.state === before) !== (result.trigger === 'NONE')) {
          fail(`trigger ${result.trigger} with ${before} -> ${result.state}`);
        }
        if (result.state !== s.state) fail('result state differs from the snapshot');
      }
      if (!(s.inflight >= 0)) fail(`inflight ${s.inflight}`);
      if (s.inflight !== outstanding()) {
        fail(`inflight ${s.inflight} != admitted − completed ${outstanding()}`);
      }
      const c = s.counters;
      if (c.admitted !== c.succeeded + c.failed + c.cancelled + s.inflight) {
        fail(`conservation: ${JSON.stringify(c)}`);
      }
      if (c.admitted + c.rejected !== attempted)
        fail(`attempted ${attempted} != ${JSON.stringify(c)}`);
      if (s.capped ? !(s.limit >= 1) : s.limit !== 0) fail(`limit ${s.limit}, capped ${s.capped}`);
      if (!s.capped && s.state !== 'CLOSED') fail(`uncapped in ${s.state}`);
      for (const v of [
        s.limit,
        s.estimatedCapacity,
        s.errorRate,
        s.errorLowerBound,
        s.goodput,
        s.latencyMs,
        s.surge.onset,
        s.surge.strain,
        s.surge.provenExcess,
      ]) {
        if (!Number.isFinite(v)) fail('non-finite value in the snapshot');
      }
      if (s.errorRate < 0 || s.errorRate > 1 + 1e-12) fail(`error rate ${s.errorRate}`);
      for (let i = expectedEvents; i < events.length; i++) {
        const e = /** @type {string} */ (events[i]);
        if (!LEGAL.has(e)) fail(`illegal transition ${e}`);
      }
      expectedEvents = events.length;
      states[s.state] = (states[s.state] ?? 0) + 1;
    };

    /** Expects `fn` to throw a TypeError or RangeError and to change nothing (compared 1 in 16). */
    const expectRejected = (/** @type {() => unknown} */ fn, /** @type {string} */ what) => {
      const compare = rand() < 1 / 16;
      const before = compare ? JSON.stringify(levee.snapshot()) : '';
      try {
        fn();
      } catch (err) {
        if (!(err instanceof TypeError || err instanceof RangeError)) fail(`${what}: threw ${err}`);
        if (compare && JSON.stringify(levee.snapshot()) !== before)
          fail(`${what} changed the state`);
        return;
      }
      fail(`${what} did not throw`);
    };

    /** Runs an admitted call's promise bookkeeping. */
    const track = (/** @type {number} */ id, /** @type {Promise<unknown>} */ p) => {
      p.then(
        () => settled.add(id),
        () => settled.add(id),
      );
    };

    /** Lets promise reactions run, then requires every triggered call to have settled. */
    const flush = async () => {
      for (let i = 0; i < 6; i++) await null;
      for (const id of triggered) {
        if (!settled.has(id)) fail(`call ${id} was settled but its promise is still pending`);
      }
      triggered.clear();
      settled.clear();
    };

    for (let step = 0; step < steps && total < ops; step++, total++) {
      // --- the clock ---
      const c = rand();
      if (c < 0.55) now += rand() * 10;
      else if (c < 0.75)
        now += 0; // a burst: the same tick
      else if (c < 0.85)
        now += 1e-6 * Math.floor(rand() * 5); // ns apart
      else if (c < 0.88)
        now -= rand() * 50; // out of order, within a window
      else if (c < 0.895) now -= 5 * MINUTE;
      else if (c < 0.9) now -= rand() * HOUR;
      else if (c < 0.905) now += HOUR;
      else if (c < 0.9065) now += YEAR;
      else if (c < 0.9075) now = pick(ORIGINS);
      else now += rand() * 1000;
      if (!isTime(now) && rand() < 0.5) now = Math.sign(now) * (MAX_TIME_MS - rand() * HOUR);
      const valid = isTime(now);
      clockMode = rand() < 0.01 ? pick(['nan', 'throw', 'huge']) : 'ok';

      // --- one operation ---
      const before = levee.state;
      const op = rand();
      let result;
      if (op < 0.25) {
        // out-of-band start
        if (!valid) {
          expectRejected(() => levee.start(now), 'start(invalid)');
        } else {
          result = levee.start(now);
          attempted++;
          if (result.admitted) oob.push(now);
        }
      } else if (op < 0.45) {
        // out-of-band completion of a random call in flight (or misuse when none)
        const kind = rand();
        const late = rand() < 0.1 ? rand() * 200 : 0;
        const t = now - late;
        const durChoice = rand();
        const d =
          durChoice < 0.9 ? rand() * 100 : durChoice < 0.95 ? MAX_TIME_MS * rand() : pick(GARBAGE);
        if (!isTime(t) || (kind < 0.8 && !isDuration(d))) {
          expectRejected(
            () =>
              kind < 0.4 ? levee.success(t, d) : kind < 0.8 ? levee.fail(t, d) : levee.cancel(t),
            'completion with invalid input',
          );
        } else if (oob.length === 0) {
          // Misuse, only when nothing at all is in flight: a LeveeUsageError, nothing changes.
          if (outstanding() === 0) {
            const snap = JSON.stringify(levee.snapshot());
            try {
              if (kind < 0.4) levee.success(t, d);
              else if (kind < 0.8) levee.fail(t, d);
              else levee.cancel(t);
              fail('a completion with nothing in flight did not throw');
            } catch (err) {
              if (err instanceof FuzzFailure) throw err;
              if (!(err instanceof LeveeUsageError)) fail(`misuse threw ${err}`);
              if (JSON.stringify(levee.snapshot()) !== snap) fail('misuse changed the state');
            }
          }
        } else {
          const i = Math.floor(rand() * oob.length);
          oob.splice(i, 1);
          result =
            kind < 0.4 ? levee.success(t, d) : kind < 0.8 ? levee.fail(t, d) : levee.cancel(t);
        }
      } else if (op < 0.5) {
        // garbage into every public number
        const g = pick(GARBAGE);
        const which = Math.floor(rand() * 6);
        if (which === 0) expectRejected(() => levee.start(g), `start(${String(g)})`);
        else if (which === 1) expectRejected(() => levee.success(g, 1), 'success(garbage, 1)');
        else if (which === 2 && valid) expectRejected(() => levee.fail(now, g), 'fail(t, garbage)');
        else if (which === 3) expectRejected(() => levee.cancel(g), 'cancel(garbage)');
        else if (which === 4 && g !== undefined) {
          expectRejected(() => levee.retryAfterMs(g), 'retryAfterMs(garbage)');
        } else if (valid) expectRejected(() => levee.success(now, g ?? -1), 'success(t, garbage)');
      } else if (op < 0.62) {
        // permits
        if (rand() < 0.5 || permits.length === 0) {
          if (clockMode === 'throw') {
            try {
              levee.tryAcquire();
              fail('tryAcquire with a throwing clock did not throw');
            } catch (err) {
              if (!(err instanceof Error) || err.message !== 'clock broke') throw err;
            }
          } else if (!valid || clockMode !== 'ok') {
            expectRejected(() => levee.tryAcquire(), 'tryAcquire with a broken clock');
          } else {
            attempted++;
            const p = levee.tryAcquire();
            if (p !== undefined) permits.push(p);
            else if (!isShedError(levee.shedError(now))) fail('shedError() is not a ShedError');
          }
        } else {
          const i = Math.floor(rand() * permits.length);
          const p = permits[i];
          permits.splice(i, 1);
          const k = rand();
          if (!(k < 0.4 ? p.success() : k < 0.8 ? p.fail() : p.cancel())) fail('permit refused');
          if (p.success() || p.cancel()) fail('permit completed twice');
        }
      } else if (op < 0.8) {
        // call(): a new call of a random kind
        const id = nextId++;
        const kind = Math.floor(rand() * 8);
        const withSignal = rand() < 0.5;
        const ac = withSignal ? new AbortController() : undefined;
        if (withSignal && rand() < 0.03) ac?.abort(new Error('already gone'));
        /** @type {((ok: boolean) => void) | undefined} */
        let settle;
        const fn = () => {
          if (kind === 0) return id;
          if (kind === 1) throw new Error('sync failure');
          if (kind === 2) {
            // a thenable whose then() throws
            return {
              // biome-ignore lint/suspicious/noThenProperty: a hostile thenable is the point
              then() {
                throw new Error('then() threw');
              },
            };
          }
          if (kind === 3 && ac !== undefined) {
            ac.abort(new Error('fn aborted its own signal'));
            return new Promise(() => {});
          }
          /** @type {Array<[(v: unknown) => void, (e: unknown) => void]>} */
          const waiters = [];
          let state = 0; // 0 pending, 1 fulfilled, 2 rejected
          settle = (ok) => {
            if (state !== 0) return;
            state = ok ? 1 : 2;
            for (const [f, r] of waiters) {
              if (ok) f(id);
              else r(new Error('async failure'));
            }
          };
          return {
            // biome-ignore lint/suspicious/noThenProperty: a controllable thenable
            then(/** @type {any} */ f, /** @type {any} */ r) {
              if (state === 1) f(id);
              else if (state === 2) r(new Error('async failure'));
              else waiters.push([f, r]);
            },
          };
        };
        const admittedBefore = levee.snapshot().counters.admitted;
        const rejectedBefore = levee.snapshot().counters.rejected;
        const p = levee.call(fn, ac === undefined ? undefined : { signal: ac.signal });
        const s = levee.snapshot().counters;
        const admitted = s.admitted === admittedBefore + 1;
        if (admitted || s.rejected === rejectedBefore + 1) attempted++;
        track(id, p);
        if (!admitted) {
          p.catch(() => {});
        } else {
          p.catch(() => {});
          if (kind <= 3 && !(kind === 3 && ac === undefined)) {
            // settles on its own, synchronously or in a reaction
            triggered.add(id);
          } else {
            calls.push({ id, settle, abort: ac });
          }
        }
        await flush();
      } else if (op < 0.9) {
        // settle or abort an in-band call in flight
        if (calls.length > 0) {
          const i = Math.floor(rand() * calls.length);
          const call = /** @type {(typeof calls)[number]} */ (calls[i]);
          const k = rand();
          if (call.abort !== undefined && k < 0.3) {
            call.abort.abort(
              rand() < 0.5 ? new DOMException('deadline', 'TimeoutError') : new Error('gone'),
            );
          } else {
            call.settle?.(k < 0.7);
          }
          if (call.settle !== undefined || call.abort !== undefined) {
            calls.splice(i, 1);
            triggered.add(call.id);
          }
          await flush();
        }
      } else if (op < 0.95) {
        // the retry hint: finite, within [0, MAX_RETRY_AFTER_MS]
        if (valid) {
          const r = levee.retryAfterMs(now);
          if (!(r >= 0 && r <= MAX_RETRY_AFTER_MS)) fail(`retryAfterMs ${r}`);
          if (levee.snapshot().capped && r < 1) fail(`retryAfterMs ${r} < 1 while capped`);
        }
      } else if (op < 0.96) {
        throwingListener++;
      } else {
        const e = levee.shedError(valid ? now : undefined);
        if (!isShedError(e) || !(e.retryAfterMs >= 0 && e.retryAfterMs <= MAX_RETRY_AFTER_MS)) {
          fail(`shedError() ${e.name} ${e.retryAfterMs}`);
        }
      }
      check(before, result);
    }

    // Drain: everything in flight completes; the books must balance at zero.
    clockMode = 'ok';
    if (!isTime(now)) now = 0;
    for (const t of oob.splice(0)) {
      levee.success(Math.max(now, t), 1);
    }
    for (const p of permits.splice(0)) p.cancel();
    for (const call of calls.splice(0)) {
      if (call.settle !== undefined) call.settle(true);
      else call.abort?.abort(new Error('drained'));
      triggered.add(call.id);
    }
    await flush();
    check(levee.state, undefined);
    if (levee.inflight !== 0) fail(`inflight ${levee.inflight} after draining`);
    const counted = levee.transitionCounts().reduce((n, x) => n + x.count, 0);
    if (counted !== events.length) fail(`transitionCounts ${counted} != events ${events.length}`);
    if (listenerErrors > events.length) fail('more listener errors than events');
    transitions += events.length;
    onEpisode?.(total);
  }
  return { ops: total, episodes, transitions, states };
}
