/**
 * The estimators and thresholds of Levee as pure functions (docs/ALGORITHM.md §3):
 * event-clock EWMA weights, the Wilson trip bound, the eval window, the surge
 * onset and the thresholds derived from the SLO; the constants of the decayed
 * counts (docs/ALGORITHM.md §3.13) and the input bounds (docs/ALGORITHM.md §1.2).
 */
import { probit } from './probit.js';

// ---------------------------------------------------------------------------
// Constants (docs/ALGORITHM.md §4). Each is explained where it is used.
// ---------------------------------------------------------------------------

/** Half-life of every EWMA, seconds: ~6 s of effective memory ("two half-lives"). */
export const HALF_LIFE_S = 3;
const LN2 = Math.LN2;
/** Completions before the statistical trip and surge publishing switch on. */
export const WARMUP_SAMPLES = 50;
/** Consecutive-failure trip during warm-up (catches cold-start outages). */
export const WARMUP_CONSEC_TRIP = 5;
/** Eval window = 5 average latencies, clamped to [100 ms, 5 s]. */
export const SAMPLES_PER_EVAL = 5;
const MIN_EVAL_NS = 100_000_000;
const MAX_EVAL_NS = 5_000_000_000;
export const MIN_LIMIT = 1;
/** Window error rate at the floor limit that opens the circuit. */
export const OPEN_ERR_THRESHOLD = 0.5;
/** Cap of the open-streak exponent: cooldown ≤ 8× Timeout, HALF_OPEN window ≤ 16× base. */
export const MAX_OPEN_BACKOFF = 4;
/** Rarity used for the consecutive-failure run length and the surge onset quantile. */
const HEALTHY_TAIL_PROB = 1e-8;
const SURGE_ONSET_Z = probit(1 - HEALTHY_TAIL_PROB);
/** EWMA step for simultaneous or out-of-order events (never capped). */
const TIE_ALPHA = 0.01;
/** Floor of (1 − error rate) when recovering the total event rate from goodput. */
const REQUEST_RATE_FLOOR = 0.05;
export const MIN_HOLDOFF_NS = 3_000_000_000;
export const RECOVER_HEADROOM = 3;
export const PROVEN_EXCESS_SNAP = 0.5;
export const MAX_SURGE_ONSET = 2 ** 40;
export const SQRT2 = Math.SQRT2;

/** Go's `Duration.Seconds()`: whole seconds plus the remainder, for an integer nanosecond count. */
export function seconds(ns: number): number {
  // Below one second the whole part is 0 and the sum is just ns / 1e9.
  if (ns >= 0 && ns < 1e9) return ns / 1e9;
  const whole = Math.trunc(ns / 1e9);
  return whole + (ns % 1e9) / 1e9;
}

/** Eval window for an average latency in seconds: clamp(5 × latency, 100 ms, 5 s), integer ns. */
export function evalIntervalNs(avgLatencyS: number): number {
  if (!(avgLatencyS > 0)) return MIN_EVAL_NS;
  const ns = Math.trunc(avgLatencyS * SAMPLES_PER_EVAL * 1e9);
  return ns < MIN_EVAL_NS ? MIN_EVAL_NS : Math.min(ns, MAX_EVAL_NS);
}

/** Upper bound of the 1e-8 Poisson tail of healthy inflight around a mean `c`. */
export function surgeOnset(c: number): number {
  return c + SURGE_ONSET_Z * (Math.sqrt(c) + SURGE_ONSET_Z / 4);
}

/**
 * One-sided Wilson score lower bound of a proportion `p` observed over `n`
 * samples, at `z` standard deviations.
 */
