import { describe } from '../internal/describe.js';
import { notifyIsolated, subscribe } from '../internal/listeners.js';
import { isTimeoutError } from '../internal/timeout.js';
import {
  CircuitOpenError,
  LeveeUsageError,
  LimitReachedError,
  MAX_RETRY_AFTER_MS,
  type ShedError,
} from './errors.js';
import {
  COUNT_SNAP,
  DECAY_PER_NS,
  DECAY_TIME_S,
  decayedLowerBound,
  deriveThresholds,
  errorLowerBound,
  evalIntervalNs,
  ewmaAlpha,
  HALF_LIFE_S,
  MAX_OPEN_BACKOFF,
  MAX_SURGE_ONSET,
  MAX_TIME_MS,
  MIN_HOLDOFF_NS,
  MIN_LIMIT,
  OPEN_ERR_THRESHOLD,
  PROVEN_EXCESS_SNAP,
  RECOVER_HEADROOM,
  SAMPLES_PER_EVAL,
  SQRT2,
  seconds,
  surgeOnset,
  type Thresholds,
  WARMUP_CONSEC_TRIP,
  WARMUP_SAMPLES,
  weightCap,
} from './estimators.js';
import { TRANSITION_SLOTS, TRANSITIONS } from './transitions.js';
import type {
  Admission,
  EstimatorName,
  LeveeConfig,
  LeveeOptions,
  SLO,
  Snapshot,
  State,
  StateChange,
  StateChangeEvent,
  Subscription,
  TransitionCount,
  Trigger,
} from './types.js';
import { STATES, TRIGGERS } from './types.js';

// Internal numeric codes: positions in STATES and TRIGGERS (the Go original's enum values).
const CLOSED = 0;
const OPEN = 1;
const THROTTLED = 2;
const HALF_OPEN = 3;
const T_NONE = 0;
const T_FAILURE_RATE = 1;
const T_CONSECUTIVE = 2;
const T_SURGE = 3;
const T_MIN_LIMIT = 4;
const T_COOLDOWN = 5;
const T_RECOVERED = 6;

const NS = STATES.length;
const NT = TRIGGERS.length;

// How an admitted call ended, for the one completion path (#complete).
const SUCCESS = 0;
const FAILURE = 1;
const CANCELLED = 2;
type Outcome = typeof SUCCESS | typeof FAILURE | typeof CANCELLED;
/** The out-of-band method of each outcome, named in usage errors. */
const OUTCOME_METHODS = ['success', 'fail', 'cancel'] as const;

/** Pre-built, frozen results: returning them allocates nothing. */
const CHANGES: readonly StateChange[] = STATES.flatMap((state) =>
  TRIGGERS.map((trigger) => Object.freeze({ state, trigger })),
);
const ADMISSIONS: readonly Admission[] = [false, true].flatMap((admitted) =>
  STATES.flatMap((state) => TRIGGERS.map((trigger) => Object.freeze({ admitted, state, trigger }))),
);

const defaultClock = (): number => performance.now();

/** A signal that never aborts, handed to `call()` functions when the caller gave none. */
const NEVER_ABORTED: AbortSignal = new AbortController().signal;

// Why the most recent call was shed (the kind of ShedError it gets).
const SHED_OPEN = 0;
const SHED_LIMIT = 1;
const SHED_PROBE = 2;

/** MAX_TIME_MS as a module constant of this file (the hot path reads it twice per call). */
const MAX_MS: number = MAX_TIME_MS;

/** True for a number a timestamp may be: finite, within ±MAX_TIME_MS (docs/ALGORITHM.md §1.2). */
function isTime(value: unknown): value is number {
  return typeof value === 'number' && value >= -MAX_MS && value <= MAX_MS;
}

/** Throws the TypeError or RangeError for a timestamp that is not {@link isTime}. */
function badTime(field: string, value: unknown): never {
  if (typeof value !== 'number') {
    throw new TypeError(`${field} must be a number of milliseconds, got ${describe(value)}`);
  }
  if (!Number.isFinite(value)) {
    throw new RangeError(
      `${field} must be a finite number of milliseconds, got ${describe(value)}`,
    );
  }
  throw new RangeError(
    `${field} must be within ±8.64e15 ms (the range of a Date), got ${describe(value)}`,
  );
}

/** Throws the TypeError or RangeError for a duration outside [0, MAX_TIME_MS]. */
function badDuration(value: unknown): never {
  if (typeof value !== 'number') {
    throw new TypeError(`durationMs must be a number of milliseconds, got ${describe(value)}`);
  }
  if (!(value >= 0) || value === Number.POSITIVE_INFINITY) {
    throw new RangeError(`durationMs must be finite and ≥ 0, got ${describe(value)}`);
  }
  throw new RangeError(
    `durationMs must be at most 8.64e15 ms (the range of a Date), got ${describe(value)}`,
  );
}

/** What `new Levee()` takes, for the message of a wrong shape. */
const ACCEPTED_SHAPES =
  'an object { successRate, timeoutMs } or { slo: { successRate, timeoutMs }, clock?, estimator?, onListenerError? }';

function shapeOf(value: unknown): string {
  if (typeof value !== 'object' || value === null) return describe(value);
  const keys = Object.keys(value);
  return keys.length === 0 ? 'an empty object' : `an object with keys ${keys.join(', ')}`;
}

const ESTIMATORS: readonly EstimatorName[] = ['decayed', 'v0.4'];

/** Validates an SLO and returns it frozen; throws a TypeError/RangeError naming the bad field. */
export function validateSLO(slo: SLO): SLO {
  if (typeof slo !== 'object' || slo === null) {
    throw new TypeError(`slo must be an object { successRate, timeoutMs }, got ${describe(slo)}`);
  }
  const { successRate, timeoutMs } = slo;
  if (typeof successRate !== 'number') {
    throw new TypeError(`slo.successRate must be a number, got ${describe(successRate)}`);
  }
  if (!(successRate > 0 && successRate < 1)) {
    throw new RangeError(
      `slo.successRate must be strictly between 0 and 1, got ${describe(successRate)}`,
    );
  }
  if (1 - successRate === 1) {
    // The error budget would round to 1: no failure run could be unlikely.
    throw new RangeError(
      `slo.successRate is too small (1 − successRate rounds to 1), got ${describe(successRate)}`,
    );
  }
  if (typeof timeoutMs !== 'number') {
    throw new TypeError(`slo.timeoutMs must be a number, got ${describe(timeoutMs)}`);
  }
  if (!(timeoutMs > 0) || !Number.isFinite(timeoutMs)) {
    throw new RangeError(`slo.timeoutMs must be a finite number > 0, got ${describe(timeoutMs)}`);
  }
  if (timeoutMs > MAX_TIME_MS) {
    throw new RangeError(
      `slo.timeoutMs must be at most 8.64e15 ms (the range of a Date), got ${describe(timeoutMs)}`,
    );
  }
  if (Math.round(timeoutMs * 1e6) < 1) {
    throw new RangeError(`slo.timeoutMs must be at least 1 ns (1e-6 ms), got ${timeoutMs}`);
  }
  return Object.freeze({ successRate, timeoutMs });
}

