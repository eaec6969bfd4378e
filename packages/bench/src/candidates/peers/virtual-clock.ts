/**
 * Simulated time for third-party libraries that read the wall clock.
 *
 * opossum and cockatiel call `Date.now()` (and could call `performance.now()`)
 * and arm `setTimeout` / `setInterval` timers. A `VirtualClock` owns one
 * @sinonjs/fake-timers clock (created with `createClock`, never `install`ed)
 * and, only for the duration of a synchronous call into the library, puts that
 * clock's `Date`, `setTimeout`, `clearTimeout`, `setInterval` and
 * `clearInterval` on `globalThis` (optionally also a replacement `Promise`),
 * restoring the previous values afterwards — also when the call throws.
 *
 * Those are exactly the clock APIs the two libraries use (read from their
 * sources: opossum 9.0.0 `lib/circuit.js` and `lib/status.js` call
 * `Date.now()`, `setTimeout`, `clearTimeout`, `setInterval`, `clearInterval`;
 * cockatiel 3.2.1's breaker path calls `Date.now()`, and `performance.now()`
 * only in its executor's stopwatch, which the cockatiel adapter runs on
 * `performanceNow()` below). `performance` is deliberately not swapped:
 * neither library reads it on these paths, and Node's `globalThis.performance`
 * setter costs ~0.9 µs per write — more than the rest of the swap. Neither
 * library uses `setImmediate`, `process.nextTick` or `queueMicrotask`.
 *
 * Also while inside, `Error.stackTraceLimit` is 0: opossum builds a new
 * `Error` for every rejected call (`EOPENBREAKER`), and capturing its stack
 * costs 5–15 µs here — more than everything else the call does. No decision
 * reads a stack; the overhead micro-benchmark (bench/overhead-peers.mjs)
 * measures the libraries unmodified. Each adapter instance has its own clock, so several adapters (and
 * the test runner's own timers) coexist in one process; nothing else runs
 * while the globals are swapped because the swap never spans an `await`.
 *
 * `at(tNs, fn)` first advances the clock to the simulated instant — firing,
 * in time order and with the fake globals in place, every library timer due
 * by then (opossum's reset timer, bucket rotation, call timeouts) — and then
 * runs `fn`. Library time is whole milliseconds: `Date.now()` inside is
 * `floor(tNs / 1e6)` (sim time 0 = the Unix epoch, as in the simulator), the
 * same granularity the libraries have on a real clock. Time never goes
 * backwards: an earlier `tNs` than the clock's runs at the clock's time.
 */
import { withGlobal } from '@sinonjs/fake-timers';

const fakeTimers = withGlobal(globalThis);

type FakeClock = ReturnType<typeof fakeTimers.createClock>;

const NS_PER_MS = 1e6;

export interface VirtualClockOptions {
  /** Installed as `globalThis.Promise` during `at()` / `run()` (see sync-promise.ts). */
  readonly promise?: PromiseConstructorLike;
}

/** The swapped globals, written as named properties (fast global stores). */
interface TimeGlobals {
  Date: unknown;
  setTimeout: unknown;
  clearTimeout: unknown;
  setInterval: unknown;
  clearInterval: unknown;
  Promise: unknown;
}

export class VirtualClock {
  readonly #clock: FakeClock;
  readonly #promise: unknown;
  readonly #saved: TimeGlobals = {
    Date: undefined,
    setTimeout: undefined,
    clearTimeout: undefined,
    setInterval: undefined,
    clearInterval: undefined,
    Promise: undefined,
  };
  #savedStackTraceLimit: number | undefined;
  #depth = 0;

  constructor(options: VirtualClockOptions = {}) {
    this.#clock = fakeTimers.createClock(0, 1000);
    this.#promise = options.promise;
  }

  /** Library time in ms (what `Date.now()` returns inside `at` / `run`). */
  get nowMs(): number {
    return this.#clock.now;
  }

  /** The clock's `performance.now()` (ms since simulated time 0). */
  performanceNow(): number {
    return this.#clock.performance.now();
  }

  /** Number of library timers currently armed on this clock. */
  get timerCount(): number {
    return this.#clock.countTimers();
  }

  /** Advance to simulated time `tNs` (firing due timers), then run `fn` with fake globals. */
  at<T>(tNs: number, fn: () => T): T {
    this.#enter();
    try {
      const targetMs = Math.floor(tNs / NS_PER_MS);
      const clock = this.#clock;
      if (targetMs > clock.now) clock.tick(targetMs - clock.now);
      return fn();
    } finally {
      this.#exit();
    }
  }

  /** Run `fn` with fake globals without moving time. */
  run<T>(fn: () => T): T {
    this.#enter();
    try {
      return fn();
    } finally {
      this.#exit();
    }
  }

  #enter(): void {
    if (this.#depth++ > 0) return;
    const g = globalThis as unknown as TimeGlobals;
    const s = this.#saved;
    const c = this.#clock;
    s.Date = g.Date;
    s.setTimeout = g.setTimeout;
    s.clearTimeout = g.clearTimeout;
    s.setInterval = g.setInterval;
    s.clearInterval = g.clearInterval;
    g.Date = c.Date;
    g.setTimeout = c.setTimeout;
    g.clearTimeout = c.clearTimeout;
    g.setInterval = c.setInterval;
    g.clearInterval = c.clearInterval;
    if (this.#promise !== undefined) {
      s.Promise = g.Promise;
      g.Promise = this.#promise;
    }
    this.#savedStackTraceLimit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
  }

  #exit(): void {
    if (--this.#depth > 0) return;
    const g = globalThis as unknown as TimeGlobals;
    const s = this.#saved;
    g.Date = s.Date;
    g.setTimeout = s.setTimeout;
    g.clearTimeout = s.clearTimeout;
    g.setInterval = s.setInterval;
    g.clearInterval = s.clearInterval;
    if (this.#promise !== undefined) g.Promise = s.Promise;
    Error.stackTraceLimit = this.#savedStackTraceLimit as number;
    s.Date =
      s.setTimeout =
      s.clearTimeout =
      s.setInterval =
      s.clearInterval =
      s.Promise =
        undefined;
  }
}