export function wilsonLowerBound(p: number, n: number, z: number): number {
  const z2 = z * z;
  return (p + z2 / (2 * n) - z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / (1 + z2 / n);
}

/** Thresholds derived once from the SLO (docs/ALGORITHM.md §3.3). */
export interface Thresholds {
  /** Error budget 1 − successRate. */
  readonly sloErr: number;
  /** Error rate below which a window counts as healthy (MIMD up, recovery); floored at 0.10. */
  readonly recoverThreshold: number;
  /** Run of consecutive failures whose probability at the budget is below 1e-8. */
  readonly consecFailTrip: number;
  /** Trip confidence as a z-score: Φ⁻¹(max(successRate, 0.5)). */
  readonly tripZ: number;
}

/** Derives every threshold from the success rate alone. */
export function deriveThresholds(successRate: number): Thresholds {
  const sloErr = 1 - successRate;
  // 1 − 0.9 is 0.09999999999999998 in doubles: the 0.095 cutoff keeps SLO 0.9 at its own value.
  const recoverThreshold = sloErr < 0.095 ? 0.1 : sloErr;
  const consecFailTrip = Math.ceil(Math.log(HEALTHY_TAIL_PROB) / Math.log(sloErr));
  const tripZ = probit(Math.max(successRate, 0.5));
  return { sloErr, recoverThreshold, consecFailTrip, tripZ };
}

/**
 * Weight of one EWMA step of `dt` seconds (half-life 3 s), capped at `cap`.
 * `dt ≤ 0` (a tie or an out-of-order event) gives the fixed 0.01, never capped.
 */
export function ewmaAlpha(dt: number, cap: number): number {
  if (dt <= 0) return TIE_ALPHA;
  const a = 1 - Math.exp((-dt * LN2) / HALF_LIFE_S);
  return Math.min(a, cap);
}

/**
 * The event-clock weight cap: one observation may move an average no more than
 * one average inter-success gap (1 / goodput) would. 1 (no cap) without goodput.
 */
export function weightCap(goodput: number): number {
  return goodput > 0 ? 1 - Math.exp((-(1 / goodput) * LN2) / HALF_LIFE_S) : 1;
}

/** Total event rate recovered from the success-only goodput. */
export function requestRate(goodput: number, errorRate: number): number {
  return goodput / Math.max(1 - errorRate, REQUEST_RATE_FLOOR);
}

/** Effective sample mass of an EWMA: about two half-lives of traffic, at least 1. */
export function effectiveSamples(rate: number): number {
  return Math.max((2 * rate * HALF_LIFE_S) / LN2, 1);
}

/** The trip statistic: Wilson lower bound of the error EWMA `p` (just `p` without goodput). */
export function errorLowerBound(p: number, goodput: number, z: number): number {
  if (goodput <= 0) return p;
  return wilsonLowerBound(p, effectiveSamples(requestRate(goodput, p)), z);
}

// ---------------------------------------------------------------------------
// Decayed counts (docs/ALGORITHM.md §3.13): every constant follows from H.
// ---------------------------------------------------------------------------

/** Decay rate λ = ln2 / H per nanosecond: a count decays by 2^(−Δt/H). */
export const DECAY_PER_NS = LN2 / (HALF_LIFE_S * 1e9);
/** 1/λ in seconds (H / ln2 ≈ 4.328 s): the exposure of an estimator that has watched forever. */
export const DECAY_TIME_S = HALF_LIFE_S / LN2;
/**
 * A decayed success count below one double ulp of a single event (2^-52) is
 * zero: the latency sum decays with it, and their ratio would be noise.
 */
export const COUNT_SNAP = Number.EPSILON;

/**
 * The trip statistic of the decayed counts: the one-sided Wilson lower bound
 * of `fails / events` with the decayed event count as the sample size (the
 * Fisher information of the exponentially discounted binomial likelihood,
 * whose score interval is Wilson's; docs/ALGORITHM.md §3.13). 0 without events.
 */
export function decayedLowerBound(fails: number, events: number, z: number): number {
  if (!(events > 0)) return 0;
  return wilsonLowerBound(fails / events, events, z);
}

// ---------------------------------------------------------------------------
// Input bounds (docs/ALGORITHM.md §1.2).
// ---------------------------------------------------------------------------

/**
 * Largest accepted magnitude of a timestamp, a duration and `slo.timeoutMs`,
 * in ms: the range of a JavaScript `Date` (±8.64e15 ms, 100 million days).
 * Anything larger is not a time, and products of such values (ns conversion,
 * cooldown backoff, latency sums) could overflow to Infinity.
 */
export const MAX_TIME_MS = 8.64e15;
