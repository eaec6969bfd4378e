import { describe } from '../internal/describe.js';
import { notify, subscribe } from '../internal/listeners.js';
import { isTimeoutError } from '../internal/timeout.js';
import { CircuitOpenError, LeveeUsageError } from './errors.js';
import {
  deriveThresholds,
  errorLowerBound,
  evalIntervalNs,
  ewmaAlpha,
  HALF_LIFE_S,
  MAX_OPEN_BACKOFF,
  MAX_SURGE_ONSET,
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

function checkTime(field: string, value: number): void {
  if (typeof value !== 'number') {
    throw new TypeError(`${field} must be a number of milliseconds, got ${describe(value)}`);
  }
  throw new RangeError(`${field} must be a finite number of milliseconds, got ${describe(value)}`);
}

function checkDuration(value: number): void {
  if (typeof value !== 'number') {
    throw new TypeError(`durationMs must be a number of milliseconds, got ${describe(value)}`);
  }
  throw new RangeError(`durationMs must be finite and ≥ 0, got ${describe(value)}`);
}

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
  if (typeof timeoutMs !== 'number') {
    throw new TypeError(`slo.timeoutMs must be a number, got ${describe(timeoutMs)}`);
  }
  if (!(timeoutMs > 0) || !Number.isFinite(timeoutMs)) {
    throw new RangeError(`slo.timeoutMs must be a finite number > 0, got ${describe(timeoutMs)}`);
  }
  if (Math.round(timeoutMs * 1e6) < 1) {
    throw new RangeError(`slo.timeoutMs must be at least 1 ns (1e-6 ms), got ${timeoutMs}`);
  }
  return Object.freeze({ successRate, timeoutMs });
}

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
    const now = levee.now();
    // A clock that went backwards would give a negative duration: clamp to 0.
    const d = Math.max(now - this.startedAtMs, 0);
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

  /** The SLO this breaker was built with (frozen). */
  readonly slo: SLO;
  /** Thresholds derived from the SLO. */
  readonly thresholds: Thresholds;

  readonly #clock: () => number;
  readonly #sloErr: number;
  readonly #recoverThreshold: number;
  readonly #consecFailTrip: number;
  readonly #tripZ: number;
  readonly #timeoutNs: number;

  /** First timestamp seen (ms); times are kept as integer ns relative to it. */
  #originMs = Number.NaN;

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

  constructor(slo: SLO, options?: LeveeOptions) {
    this.slo = validateSLO(slo);
    const clock = options?.clock;
    if (clock !== undefined && typeof clock !== 'function') {
      throw new TypeError(
        `options.clock must be a function returning milliseconds, got ${describe(clock)}`,
      );
    }
    this.#clock = clock ?? defaultClock;
    this.thresholds = Object.freeze(deriveThresholds(this.slo.successRate));
    this.#sloErr = this.thresholds.sloErr;
    this.#recoverThreshold = this.thresholds.recoverThreshold;
    this.#consecFailTrip = this.thresholds.consecFailTrip;
    this.#tripZ = this.thresholds.tripZ;
    this.#timeoutNs = Math.round(this.slo.timeoutMs * 1e6);
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
    const goodput = this.#goodput;
    return {
      state: STATES[this.#state]!,
      trigger: TRIGGERS[this.#lastTrigger]!,
      inflight: this.#inflight,
      capped: this.#capped,
      limit: this.#capped ? Math.ceil(this.#limit) : 0,
      estimatedCapacity: goodput * this.#avgLatency,
      errorRate: this.#errEwma,
      errorLowerBound: this.#errorLowerBound(),
      goodput,
      latencyMs: this.#avgLatency * 1000,
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
   * CLOSED and uncapped: 0.
   */
  retryAfterMs(nowMs: number = this.#clock()): number {
    if (!this.#capped) return 0;
    const ts = this.#peekNs(nowMs);
    let remaining: number;
    if (this.#state === OPEN) {
      remaining = this.#enteredAt + this.#cooldownNs() - ts;
    } else {
      remaining = this.#evalStart + this.#windowNs() - ts;
    }
    return Math.max(remaining / 1e6, 1);
  }

  /**
   * Subscribes to state changes. Listeners run synchronously after the call
   * that changed the state has finished updating it; an exception thrown by a
   * listener is re-thrown asynchronously (it cannot corrupt the breaker).
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
    const ts = this.#toNs(nowMs, 'nowMs');
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
    const ts = this.#toNs(nowMs, 'nowMs');
    if (!(durationMs >= 0 && durationMs !== Number.POSITIVE_INFINITY)) checkDuration(durationMs);
    const trigger = this.#complete(SUCCESS, ts, Math.round(durationMs * 1e6), nowMs);
    return CHANGES[this.#state * NT + trigger]!;
  }

  /** Reports that an admitted call failed at `nowMs`. The duration is validated but not used. */
  fail(nowMs: number, durationMs: number): StateChange {
    const ts = this.#toNs(nowMs, 'nowMs');
    if (!(durationMs >= 0 && durationMs !== Number.POSITIVE_INFINITY)) checkDuration(durationMs);
    const trigger = this.#complete(FAILURE, ts, 0, nowMs);
    return CHANGES[this.#state * NT + trigger]!;
  }

  /**
   * Releases an admitted call without recording an outcome: the caller gave
   * up, which says nothing about the dependency. Only the inflight count
   * changes.
   */
  cancel(nowMs: number): StateChange {
    const ts = this.#toNs(nowMs, 'nowMs');
    const trigger = this.#complete(CANCELLED, ts, 0, nowMs);
    return CHANGES[this.#state * NT + trigger]!;
  }

  // -------------------------------------------------------------------------
  // In-band API (the breaker's clock)
  // -------------------------------------------------------------------------

  /**
   * Admits a call now and returns a {@link Permit} to complete, or
   * `undefined` when the call is shed. For code that cannot be wrapped in a
   * function (HTTP middleware, streams).
   */
  tryAcquire(): Permit | undefined {
    const now = this.#clock();
    return this.start(now).admitted ? new Permit(this, now) : undefined;
  }

  /**
   * Runs `fn` under the breaker. Shed calls reject with
   * {@link CircuitOpenError} without running `fn`. A thrown error or rejected
   * promise counts as a failure and is re-thrown; a fulfilled one as a
   * success. `fn` receives an AbortSignal (the caller's, or one that never
   * aborts). The inflight slot is always released exactly once.
   */
  call<T>(fn: (signal: AbortSignal) => T | PromiseLike<T>, options?: CallOptions): Promise<T> {
    try {
      if (typeof fn !== 'function') {
        throw new TypeError(`fn must be a function, got ${describe(fn)}`);
      }
      const signal = options?.signal;
      if (signal?.aborted) return Promise.reject(signal.reason);
      const t0 = this.#clock();
      const admission = this.start(t0);
      if (!admission.admitted) {
        throw shedError(admission.state, TRIGGERS[this.#lastTrigger]!, this.retryAfterMs(t0));
      }
      let result: T | PromiseLike<T>;
      try {
        result = fn(signal ?? NEVER_ABORTED);
      } catch (err) {
        this.#settleCall(t0, FAILURE);
        throw err;
      }
      if (!isThenable(result)) {
        this.#settleCall(t0, SUCCESS);
        return Promise.resolve(result);
      }
      if (signal === undefined) {
        return Promise.resolve(result).then(
          (value) => {
            this.#settleCall(t0, SUCCESS);
            return value;
          },
          (err: unknown) => {
            this.#settleCall(t0, FAILURE);
            throw err;
          },
        );
      }
      return this.#raceAbort(result, signal, t0);
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
        signal.removeEventListener('abort', onAbort);
        this.#settleCall(t0, outcome);
        return true;
      };
      const onAbort = (): void => {
        const reason: unknown = signal.reason;
        if (finish(isTimeoutError(reason) ? FAILURE : CANCELLED)) reject(reason);
      };
      signal.addEventListener('abort', onAbort, { once: true });
      result.then(
        (value) => {
          if (finish(SUCCESS)) resolve(value);
        },
        (err: unknown) => {
          if (finish(FAILURE)) reject(err);
        },
      );
    });
  }

  /** Records the outcome of an in-band call started at `t0` on the breaker's clock. */
  #settleCall(t0: number, outcome: Outcome): void {
    let t1 = this.#clock();
    if (!Number.isFinite(t1)) t1 = t0; // a broken clock must not leak the slot
    const d = t1 > t0 ? t1 - t0 : 0;
    const ts = this.#toNs(t1, 'nowMs');
    this.#complete(outcome, ts, Math.round(d * 1e6), t1);
  }

  /**
   * The one completion path of an admitted call (`success`, `fail`, `cancel`,
   * permits and `call()`): updates the estimators and counters, notifies the
   * listeners of a state change made by it, and returns its trigger
   * (T_NONE when the state did not change). `durNs` is used by a success only.
   */
  #complete(outcome: Outcome, ts: number, durNs: number, atMs: number): number {
    if (this.#inflight <= 0) throw nothingInFlight(outcome);
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

  #toNs(ms: number, field: string): number {
    if (!Number.isFinite(ms)) checkTime(field, ms);
    if (Number.isNaN(this.#originMs)) this.#originMs = ms;
    return Math.round((ms - this.#originMs) * 1e6);
  }

  /** Like #toNs but never sets the origin (read-only paths). */
  #peekNs(ms: number): number {
    if (!Number.isFinite(ms)) checkTime('nowMs', ms);
    return Number.isNaN(this.#originMs) ? 0 : Math.round((ms - this.#originMs) * 1e6);
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
    notify(listeners, event);
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
        }
    }
  }

  #resetWindow(ts: number): void {
    this.#evalStart = ts;
    this.#evalSuccesses = 0;
    this.#evalFailures = 0;
  }

  #capacity(): number {
    return this.#goodput * this.#avgLatency;
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
    return errorLowerBound(this.#errEwma, this.#goodput, this.#tripZ);
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

  #onSuccess(ts: number, durNs: number): void {
    this.#inflight--;
    const cap = weightCap(this.#goodput); // goodput before this success: caps all three EWMAs
    const hadSuccess = this.#hasSuccess;
    const dt = hadSuccess ? seconds(ts - this.#lastSuccessTs) : 0;
    // One weight serves every EWMA whose previous event was the previous success.
    const alpha = hadSuccess ? ewmaAlpha(dt, cap) : -1;
    this.#updateErr(ts, 0, cap, this.#errLastTs === this.#lastSuccessTs ? alpha : -1);
    this.#samples++;
    this.#consecFails = 0;

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
    this.#updateErr(ts, 1, weightCap(this.#goodput), -1);
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

  /** Admission while capped; true to admit. */
  #admitCapped(ts: number): boolean {
    const state = this.#state;
    if (state === CLOSED) {
      this.#relax(ts);
      return !this.#capped || this.#inflight < Math.ceil(this.#limit);
    }
    if (state === OPEN) {
      if (ts - this.#enteredAt < this.#cooldownNs()) return false;
      this.#enter(HALF_OPEN, T_COOLDOWN, ts, 0); // T6
    }
    if (this.#evaluate(ts)) return false;
    if (
      this.#limit <= MIN_LIMIT &&
      this.#inflight === 0 &&
      this.#evalSuccesses + this.#evalFailures >= 1
    ) {
      return false; // one probe per window at the floor
    }
    return this.#inflight < Math.ceil(this.#limit);
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

  // --- Surge spring (ALGORITHM.md §3.9) ---

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

  /** Capacity proven by completions while armed (Little's law with the pre-surge latency). */
  #provenCapacity(ts: number): number {
    const k = this.#evalSuccesses;
    if (k < SAMPLES_PER_EVAL) return 0;
    const elapsed = seconds(ts - this.#evalStart);
    if (elapsed <= 0) return 0;
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
 * A CircuitOpenError built without capturing a stack trace: shedding is a hot
 * path under overload, and the stack would only point into this method.
 */
function shedError(state: State, trigger: Trigger, retryAfterMs: number): CircuitOpenError {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return new CircuitOpenError(state, trigger, retryAfterMs);
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
