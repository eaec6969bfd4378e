/** The four states of a Levee. */
export type State = 'CLOSED' | 'OPEN' | 'THROTTLED' | 'HALF_OPEN';

/** Why the state changed. `NONE` means it did not change in this call. */
export type Trigger =
  | 'NONE'
  | 'FAILURE_RATE'
  | 'CONSECUTIVE_FAILURES'
  | 'SURGE'
  | 'MIN_LIMIT_FAILURE_RATE'
  | 'COOLDOWN_EXPIRED'
  | 'RECOVERED';

/** Numeric codes of the states, as in the Go original (CLOSED=0, OPEN=1, THROTTLED=2, HALF_OPEN=3). */
export const STATES: readonly State[] = Object.freeze(['CLOSED', 'OPEN', 'THROTTLED', 'HALF_OPEN']);
/** Numeric codes of the triggers, as in the Go original (NONE=0 … RECOVERED=6). */
export const TRIGGERS: readonly Trigger[] = Object.freeze([
  'NONE',
  'FAILURE_RATE',
  'CONSECUTIVE_FAILURES',
  'SURGE',
  'MIN_LIMIT_FAILURE_RATE',
  'COOLDOWN_EXPIRED',
  'RECOVERED',
]);

/** The outcome of one call into the breaker: the state after it, and the trigger if it changed the state. */
export interface StateChange {
  readonly state: State;
  /** Non-`NONE` only when this very call changed the state. */
  readonly trigger: Trigger;
}

/** The result of {@link Levee.start}: a {@link StateChange} plus whether the call may go ahead. */
export interface Admission extends StateChange {
  readonly admitted: boolean;
}

/** The service level objective: the only configuration Levee needs. */
export interface SLO {
  /** Target fraction of successful calls, strictly between 0 and 1 (e.g. 0.99). */
  readonly successRate: number;
  /**
   * Milliseconds, > 0. The base OPEN cooldown (doubled per consecutive OPEN, at
   * most ×8). Levee does not time calls out by itself; pass an AbortSignal to
   * `call()` (e.g. `AbortSignal.timeout(ms)`) for that.
   */
  readonly timeoutMs: number;
}

/**
 * The estimators behind the error rate, goodput and latency (docs/ALGORITHM.md §3.2, §3.13):
 * - `'decayed'` (the default): continuous-time exponentially decayed counts,
 *   whose readings do not depend on how completions are grouped in time (a
 *   burst of completions in one event-loop tick reads like the same
 *   completions spread out);
 * - `'v0.4'`: the Go original v0.4.0's event-clock EWMAs, kept for
 *   reproducing the Go original's published figures (the benchmark harness
 *   uses it). Completions grouped in time blind its error estimate.
 */
export type EstimatorName = 'decayed' | 'v0.4';

/** Optional, never required. */
export interface LeveeOptions {
  /**
   * Monotonic clock in milliseconds used by the in-band forms (`call`,
   * `tryAcquire`). Defaults to `performance.now()`. Inject a virtual clock in
   * tests and simulations.
   */
  readonly clock?: () => number;
  /**
   * Which estimators to use; `'decayed'` by default. `'v0.4'` exists for
   * reproducing the Go original's published figures.
   */
  readonly estimator?: EstimatorName;
  /**
   * Called with the exception when a state-change listener throws (the
   * exception never reaches the caller of the breaker). Without it, the
   * exception is reported as a process warning (`process.emitWarning`, type
   * `LeveeListenerError`, the exception as its `cause`) where `process`
   * exists, else on `console.error`.
   */
  readonly onListenerError?: (error: unknown, event: StateChangeEvent) => void;
}

/**
 * The one-argument form of the constructor: `new Levee({ slo, ...options })`,
 * the shape the integrations and the registry take.
 */
export interface LeveeConfig extends LeveeOptions {
  readonly slo: SLO;
}

/** Diagnostics of the surge spring (proactive congestion trip). */
export interface SurgeSnapshot {
  /** True while inflight is above the published onset and strain is being integrated. */
  readonly armed: boolean;
  /** Inflight count above which a CLOSED breaker arms; 0 while unpublished. */
  readonly onset: number;
  /** Strain as a fraction of the trip budget (≥ 1 trips; may stay above 1 after a trip). */
  readonly strain: number;
  /** Concurrency above the estimate that a recent surge proved the dependency can carry. */
  readonly provenExcess: number;
}

/** Running totals since construction. */
export interface Counters {
  /** Calls admitted by `start` (and the in-band forms). */
  readonly admitted: number;
  /** Calls shed. */
  readonly rejected: number;
  readonly succeeded: number;
  readonly failed: number;
  /** Admitted calls released without an outcome (`cancel`, caller aborts). */
  readonly cancelled: number;
}

/**
 * Read-only diagnostics. Values are observations, not settings; the float
 * estimates may change between releases.
 */
export interface Snapshot {
  readonly state: State;
  /** Most recent non-`NONE` transition cause (kept through later steady calls). */
  readonly trigger: Trigger;
  /** Admitted calls not yet completed. */
  readonly inflight: number;
  /** True while an inflight limit is enforced (THROTTLED, HALF_OPEN, OPEN, or CLOSED during graduated recovery). */
  readonly capped: boolean;
  /** ceil(inflight limit) while capped, else 0. */
  readonly limit: number;
  /** Little's law: goodput × average latency, the healthy concurrency. */
  readonly estimatedCapacity: number;
  /** Recent failures / recent completions (3 s half-life; docs/ALGORITHM.md §3.2, §3.13). */
  readonly errorRate: number;
  /** Wilson lower bound on the error rate, compared with the error budget to trip. */
  readonly errorLowerBound: number;
  /** Successes per second over the recent past (3 s half-life). */
  readonly goodput: number;
  /** Average success latency in milliseconds over the recent past (3 s half-life). */
  readonly latencyMs: number;
  readonly surge: SurgeSnapshot;
  readonly counters: Counters;
}

/** Event passed to state-change listeners. */
export interface StateChangeEvent {
  readonly from: State;
  readonly to: State;
  readonly trigger: Exclude<Trigger, 'NONE'>;
  /** Timestamp of the call that made the change, in the caller's milliseconds. */
  readonly atMs: number;
}

/** Handle returned by subscriptions; call it, call `unsubscribe()`, or use `using`. */
export interface Subscription {
  (): void;
  unsubscribe(): void;
  [Symbol.dispose](): void;
}

/** How often one transition happened, from {@link Levee.transitionCounts}. */
export interface TransitionCount {
  readonly from: State;
  readonly to: State;
  readonly trigger: Exclude<Trigger, 'NONE'>;
  readonly count: number;
}