/**
 * Splits the constructor's arguments into the SLO and the options: either
 * `(slo, options?)` or `({ slo, ...options })`.
 */
function constructorArgs(
  first: unknown,
  second: unknown,
): { slo: unknown; options: LeveeOptions | undefined } {
  if (typeof first !== 'object' || first === null) {
    throw new TypeError(`slo must be ${ACCEPTED_SHAPES}, got ${shapeOf(first)}`);
  }
  const hasFlat = 'successRate' in first || 'timeoutMs' in first;
  if ('slo' in first) {
    if (hasFlat) {
      throw new TypeError(
        `new Levee() takes the SLO either flat { successRate, timeoutMs } or as { slo: { successRate, timeoutMs } }, not both; got ${shapeOf(first)}`,
      );
    }
    if (second !== undefined) {
      throw new TypeError(
        'new Levee({ slo, ...options }) takes its options in the same object; got a second argument too',
      );
    }
    return { slo: (first as LeveeConfig).slo, options: first as LeveeConfig };
  }
  if (!hasFlat) throw new TypeError(`slo must be ${ACCEPTED_SHAPES}, got ${shapeOf(first)}`);
  if (second !== undefined && (typeof second !== 'object' || second === null)) {
    throw new TypeError(`options must be an object, got ${describe(second)}`);
  }
  return { slo: first, options: second as LeveeOptions | undefined };
}

/** Validates the options and returns the clock, estimator and listener-error hook. */
function validateOptions(options: LeveeOptions | undefined): {
  clock: (() => number) | undefined;
  v04: boolean;
  onListenerError: LeveeOptions['onListenerError'];
} {
  const clock = options?.clock;
  if (clock !== undefined && typeof clock !== 'function') {
    throw new TypeError(
      `options.clock must be a function returning milliseconds, got ${describe(clock)}`,
    );
  }
  const estimator = options?.estimator;
  if (estimator !== undefined && !ESTIMATORS.includes(estimator)) {
    throw new TypeError(
      `options.estimator must be 'decayed' or 'v0.4', got ${describe(estimator)}`,
    );
  }
  const onListenerError = options?.onListenerError;
  if (onListenerError !== undefined && typeof onListenerError !== 'function') {
    throw new TypeError(
      `options.onListenerError must be a function, got ${describe(onListenerError)}`,
    );
  }
  return { clock, v04: estimator === 'v0.4', onListenerError };
}

/** True for an object that can serve as an AbortSignal (has `aborted` and the listener methods). */
function isSignal(value: unknown): value is AbortSignal {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as AbortSignal).addEventListener === 'function' &&
    typeof (value as AbortSignal).removeEventListener === 'function' &&
    typeof (value as AbortSignal).aborted === 'boolean'
  );
}

/** The breaker's clock or `fallback` (Levee's private #readClock, reached from Permit; set in its static block). */
let readClock: (levee: Levee, fallback: number) => number;

/**
 * A permit for one admitted call, from {@link Levee.tryAcquire}. Complete it
 * exactly once; later completions are ignored and return false.
 */
export class Permit {
  #levee: Levee | undefined;
  /** When the call was admitted, on the breaker's clock (ms). */
  readonly startedAtMs: number;

  /** @internal */
  constructor(levee: Levee, startedAtMs: number) {
    this.#levee = levee;
    this.startedAtMs = startedAtMs;
  }

  /** True until the permit is completed or cancelled. */
  get pending(): boolean {
    return this.#levee !== undefined;
  }

  /** Records a success measured from `startedAtMs` to now. */
  success(): boolean {
    return this.#complete(SUCCESS);
  }

  /** Records a failure. */
  fail(): boolean {
    return this.#complete(FAILURE);
  }

  /** Releases the slot without recording an outcome (the caller gave up; says nothing about the dependency). */
  cancel(): boolean {
    return this.#complete(CANCELLED);
  }

  #complete(outcome: Outcome): boolean {
    const levee = this.#levee;
    if (levee === undefined) return false;
    this.#levee = undefined;
    // A clock that went backwards gives duration 0; one that throws or
    // returns no valid time reads as startedAtMs, so the slot is always released.
    const t0 = this.startedAtMs;
    const now = readClock(levee, t0);
    const d = now > t0 ? Math.min(now - t0, MAX_TIME_MS) : 0;
    if (outcome === SUCCESS) levee.success(now, d);
    else if (outcome === FAILURE) levee.fail(now, d);
    else levee.cancel(now);
    return true;
  }
}

/** Options of {@link Levee.call}. */
export interface CallOptions {
  /**
   * Caller's cancellation. If it aborts before `fn` settles, `call()` rejects
   * at once with `signal.reason` and frees the slot: an abort whose reason is a
   * `TimeoutError` (e.g. from `AbortSignal.timeout`) counts as a failure, any
   * other abort releases the slot without an outcome.
   */
  readonly signal?: AbortSignal;
}

/**
 * A self-tuning circuit breaker and adaptive concurrency limiter, configured
 * by an SLO alone.
 *
 * Two ways to use it:
 * - in-band: `await levee.call(signal => fetch(url, { signal }))`;
 * - out-of-band, with your own timestamps (event time, simulations, replays):
 *   `levee.start(t0)` then exactly one of `levee.success(t1, t1 - t0)` /
 *   `levee.fail(t1, t1 - t0)` (or `levee.cancel(t1)`).
 *
 * No timers, no background work: every state change happens inside these
 * calls. Single-threaded by nature; one instance per traffic class.
 */
