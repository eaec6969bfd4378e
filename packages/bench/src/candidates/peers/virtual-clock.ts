/**
 * Simulated time for third-party libraries that read the wall clock.
 *
 * opossum and cockatiel call `Date.now()` (and could call `performance.now()`)
 * and arm `setTimeout` / `setInterval` timers. A `VirtualClock` owns its own
 * time and timer heap and, only for the duration of a synchronous call into
 * the library, puts its `Date`, `setTimeout`, `clearTimeout`, `setInterval`
 * and `clearInterval` on `globalThis` (optionally also a replacement
 * `Promise`), restoring the previous values afterwards — also when the call
 * throws.
 *
 * The timers follow Node's rules: a delay outside [1, 2^31 − 1] ms (0,
 * negative, NaN) is 1 ms; equal deadlines fire in creation order; an interval
 * is re-armed one period after the deadline it fired at; a handle has
 * `ref`/`unref`/`hasRef`. (This replaced @sinonjs/fake-timers, whose
 * per-timer bookkeeping — an id map, closures on each handle — took about a
 * third of an opossum run: opossum arms and clears one timeout timer per call.
 * A binary heap with lazy cancellation does the same job in a few array
 * operations; test/peers-support.test.ts checks the semantics.)
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
const NS_PER_MS = 1e6;

/** Node's longest timer delay (2^31 − 1 ms); longer or invalid delays become 1 ms, as in Node. */
const TIMEOUT_MAX = 2 ** 31 - 1;

/** Below this many cancelled timers the heap is not compacted. */
const COMPACT_MIN = 4096;

/**
 * One armed timer. It is also the handle `setTimeout` returns: opossum calls
 * `unref()` on it when that is a function, as on a Node `Timeout`.
 */
class VirtualTimer {
  active = true;
  constructor(
    public callAt: number,
    public order: number,
    readonly fn: (...args: unknown[]) => void,
    readonly args: unknown[],
    /** Repeat period in ms; 0 for a one-shot timer. */
    readonly interval: number,
  ) {}
  ref(): this {
    return this;
  }
  unref(): this {
    return this;
  }
  hasRef(): boolean {
    return false;
  }
}

/** Node's delay rule: a number in [1, 2^31 − 1] ms, else 1. */
function delayMs(delay: unknown): number {
  const d = Number(delay);
  return d >= 1 && d <= TIMEOUT_MAX ? d : 1;
}

/** Earlier `callAt` first, then creation order (the order Node fires equal deadlines in). */
function before(a: VirtualTimer, b: VirtualTimer): boolean {
  return a.callAt < b.callAt || (a.callAt === b.callAt && a.order < b.order);
}

/**
 * The timers and the time of one adapter: a binary min-heap of armed timers
 * with lazy cancellation (a cleared timer stays in the heap, marked inactive,
 * until it reaches the top or the heap is compacted).
 */
class TimerWheel {
  now = 0;
  #heap: VirtualTimer[] = [];
  #order = 0;
  #live = 0;

  get live(): number {
    return this.#live;
  }

  add(fn: unknown, delay: unknown, args: unknown[], repeat: boolean): VirtualTimer {
    if (typeof fn !== 'function') {
      throw new TypeError(
        `The "callback" argument must be of type function. Received ${typeof fn}`,
      );
    }
    const ms = delayMs(delay);
    const timer = new VirtualTimer(
      this.now + ms,
      this.#order++,
      fn as (...a: unknown[]) => void,
      args,
      repeat ? ms : 0,
    );
    this.#push(timer);
    this.#live++;
    return timer;
  }

  clear(handle: unknown): void {
    if (!(handle instanceof VirtualTimer) || !handle.active) return;
    handle.active = false;
    this.#live--;
    const dead = this.#heap.length - this.#live;
    if (dead > COMPACT_MIN && dead > this.#live) this.#compact();
  }

  /** Fire every timer due by `targetMs` in time order (time = each timer's deadline), then set time to `targetMs`. */
  advance(targetMs: number): void {
    const heap = this.#heap;
    while (heap.length > 0) {
      const top = heap[0] as VirtualTimer;
      if (top.callAt > targetMs) break;
      this.#pop();
      if (!top.active) continue;
      if (top.callAt > this.now) this.now = top.callAt;
      if (top.interval > 0) {
        top.callAt += top.interval;
        top.order = this.#order++;
        this.#push(top);
      } else {
        top.active = false;
        this.#live--;
      }
      top.fn(...top.args);
    }
    if (targetMs > this.now) this.now = targetMs;
  }

  #compact(): void {
    const kept = this.#heap.filter((t) => t.active);
    kept.sort((a, b) => (before(a, b) ? -1 : 1));
    this.#heap = kept; // a sorted array is a valid heap
  }

  #push(timer: VirtualTimer): void {
    const heap = this.#heap;
    let i = heap.length;
    heap.push(timer);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = heap[parent] as VirtualTimer;
      if (!before(timer, p)) break;
      heap[i] = p;
      i = parent;
    }
    heap[i] = timer;
  }

  #pop(): void {
    const heap = this.#heap;
    const last = heap.pop() as VirtualTimer;
    const n = heap.length;
    if (n === 0) return;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      let c = l;
      if (r < n && before(heap[r] as VirtualTimer, heap[l] as VirtualTimer)) c = r;
      const child = heap[c] as VirtualTimer;
      if (!before(child, last)) break;
      heap[i] = child;
      i = c;
    }
    heap[i] = last;
  }
}

/** A `Date` whose "now" is the wheel's time (ms since simulated time 0 = the Unix epoch). */
function fakeDate(wheel: TimerWheel): DateConstructor {
  const RealDate = Date;
  class VirtualDate extends RealDate {
    constructor(...args: unknown[]) {
      if (args.length === 0) super(wheel.now);
      else super(...(args as [string]));
    }
    static override now(): number {
      return wheel.now;
    }
  }
  return VirtualDate as unknown as DateConstructor;
}

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
  readonly #wheel = new TimerWheel();
  readonly #fakes: Omit<TimeGlobals, 'Promise'>;
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
    const wheel = this.#wheel;
    this.#fakes = {
      Date: fakeDate(wheel),
      setTimeout: (fn: unknown, delay?: unknown, ...args: unknown[]) =>
        wheel.add(fn, delay, args, false),
      clearTimeout: (handle: unknown) => wheel.clear(handle),
      setInterval: (fn: unknown, delay?: unknown, ...args: unknown[]) =>
        wheel.add(fn, delay, args, true),
      clearInterval: (handle: unknown) => wheel.clear(handle),
    };
    this.#promise = options.promise;
  }

  /** Library time in ms (what `Date.now()` returns inside `at` / `run`). */
  get nowMs(): number {
    return this.#wheel.now;
  }

  /** The clock's `performance.now()` (ms since simulated time 0). */
  performanceNow(): number {
    return this.#wheel.now;
  }

  /** Number of library timers currently armed on this clock. */
  get timerCount(): number {
    return this.#wheel.live;
  }

  /** Advance to simulated time `tNs` (firing due timers), then run `fn` with fake globals. */
  at<T>(tNs: number, fn: () => T): T {
    this.#enter();
    try {
      const targetMs = Math.floor(tNs / NS_PER_MS);
      if (targetMs > this.#wheel.now) this.#wheel.advance(targetMs);
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
    const c = this.#fakes;
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