export class Levee {
  // Modes of the state machine (docs/ALGORITHM.md §2) and the fields each
  // one uses besides the estimators that every completion updates (#errEwma,
  // #avgLatency, #goodput, #samples, #consecFails). #enter is the one place
  // where a state is entered, with its entry actions.
  //
  // | mode             | #state    | #capped | #armed | fields                                  |
  // | ---------------- | --------- | ------- | ------ | --------------------------------------- |
  // | CLOSED uncapped  | CLOSED    | false   | false  | #onset (published), #provenExcess       |
  // | CLOSED armed     | CLOSED    | false   | true   | #strain, #strainTs, #latencySnapshot,   |
  // |                  |           |         |        | #evalStart, #evalSuccesses              |
  // | CLOSED graduated | CLOSED    | true    | false  | #limit (×2 per window), eval window     |
  // | THROTTLED        | THROTTLED | true    | false  | #limit (MIMD), eval window, #enteredAt  |
  // | OPEN             | OPEN      | true    | false  | #enteredAt, #openStreak (cooldown)      |
  // | HALF_OPEN        | HALF_OPEN | true    | false  | as THROTTLED, from #limit 1; window     |
  // |                  |           |         |        | stretched by #openStreak at the floor   |
  //
  // The eval window is #evalStart, #evalSuccesses and #evalFailures. Uncapped
  // CLOSED admits on the fast path of start(), the other modes through
  // #admitCapped.
  //
  // Estimators: #errEwma, #avgLatency and #goodput are the readings every
  // rule uses. With the v0.4 option they are the Go original's event-clock
  // EWMAs (docs/ALGORITHM.md §3.2); by default they are ratios of the decayed
  // counts #dS, #dL, #dN, #dF, #dZ (as of #dT), refreshed on every completion
  // (§3.13).
  //
  // Time: every stored timestamp (#enteredAt, #evalStart, #strainTs,
  // #errLastTs, #lastSuccessTs, #dT, #lastTs) is in integer ns on the
  // caller's clock relative to its first timestamp; #rebase moves them all
  // when that clock steps back (§3.14).

  /** The SLO this breaker was built with (frozen). */
  readonly slo: SLO;
  /** Thresholds derived from the SLO. */
  readonly thresholds: Thresholds;
  /** The estimators in use (`options.estimator`, `'decayed'` by default). */
  readonly estimator: EstimatorName;

  readonly #clock: () => number;
  /** True with `estimator: 'v0.4'` (the Go original's EWMAs). */
  readonly #v04: boolean;
  readonly #onListenerError: LeveeOptions['onListenerError'];
  readonly #sloErr: number;
  readonly #recoverThreshold: number;
  readonly #consecFailTrip: number;
  readonly #tripZ: number;
  readonly #timeoutNs: number;

  /** First timestamp seen (ms); times are kept as integer ns relative to it. */
  #originMs = Number.NaN;
  /** Latest timestamp seen (ns); a step back past one window rebases (docs/ALGORITHM.md §3.14). */
  #lastTs = 0;
  /** Why the most recent rejected start() was shed (SHED_*). */
  #shedReason = SHED_LIMIT;

  #state = CLOSED;
  #lastTrigger = T_NONE;
  /** Trigger of the transition made by the current call. */
  #changeTrigger = T_NONE;
  #capped = false;
  #limit = 0;
  #inflight = 0;
  #enteredAt = 0;
  #openStreak = 0;

  #errEwma = 0;
  #errInit = false;
  #errLastTs = 0;
  /** Average success latency, seconds. */
  #avgLatency = 0;
  /** Successes per second. */
  #goodput = 0;
  #hasSuccess = false;
  #lastSuccessTs = 0;
  #samples = 0;
  #consecFails = 0;

  // Decayed counts (docs/ALGORITHM.md §3.13), all as of #dT: successes, their
  // latency sum (s), completions and failures for the error rate, and the
  // decayed exposure time (s).
  #dS = 0;
  #dL = 0;
  #dN = 0;
  #dF = 0;
  #dZ = 0;
  #dT = 0;

  #evalStart = 0;
  #evalSuccesses = 0;
  #evalFailures = 0;

  // Surge spring.
  #onset = 0;
  #armed = false;
  #strain = 0;
  #strainTs = 0;
  #latencySnapshot = 0;
  #provenExcess = 0;

  // Counters.
  #admitted = 0;
  #rejected = 0;
  #succeeded = 0;
  #failed = 0;
  #cancelled = 0;

  /** Counts of the legal transitions, indexed like TRANSITIONS (see TRANSITION_SLOTS). */
  #transitions: Float64Array | undefined;

  #listeners: Array<(event: StateChangeEvent) => void> | undefined;

  /** `new Levee({ slo: { successRate, timeoutMs }, ...options })`, the shape the integrations take. */
  constructor(config: LeveeConfig);
  /** `new Levee({ successRate, timeoutMs }, options?)`. */
  constructor(slo: SLO, options?: LeveeOptions);
  constructor(slo: SLO | LeveeConfig, options?: LeveeOptions) {
    const args = constructorArgs(slo, options);
    this.slo = validateSLO(args.slo as SLO);
    const { clock, v04, onListenerError } = validateOptions(args.options);
    this.#clock = clock ?? defaultClock;
    this.#v04 = v04;
    this.#onListenerError = onListenerError;
    this.estimator = v04 ? 'v0.4' : 'decayed';
    this.thresholds = Object.freeze(deriveThresholds(this.slo.successRate));
    this.#sloErr = this.thresholds.sloErr;
    this.#recoverThreshold = this.thresholds.recoverThreshold;
    this.#consecFailTrip = this.thresholds.consecFailTrip;
    this.#tripZ = this.thresholds.tripZ;
    this.#timeoutNs = Math.round(this.slo.timeoutMs * 1e6);
  }

  static {
    readClock = (levee, fallback) => levee.#readClock(fallback);
  }

  // -------------------------------------------------------------------------
  // Public read-only view
  // -------------------------------------------------------------------------

  /** Current state. Does not move time forward: an expired OPEN stays OPEN until the next admission. */
  get state(): State {
    return STATES[this.#state]!;
  }

  /** The cause of the most recent state change (`NONE` until the first one). Allocates nothing. */
  get trigger(): Trigger {
    return TRIGGERS[this.#lastTrigger]!;
  }

  /** Admitted calls not yet completed. */
  get inflight(): number {
    return this.#inflight;
  }

  /** The clock used by the in-band forms, in milliseconds. */
  now(): number {
    return this.#clock();
  }

  /** Diagnostics; allocates a fresh object, so keep it off the hot path. */
  snapshot(): Snapshot {
    const budgetS = seconds(evalIntervalNs(this.#latencySnapshot));
    // The decayed goodput is read at the latest time seen: a rate falls while
    // nothing succeeds (the v0.4 EWMA keeps its last value, §3.2).
    const goodput = this.#v04 ? this.#goodput : this.#decayedGoodputAt(this.#lastTs);
    const latency = this.#avgLatency;
    return {
      state: STATES[this.#state]!,
      trigger: TRIGGERS[this.#lastTrigger]!,
      inflight: this.#inflight,
      capped: this.#capped,
      limit: this.#capped ? Math.ceil(this.#limit) : 0,
      estimatedCapacity: goodput * latency,
      errorRate: this.#errEwma,
      errorLowerBound: this.#errorLowerBound(),
      goodput,
      latencyMs: latency * 1000,
      surge: {
        armed: this.#armed,
        onset: this.#onset,
        strain: this.#strain / budgetS,
        provenExcess: this.#provenExcess,
      },
      counters: {
        admitted: this.#admitted,
        rejected: this.#rejected,
        succeeded: this.#succeeded,
        failed: this.#failed,
        cancelled: this.#cancelled,
      },
    };
  }

  /**
   * How many times each transition happened since construction (only the
   * ones that did), e.g. for a metrics counter labelled by from, to, trigger.
   */
  transitionCounts(): TransitionCount[] {
    const out: TransitionCount[] = [];
    const counts = this.#transitions;
    if (counts === undefined) return out;
    for (let i = 0; i < TRANSITIONS.length; i++) {
      const count = counts[i]!;
      if (count > 0) out.push({ ...TRANSITIONS[i]!, count });
    }
    return out;
  }

  /**
   * A hint for shed callers: milliseconds until a retry is likely to be
   * considered. OPEN: the rest of the cooldown. THROTTLED / HALF_OPEN / capped
   * CLOSED: the rest of the current evaluation window (at least 1 ms).
   * CLOSED and uncapped: 0. Always finite and at most 2,147,483,647 ms (about
   * 24.8 days, the longest delay a JavaScript timer can wait, so that
   * `setTimeout(retry, retryAfterMs)` works). Without `nowMs`, the breaker's
   * clock is read (the latest time seen if it returns no valid time).
   */
  retryAfterMs(nowMs?: number): number {
    if (nowMs === undefined) return this.#retryAfterNs(this.#peekNs(this.#readClock(Number.NaN)));
    if (!isTime(nowMs)) badTime('nowMs', nowMs);
    return this.#retryAfterNs(this.#peekNs(nowMs));
  }

  /**
   * The error a call shed just now is rejected with (what `call()` throws):
   * a {@link CircuitOpenError} when the circuit is OPEN, else a
   * {@link LimitReachedError} (limit full, or the floor's one probe per
   * window). For code that admits with `start()` or `tryAcquire()` and must
   * report a rejection itself; call it right after the rejection. `nowMs`
   * (default: the breaker's clock) sets `retryAfterMs`.
   */
  shedError(nowMs?: number): ShedError {
    return shedError(this.#shedKind(), this.state, this.trigger, this.retryAfterMs(nowMs));
  }

  /**
   * Subscribes to state changes. Listeners run synchronously after the call
   * that changed the state has finished updating it. An exception thrown by a
   * listener never reaches the caller: it goes to `options.onListenerError`,
   * else it is reported as a process warning (docs/ALGORITHM.md §1.2).
   */
  onStateChange(listener: (event: StateChangeEvent) => void): Subscription {
    return subscribe((this.#listeners ??= []), listener);
  }

  // -------------------------------------------------------------------------
  // Out-of-band API (explicit timestamps in ms)
  // -------------------------------------------------------------------------

  /**
   * Asks to start a call at `nowMs`. When `admitted` is true, report exactly
   * one completion later (`success`, `fail` or `cancel`); when false, report
   * nothing. Allocates nothing.
   */
  start(nowMs: number): Admission {
    if (!isTime(nowMs)) badTime('nowMs', nowMs);
    const ts = this.#toNs(nowMs);
    const entry = this.#state;
    this.#changeTrigger = T_NONE;
    let admitted = true;
    if (!this.#capped) {
      // CLOSED and uncapped: admit; the surge spring watches inflight.
      this.#inflight++;
      if (this.#onset > 0 && this.#inflight > this.#onset) this.#surgeCheck(ts);
    } else if (this.#admitCapped(ts)) {
      this.#inflight++;
    } else {
      admitted = false;
    }
    if (admitted) this.#admitted++;
    else this.#rejected++;
    const trigger = this.#state === entry ? T_NONE : this.#changeTrigger;
    if (trigger !== T_NONE) this.#emit(entry, nowMs);
    return ADMISSIONS[(admitted ? 4 * NT : 0) + this.#state * NT + trigger]!;
  }

  /** Reports that an admitted call succeeded at `nowMs` after `durationMs`. */
  success(nowMs: number, durationMs: number): StateChange {
    if (!isTime(nowMs)) badTime('nowMs', nowMs);
    if (typeof durationMs !== 'number' || !(durationMs >= 0 && durationMs <= MAX_MS)) {
      badDuration(durationMs);
    }
    const trigger = this.#complete(SUCCESS, nowMs, Math.round(durationMs * 1e6));
    return CHANGES[this.#state * NT + trigger]!;
  }

  /** Reports that an admitted call failed at `nowMs`. The duration is validated but not used. */
  fail(nowMs: number, durationMs: number): StateChange {
    if (!isTime(nowMs)) badTime('nowMs', nowMs);
    if (typeof durationMs !== 'number' || !(durationMs >= 0 && durationMs <= MAX_MS)) {
      badDuration(durationMs);
    }
    const trigger = this.#complete(FAILURE, nowMs, 0);
    return CHANGES[this.#state * NT + trigger]!;
  }

  /**
   * Releases an admitted call without recording an outcome: the caller gave
   * up, which says nothing about the dependency. Only the inflight count
   * changes.
   */
  cancel(nowMs: number): StateChange {
    if (!isTime(nowMs)) badTime('nowMs', nowMs);
    const trigger = this.#complete(CANCELLED, nowMs, 0);
    return CHANGES[this.#state * NT + trigger]!;
  }

  // -------------------------------------------------------------------------
  // In-band API (the breaker's clock)
  // -------------------------------------------------------------------------

  /**
   * Admits a call now and returns a {@link Permit} to complete, or
   * `undefined` when the call is shed (then {@link Levee.shedError} describes
   * why). For code that cannot be wrapped in a function (HTTP middleware,
   * streams).
   */
  tryAcquire(): Permit | undefined {
    const now = this.#clock();
    if (!isTime(now)) badTime('options.clock()', now);
    return this.start(now).admitted ? new Permit(this, now) : undefined;
  }

  /**
   * Runs `fn` under the breaker. Shed calls reject with a
   * {@link CircuitOpenError} (circuit OPEN) or a {@link LimitReachedError}
   * (limit full) without running `fn`. A thrown error or rejected promise
   * counts as a failure and is re-thrown; a fulfilled one as a success. `fn`
   * receives an AbortSignal (the caller's, or one that never aborts). The
   * inflight slot is always released exactly once.
   */
  call<T>(fn: (signal: AbortSignal) => T | PromiseLike<T>, options?: CallOptions): Promise<T> {
    try {
      if (typeof fn !== 'function') {
        throw new TypeError(`fn must be a function, got ${describe(fn)}`);
      }
      if (options !== undefined && (typeof options !== 'object' || options === null)) {
        throw new TypeError(`options must be an object, got ${describe(options)}`);
      }
      const signal = options?.signal;
      if (signal !== undefined && !isSignal(signal)) {
        throw new TypeError(`options.signal must be an AbortSignal, got ${describe(signal)}`);
      }
      if (signal?.aborted) return Promise.reject(signal.reason);
      const t0 = this.#clock();
      if (!isTime(t0)) badTime('options.clock()', t0);
      const admission = this.start(t0);
      if (!admission.admitted) {
        throw shedError(
          this.#shedKind(),
          admission.state,
          TRIGGERS[this.#lastTrigger]!,
          this.#retryAfterNs(this.#peekNs(t0)),
        );
      }
      let result: T | PromiseLike<T>;
      let thenable: boolean;
      try {
        result = fn(signal ?? NEVER_ABORTED);
        thenable = isThenable(result); // reads `then`, which may throw
      } catch (err) {
        this.#settleInBand(t0, FAILURE);
        throw err;
      }
      if (!thenable) {
        this.#settleInBand(t0, SUCCESS);
        return Promise.resolve(result);
      }
      if (signal === undefined) {
        return Promise.resolve(result).then(
          (value) => {
            this.#settleInBand(t0, SUCCESS);
            return value;
          },
          (err: unknown) => {
            this.#settleInBand(t0, FAILURE);
            throw err;
          },
        );
      }
      return this.#raceAbort(result as PromiseLike<T>, signal, t0);
    } catch (err) {
      return Promise.reject(err);
    }
  }

  /** Settles an in-band call that the caller may abort first; exactly one outcome is recorded. */
  #raceAbort<T>(result: PromiseLike<T>, signal: AbortSignal, t0: number): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      let done = false;
      const finish = (outcome: Outcome): boolean => {
        if (done) return false;
        done = true;
        try {
          signal.removeEventListener('abort', onAbort);
        } catch {
          // A signal that cannot remove its listener must not keep the slot.
        }
        this.#settleInBand(t0, outcome);
        return true;
      };
      const onAbort = (): void => {
        const reason: unknown = signal.reason;
        if (finish(isTimeoutError(reason) ? FAILURE : CANCELLED)) reject(reason);
      };
      try {
        signal.addEventListener('abort', onAbort, { once: true });
        // fn may have aborted the signal itself: no abort event would follow.
        if (signal.aborted) {
          onAbort();
          return;
        }
        result.then(
          (value) => {
            if (finish(SUCCESS)) resolve(value);
          },
          (err: unknown) => {
            if (finish(FAILURE)) reject(err);
          },
        );
      } catch (err) {
        // A thenable whose then() throws: a failure, and the slot is released.
        if (finish(FAILURE)) reject(err);
      }
    });
  }

  /**
   * Records the outcome of an in-band call started at `t0` on the breaker's
   * clock. A clock that throws or returns no valid time reads as `t0`, a
   * negative duration as 0: the slot is always released.
   */
  #settleInBand(t0: number, outcome: Outcome): void {
    const t1 = this.#readClock(t0);
    const d = t1 > t0 ? Math.min(t1 - t0, MAX_TIME_MS) : 0;
    this.#complete(outcome, t1, Math.round(d * 1e6));
  }

  /** The breaker's clock, or `fallback` when it throws or returns no valid time. */
  #readClock(fallback: number): number {
    let t: unknown;
    try {
      t = this.#clock();
    } catch {
      return fallback;
    }
    return isTime(t) ? t : fallback;
  }

  /**
   * The one completion path of an admitted call (`success`, `fail`, `cancel`,
   * permits and `call()`): updates the estimators and counters, notifies the
   * listeners of a state change made by it, and returns its trigger
   * (T_NONE when the state did not change). `durNs` is used by a success only.
   * A completion with nothing in flight throws before anything changes.
   */
  #complete(outcome: Outcome, atMs: number, durNs: number): number {
    if (this.#inflight <= 0) throw nothingInFlight(outcome);
    const ts = this.#toNs(atMs);
    const entry = this.#state;
    this.#changeTrigger = T_NONE;
    if (outcome === SUCCESS) {
      this.#onSuccess(ts, durNs);
      this.#succeeded++;
    } else if (outcome === FAILURE) {
      this.#onFail(ts);
      this.#failed++;
    } else {
      this.#inflight--;
      this.#cancelled++;
    }
    if (this.#state === entry) return T_NONE;
    const trigger = this.#changeTrigger;
    this.#emit(entry, atMs);
    return trigger;
  }

  // -------------------------------------------------------------------------
  // Internals
  // -------------------------------------------------------------------------

  /**
   * A validated timestamp in ns relative to the first one. Time steps
   * (docs/ALGORITHM.md §3.14): a timestamp more than one base window behind the
   * latest one is a clock step back, and every stored time moves back with
   * it, so nothing in progress waits for the clock to catch up.
   */
  #toNs(ms: number): number {
    if (Number.isNaN(this.#originMs)) this.#originMs = ms;
    const ts = Math.round((ms - this.#originMs) * 1e6);
    if (ts > this.#lastTs) this.#lastTs = ts;
    else if (ts < this.#lastTs) this.#behind(ts);
    return ts;
  }

  /** A timestamp behind the latest one: a clock step (rebase) past one base window, else as it is. */
  #behind(ts: number): void {
    const step = this.#lastTs - ts;
    if (step > evalIntervalNs(this.#avgLatency)) this.#rebase(step);
  }

  /**
   * Like #toNs for read-only paths: never sets the origin or rebases; a
   * timestamp past the step tolerance reads as the latest time seen. NaN
   * (no valid time) also reads as the latest time seen.
   */
  #peekNs(ms: number): number {
    if (Number.isNaN(this.#originMs) || Number.isNaN(ms)) return this.#lastTs;
    const ts = Math.round((ms - this.#originMs) * 1e6);
    return this.#lastTs - ts > evalIntervalNs(this.#avgLatency) ? this.#lastTs : ts;
  }

  /** Moves every stored time back by `step` ns (the caller's clock stepped back, §3.14). */
  #rebase(step: number): void {
    this.#lastTs -= step;
    this.#enteredAt -= step;
    this.#evalStart -= step;
    this.#strainTs -= step;
    this.#errLastTs -= step;
    this.#lastSuccessTs -= step;
    this.#dT -= step;
  }

  /** Retry hint in ms at `ts` (see retryAfterMs): finite, in [1, MAX_RETRY_AFTER_MS] while capped. */
  #retryAfterNs(ts: number): number {
    if (!this.#capped) return 0;
    let remaining: number;
    if (this.#state === OPEN) {
      remaining = this.#enteredAt + this.#cooldownNs() - ts;
    } else {
      remaining = this.#evalStart + this.#windowNs() - ts;
    }
    const ms = remaining / 1e6;
    return ms > 1 ? Math.min(ms, MAX_RETRY_AFTER_MS) : 1;
  }

  /** The kind of error for the most recent rejection (OPEN always means the circuit is open). */
  #shedKind(): number {
    return this.#state === OPEN ? SHED_OPEN : this.#shedReason;
  }

  /** Tells the listeners about the change from `from` made by the current call. */
  #emit(from: number, atMs: number): void {
    const listeners = this.#listeners;
    if (listeners === undefined || listeners.length === 0) return;
    const event: StateChangeEvent = {
      from: STATES[from]!,
      to: STATES[this.#state]!,
      trigger: TRIGGERS[this.#changeTrigger] as Exclude<Trigger, 'NONE'>,
      atMs,
    };
    notifyIsolated(listeners, event, this.#onListenerError);
  }

  /**
   * The one place where a state is entered: counts the transition, then runs
   * the entry actions of the state (docs/ALGORITHM.md §2.3, side effects). `seed`
   * is the limit seed of THROTTLED (§3.5), unused by the other states.
   */
  #enter(to: number, trigger: number, ts: number, seed: number): void {
    const counts = (this.#transitions ??= new Float64Array(TRANSITIONS.length));
    counts[TRANSITION_SLOTS[(this.#state * NS + to) * NT + trigger]!]!++;
    this.#state = to;
    this.#changeTrigger = trigger;
    this.#lastTrigger = trigger;
    this.#enteredAt = ts;
    switch (to) {
      case THROTTLED: // T1–T4
        this.#capped = true;
        this.#limit = Math.max(seed, MIN_LIMIT);
        this.#consecFails = 0;
        this.#armed = false;
        this.#onset = 0;
        this.#resetWindow(ts);
        break;
      case OPEN: // T5; the eval window is not reset (entering HALF_OPEN resets it)
        this.#openStreak++;
        this.#consecFails = 0;
        break;
      case HALF_OPEN: // T6
        this.#limit = MIN_LIMIT;
        this.#capped = true;
        this.#consecFails = 0;
        this.#armed = false;
        this.#onset = 0;
        this.#resetWindow(ts);
        break;
      default: // CLOSED, T7: still capped with its limit (graduated recovery)
        this.#openStreak = 0;
        this.#resetWindow(ts);
        if (this.#samples < WARMUP_SAMPLES) {
          // Tripped during warm-up: start warming up again.
          this.#samples = 0;
          this.#errEwma = 0;
          this.#dN = 0;
          this.#dF = 0;
        }
    }
  }

  #resetWindow(ts: number): void {
    this.#evalStart = ts;
    this.#evalSuccesses = 0;
    this.#evalFailures = 0;
  }

  /** Little's law: goodput × average latency, the healthy concurrency. */
  #capacity(): number {
    return this.#goodput * this.#avgLatency;
  }

  /** The decayed goodput read at `ts` (≥ the latest completion): both counts decay to `ts`. */
  #decayedGoodputAt(ts: number): number {
    const dt = ts - this.#dT;
    if (!(dt > 0)) return this.#goodput;
    const d = Math.exp(-dt * DECAY_PER_NS);
    const z = this.#dZ * d + (1 - d) * DECAY_TIME_S;
    return z > 0 ? (this.#dS * d) / z : 0;
  }

  #cooldownNs(): number {
    return this.#timeoutNs * 2 ** (Math.min(this.#openStreak, MAX_OPEN_BACKOFF) - 1);
  }

  /** Effective evaluation window: base, stretched ×2^streak in HALF_OPEN at the floor. */
  #windowNs(): number {
    const base = evalIntervalNs(this.#avgLatency);
    if (this.#state === HALF_OPEN && this.#limit <= MIN_LIMIT) {
      return base * 2 ** Math.min(this.#openStreak, MAX_OPEN_BACKOFF);
    }
    return base;
  }

  #errorLowerBound(): number {
    if (this.#v04) return errorLowerBound(this.#errEwma, this.#goodput, this.#tripZ);
    return decayedLowerBound(this.#dF, this.#dN, this.#tripZ);
  }

  /** Error EWMA step; `alpha` is the weight for this event's dt when already known. */
  #updateErr(ts: number, sample: number, cap: number, alpha: number): void {
    if (!this.#errInit) {
      this.#errInit = true;
      this.#errEwma = sample;
    } else {
      const a = alpha >= 0 ? alpha : ewmaAlpha(seconds(ts - this.#errLastTs), cap);
      this.#errEwma += a * (sample - this.#errEwma);
    }
    this.#errLastTs = ts;
  }

  /**
   * Decays every count to `ts` by 2^(−Δt/H) and adds the exposure of the
   * interval (docs/ALGORITHM.md §3.13). An earlier `ts` decays nothing: the
   * event counts as simultaneous with the latest one.
   */
  #decayTo(ts: number): void {
    const dt = ts - this.#dT;
    if (!(dt > 0)) return;
    // Math.exp rather than Math.expm1 (faster): for Δt ≥ 1 ns the relative
    // error of 1 − d stays below 1e-6, far below the estimator's noise.
    const d = Math.exp(-dt * DECAY_PER_NS);
    this.#dS *= d;
    this.#dL *= d;
    if (this.#dS < COUNT_SNAP) {
      this.#dS = 0;
      this.#dL = 0;
      this.#avgLatency = 0;
    }
    this.#dN *= d;
    this.#dF *= d;
    this.#dZ = this.#dZ * d + (1 - d) * DECAY_TIME_S;
    this.#dT = ts;
  }

  #onSuccess(ts: number, durNs: number): void {
    this.#inflight--;
    const hadSuccess = this.#hasSuccess;
    const dt = hadSuccess ? seconds(ts - this.#lastSuccessTs) : 0;
    if (this.#v04) {
      const cap = weightCap(this.#goodput); // goodput before this success: caps all three EWMAs
      // One weight serves every EWMA whose previous event was the previous success.
      const alpha = hadSuccess ? ewmaAlpha(dt, cap) : -1;
      this.#updateErr(ts, 0, cap, this.#errLastTs === this.#lastSuccessTs ? alpha : -1);
      const latency = seconds(durNs);
      if (this.#avgLatency === 0) {
        this.#avgLatency = latency;
      } else {
        this.#avgLatency += alpha * (latency - this.#avgLatency);
      }
      if (hadSuccess && dt > 0) {
        const rate = 1 / dt;
        if (this.#goodput === 0) this.#goodput = rate;
        else this.#goodput += alpha * (rate - this.#goodput);
      }
    } else {
      // The decayed counts, then the readings every rule uses (docs/ALGORITHM.md §3.13).
      this.#decayTo(ts);
      this.#dS += 1;
      this.#dL += durNs / 1e9;
      this.#dN += 1;
      this.#avgLatency = this.#dL / this.#dS;
      this.#goodput = this.#dZ > 0 ? this.#dS / this.#dZ : 0;
      this.#errEwma = this.#dF / this.#dN;
    }
    this.#samples++;
    this.#consecFails = 0;
    this.#hasSuccess = true;
    this.#lastSuccessTs = ts;

    if (this.#armed) {
      if (this.#evalSuccesses === 0) this.#evalStart = ts;
      this.#evalSuccesses++;
      this.#surgeTick(ts);
    } else if (!this.#capped) {
      if (this.#provenExcess > 0 && hadSuccess) {
        const decayed = this.#provenExcess * 2 ** (-Math.max(dt, 0) / HALF_LIFE_S);
        this.#provenExcess = decayed < PROVEN_EXCESS_SNAP ? 0 : decayed;
      }
      this.#publishOnset();
    }

    if (this.#capped && this.#state !== OPEN) {
      this.#evalSuccesses++;
      if (this.#state === THROTTLED || this.#state === HALF_OPEN) this.#checkRecovery(ts);
    }
  }

  #onFail(ts: number): void {
    this.#inflight--;
    if (this.#v04) {
      this.#updateErr(ts, 1, weightCap(this.#goodput), -1);
    } else {
      this.#decayTo(ts);
      this.#dN += 1;
      this.#dF += 1;
      this.#goodput = this.#dZ > 0 ? this.#dS / this.#dZ : 0;
      this.#errEwma = this.#dF / this.#dN;
    }
    this.#samples++;
    this.#consecFails++;
    if (this.#armed) this.#surgeTick(ts);
    if (this.#capped && this.#state !== OPEN) this.#evalFailures++;
    if (this.#state === CLOSED) {
      if (this.#samples >= WARMUP_SAMPLES && this.#errorLowerBound() > this.#sloErr) {
        this.#enter(THROTTLED, T_FAILURE_RATE, ts, this.#failureSeed()); // T1
        return;
      }
      let trip = this.#consecFailTrip;
      if (this.#samples < WARMUP_SAMPLES && trip > WARMUP_CONSEC_TRIP) trip = WARMUP_CONSEC_TRIP;
      if (this.#consecFails >= trip) this.#enter(THROTTLED, T_CONSECUTIVE, ts, this.#failureSeed()); // T2
    }
  }

  /** Limit seed on failure evidence: half the observed operating point. */
  #failureSeed(): number {
    return Math.max(0.5 * Math.max(this.#capacity(), this.#inflight), MIN_LIMIT);
  }

  /** T7: THROTTLED/HALF_OPEN → CLOSED (still capped: graduated recovery). */
  #checkRecovery(ts: number): void {
    const holdoff = Math.max(MIN_HOLDOFF_NS, 2 * evalIntervalNs(this.#avgLatency));
    if (ts - this.#enteredAt < holdoff) return;
    if (
      this.#errEwma < this.#recoverThreshold ||
      this.#limit > RECOVER_HEADROOM * (this.#inflight + 1)
    ) {
      this.#enter(CLOSED, T_RECOVERED, ts, 0);
    }
  }

  /** Admission while capped; true to admit. Sets #shedReason when it rejects. */
  #admitCapped(ts: number): boolean {
    const state = this.#state;
    if (state === CLOSED) {
      this.#relax(ts);
      if (!this.#capped || this.#inflight < Math.ceil(this.#limit)) return true;
      this.#shedReason = SHED_LIMIT;
      return false;
    }
    if (state === OPEN) {
      if (ts - this.#enteredAt < this.#cooldownNs()) {
        this.#shedReason = SHED_OPEN;
        return false;
      }
      this.#enter(HALF_OPEN, T_COOLDOWN, ts, 0); // T6
    }
    if (this.#evaluate(ts)) {
      this.#shedReason = SHED_OPEN;
      return false;
    }
    if (
      this.#limit <= MIN_LIMIT &&
      this.#inflight === 0 &&
      this.#evalSuccesses + this.#evalFailures >= 1
    ) {
      this.#shedReason = SHED_PROBE;
      return false; // one probe per window at the floor
    }
    if (this.#inflight < Math.ceil(this.#limit)) return true;
    this.#shedReason = SHED_LIMIT;
    return false;
  }

  /** MIMD once per window in THROTTLED / HALF_OPEN; true when it opened the circuit. */
  #evaluate(ts: number): boolean {
    if (ts - this.#evalStart < this.#windowNs()) return false;
    const total = this.#evalSuccesses + this.#evalFailures;
    if (total > 0) {
      const errRate = this.#evalFailures / total;
      if (errRate > OPEN_ERR_THRESHOLD && this.#limit <= MIN_LIMIT) {
        this.#enter(OPEN, T_MIN_LIMIT, ts, 0); // T5
        return true;
      }
      if (errRate > this.#recoverThreshold) {
        this.#limit = Math.max(this.#limit * 0.5, MIN_LIMIT);
      } else {
        this.#limit *= SQRT2;
      }
    }
    this.#resetWindow(ts);
    return false;
  }

  /** Graduated recovery in CLOSED-capped, once per base window. */
  #relax(ts: number): void {
    if (ts - this.#evalStart < evalIntervalNs(this.#avgLatency)) return;
    const total = this.#evalSuccesses + this.#evalFailures;
    if (total > 0 && this.#evalFailures / total > this.#recoverThreshold) {
      this.#enter(THROTTLED, T_FAILURE_RATE, ts, this.#failureSeed()); // T3
      return;
    }
    if (this.#limit > RECOVER_HEADROOM * (this.#inflight + 1)) {
      this.#capped = false;
      const excess = this.#inflight - this.#capacity();
      if (excess > this.#provenExcess) this.#provenExcess = excess;
      this.#strainTs = ts;
      this.#publishOnset();
    } else {
      this.#limit *= 2;
    }
    this.#resetWindow(ts);
  }

  // --- Surge spring (docs/ALGORITHM.md §3.9) ---

  #publishOnset(): void {
    if (this.#samples < WARMUP_SAMPLES || this.#goodput <= 0 || this.#avgLatency <= 0) {
      this.#onset = 0;
      return;
    }
    const v = Math.ceil(surgeOnset(this.#capacity() + this.#provenExcess));
    this.#onset = v > MAX_SURGE_ONSET || Number.isNaN(v) ? MAX_SURGE_ONSET : v;
  }

  /** Locked surge check after a fast-path admission pushed inflight above the onset. */
  #surgeCheck(ts: number): void {
    if (this.#state !== CLOSED || this.#capped || this.#onset <= 0) return;
    if (this.#inflight <= this.#onset) return;
    if (!this.#armed) {
      this.#armed = true;
      this.#latencySnapshot = this.#avgLatency;
      const calm = seconds(ts - this.#strainTs);
      this.#strain = Math.max(this.#strain - Math.max(calm, 0), 0);
      this.#strainTs = ts;
      this.#resetWindow(ts);
    }
    this.#surgeTick(ts);
  }

  /**
   * Capacity proven by completions while armed (Little's law with the
   * pre-surge latency). With the decayed estimators the proof also needs one
   * pre-surge latency of elapsed time (docs/ALGORITHM.md §3.13): completions
   * sooner than that belong to calls already in flight, and their spacing
   * says more about how they were grouped than about throughput.
   */
  #provenCapacity(ts: number): number {
    const k = this.#evalSuccesses;
    if (k < SAMPLES_PER_EVAL) return 0;
    const elapsed = seconds(ts - this.#evalStart);
    if (elapsed <= 0) return 0;
    if (!this.#v04 && elapsed < this.#latencySnapshot) return 0;
    return ((k - 1) / elapsed) * this.#latencySnapshot;
  }

  #surgeTick(ts: number): void {
    const proven = this.#provenCapacity(ts);
    let base = this.#onset;
    if (proven > 0) {
      const provenOnset = surgeOnset(proven);
      if (provenOnset > base) base = provenOnset;
    }
    const stretch = this.#inflight / base - 1;
    const dt = seconds(ts - this.#strainTs);
    if (dt > 0) {
      const s = this.#strain + stretch * dt;
      this.#strain = Math.max(s, 0);
      this.#strainTs = ts;
    }
    const budget = seconds(evalIntervalNs(this.#latencySnapshot));
    if (this.#strain >= budget) {
      const seed = Math.max(this.#goodput * this.#latencySnapshot, proven, MIN_LIMIT);
      this.#enter(THROTTLED, T_SURGE, ts, seed); // T4
      // The strain is held at the budget after the trip (docs/ALGORITHM.md §3.9).
      this.#strain = budget;
      this.#strainTs = ts;
      return;
    }
    if (stretch <= 0 && this.#strain === 0) {
      const excess = proven - this.#capacity();
      if (excess > this.#provenExcess) this.#provenExcess = excess;
      this.#armed = false;
      this.#publishOnset();
    }
  }
}

/** The usage error of a completion reported with no admitted call in flight. */
function nothingInFlight(outcome: Outcome): LeveeUsageError {
  return new LeveeUsageError(
    `${OUTCOME_METHODS[outcome]}() called with no admitted call in flight: every admitted start() gets exactly one completion`,
  );
}

/**
 * The error of a shed call, built without capturing a stack trace: shedding
 * is a hot path under overload, and the stack would only point into Levee.
 */
function shedError(kind: number, state: State, trigger: Trigger, retryAfterMs: number): ShedError {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return kind === SHED_OPEN
      ? new CircuitOpenError(state, trigger, retryAfterMs)
      : new LimitReachedError(
          state,
          trigger,
          retryAfterMs,
          kind === SHED_PROBE ? 'probe' : 'limit',
        );
  } finally {
    Error.stackTraceLimit = limit;
  }
}

function isThenable<T>(value: T | PromiseLike<T>): value is PromiseLike<T> {
  return (
    value !== null &&
    (typeof value === 'object' || typeof value === 'function') &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}
