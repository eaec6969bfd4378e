/**
 * failsafe-go's `adaptivelimiter` (docs/PEERS.md §3.7), as a Candidate, with
 * its documented defaults.
 *
 * Every completed request (success or failure: failsafe-go's policy executor
 * records each execution that ran, whatever its result) adds its RTT and the
 * in-flight count at its admission to the recent window. When the window is
 * due — at a completion strictly after the next update time, holding at least
 * `recentWindowMinSamples` (50) samples — the limit is updated and the window
 * starts over; the next update time is now + clamp(2 · the window's minimum
 * RTT, 1 s, 30 s).
 *
 * The update, from the window's `recentQuantile` (p90) RTT:
 * 1. recent = EWMA(5 samples, plain mean over the first 10) of a 5-value
 *    median filter (the first 4 values pass through) of the p90;
 * 2. baseline = EWMA(baselineWindowAge 10, plain mean over the first 10) of
 *    `recent`; gradient = baseline / recent; queue = ceil(limit · (1 −
 *    gradient)) (the Vegas queue estimate);
 * 3. throughput = maxInflight / recent (Little's law, requests per second);
 *    correlation windows of the last 50 updates give corr(inflight,
 *    throughput), the throughput's coefficient of variation, and corr(inflight,
 *    recent RTT) — 0 before 10 values or when either series varies by less than
 *    1 %;
 * 4. with α = 3·L, β = 6·L, step = L (L = 1 below a limit of 100, 2 below
 *    1,000, floor(log10) above) and `full` = the limiter was full at the
 *    completion (the completing request still counted):
 *    queue > β → decrease; full and corr(inflight, throughput) < 0 → decrease;
 *    full, that correlation < 0.3 and corr(inflight, RTT) > 0.5 → decrease;
 *    full, throughput CV < 0.2 and corr(inflight, RTT) > 0.5 → decrease;
 *    queue < α → increase; else hold;
 * 5. a new limit above maxLimitFactor (5) × the window's maximum in-flight
 *    count becomes limit − step instead (the limit may not run ahead of the
 *    load); then clamp to [min, max].
 * The limit is a real number; admission uses floor(limit), as failsafe-go's
 * semaphore is sized int(limit). Defaults (failsafe-go `NewBuilder`): limits
 * min 1, max 200, initial 20; max limit factor 5; recent window 1 s–30 s and
 * 50 samples; p90; baseline age 10; correlation window 50. No queueing
 * (failsafe-go's default). failsafe-go summarises the window with a t-digest
 * (compression 100); this port takes the exact nearest-rank quantile.
 */
import type { CandidateEntry } from '../entry.js';
import { InflightLimiter } from './limiter.js';

export interface FailsafeLimiterConfig {
  readonly minLimit: number;
  readonly maxLimit: number;
  readonly initialLimit: number;
  /** The limit may rise to at most this multiple of the window's maximum in-flight count. */
  readonly maxLimitFactor: number;
  /** Shortest time between updates. */
  readonly recentWindowMinNs: number;
  /** Longest time between updates. */
  readonly recentWindowMaxNs: number;
  /** Samples a window needs before it updates the limit. */
  readonly recentWindowMinSamples: number;
  /** Quantile of the window's RTTs compared with the baseline. */
  readonly recentQuantile: number;
  /** Effective age (in updates) of the baseline EWMA. */
  readonly baselineWindowAge: number;
  /** Updates kept by the correlation windows. */
  readonly correlationWindowSize: number;
}

export const FAILSAFE_LIMITER_DEFAULTS: FailsafeLimiterConfig = Object.freeze({
  minLimit: 1,
  maxLimit: 200,
  initialLimit: 20,
  maxLimitFactor: 5,
  recentWindowMinNs: 1e9,
  recentWindowMaxNs: 30e9,
  recentWindowMinSamples: 50,
  recentQuantile: 0.9,
  baselineWindowAge: 10,
  correlationWindowSize: 50,
});

/** failsafe-go's warm-up: averages and correlations start after this many values. */
const WARMUP_SAMPLES = 10;
/** Median-filter size and window of the recent-RTT EWMA. */
const SMOOTHED_SAMPLES = 5;
/** Correlations of series varying by less than this coefficient of variation are 0. */
const MIN_CV = 0.01;

/** L = 1 below 100, 2 below 1,000, floor(log10(n)) above (failsafe-go's `Log10Func`). */
export function failsafeLog10(limit: number): number {
  const n = Math.trunc(limit);
  if (n < 100) return 1;
  if (n < 1000) return 2;
  return Math.floor(Math.log10(n) + 1e-12);
}

/** Exponentially weighted moving average, a plain mean over the first `warmup` values. */
export class Ewma {
  readonly #factor: number;
  readonly #warmup: number;
  #count = 0;
  #sum = 0;
  #value = 0;

  constructor(windowSize: number, warmup: number) {
    this.#factor = 2 / (windowSize + 1);
    this.#warmup = warmup;
  }

  add(x: number): number {
    if (this.#count < this.#warmup) {
      this.#count++;
      this.#sum += x;
      this.#value = this.#sum / this.#count;
    } else {
      this.#value = this.#value * (1 - this.#factor) + x * this.#factor;
    }
    return this.#value;
  }
}

/** Median of the last `size` values; the first `size − 1` values pass through unchanged. */
export class MedianFilter {
  readonly #values: number[];
  #index = 0;
  #count = 0;

  constructor(size: number) {
    this.#values = new Array<number>(size).fill(0);
  }

  add(x: number): number {
    const n = this.#values.length;
    this.#values[this.#index] = x;
    this.#index = (this.#index + 1) % n;
    if (this.#count < n - 1) {
      this.#count++;
      return x;
    }
    const sorted = [...this.#values].sort((a, b) => a - b);
    return sorted[Math.floor(n / 2)] as number;
  }
}

/** Rolling mean and variance of the last `capacity` values. */
class RollingSeries {
  readonly values: number[];
  size = 0;
  index = 0;
  sum = 0;
  sumSquares = 0;

  constructor(capacity: number) {
    this.values = new Array<number>(capacity).fill(0);
  }

  /** Adds `x`; returns the value it pushed out, or undefined while the window was not full. */
  add(x: number): number | undefined {
    let old: number | undefined;
    if (this.size === this.values.length) {
      old = this.values[this.index] as number;
      this.sum -= old;
      this.sumSquares -= old * old;
    } else {
      this.size++;
    }
    this.values[this.index] = x;
    this.sum += x;
    this.sumSquares += x * x;
    this.index = (this.index + 1) % this.values.length;
    return old;
  }

  /** Coefficient of variation, mean and (population) variance; NaNs below 2 values or at mean 0. */
  stats(): { cv: number; mean: number; variance: number } {
    if (this.size < 2) return { cv: Number.NaN, mean: Number.NaN, variance: Number.NaN };
    const mean = this.sum / this.size;
    const variance = this.sumSquares / this.size - mean * mean;
    if (variance < 0 || mean === 0) {
      return { cv: Number.NaN, mean: Number.NaN, variance: Number.NaN };
    }
    return { cv: Math.sqrt(variance) / mean, mean, variance };
  }
}

/** What `CorrelationWindow.add` returns. */
export interface Correlation {
  /** Pearson correlation of x and y over the window, or 0 (see `CorrelationWindow`). */
  correlation: number;
  cvX: number;
  cvY: number;
}

/**
 * Pearson correlation of the last `capacity` (x, y) pairs, as failsafe-go's
 * `CorrelationWindow`: all zeros before `warmup` pairs or without a defined
 * variance, correlation 0 (with the CVs) when either series varies by less
 * than 1 %. failsafe-go skips a zero value in either series; the pairs here
 * are always positive (in-flight ≥ 1, finite positive RTTs), so every pair is
 * added.
 */
export class CorrelationWindow {
  readonly #x: RollingSeries;
  readonly #y: RollingSeries;
  readonly #warmup: number;
  #sumXY = 0;

  constructor(capacity: number, warmup: number) {
    this.#x = new RollingSeries(capacity);
    this.#y = new RollingSeries(capacity);
    this.#warmup = warmup;
  }

  add(x: number, y: number): Correlation {
    const oldX = this.#x.add(x);
    const oldY = this.#y.add(y);
    const sx = this.#x.stats();
    const sy = this.#y.stats();
    if (oldX !== undefined && oldY !== undefined) this.#sumXY -= oldX * oldY;
    this.#sumXY += x * y;
    if (Number.isNaN(sx.cv) || Number.isNaN(sy.cv)) return { correlation: 0, cvX: 0, cvY: 0 };
    if (this.#x.size < this.#warmup) return { correlation: 0, cvX: 0, cvY: 0 };
    if (sx.cv < MIN_CV || sy.cv < MIN_CV) return { correlation: 0, cvX: sx.cv, cvY: sy.cv };
    const covariance = this.#sumXY / this.#x.size - sx.mean * sy.mean;
    const correlation = covariance / (Math.sqrt(sx.variance) * Math.sqrt(sy.variance));
    return { correlation, cvX: sx.cv, cvY: sy.cv };
  }
}

/** Why the last update moved the limit (failsafe-go's debug-log reasons). */
export type FailsafeLimitReason =
  | 'queue'
  | 'thrptCorr'
  | 'thrptCorrRtt'
  | 'thrptCV'
  | 'max'
  | 'min';

/** One limit update, for tests and diagnostics. */
export interface FailsafeLimitUpdate {
  direction: 'increase' | 'decrease' | 'hold';
  reason: FailsafeLimitReason;
  limit: number;
  recentRttNs: number;
  baselineRttNs: number;
  queueSize: number;
  throughputCorrelation: number;
  rttCorrelation: number;
}

export class FailsafeAdaptiveLimiter extends InflightLimiter {
  readonly name: string;
  readonly #c: FailsafeLimiterConfig;
  #limit: number;
  /** RTTs (ns) of the recent window. */
  readonly #window: number[] = [];
  #windowMinRtt = 0;
  #windowMaxInflight = 0;
  readonly #median = new MedianFilter(SMOOTHED_SAMPLES);
  readonly #smoothed = new Ewma(SMOOTHED_SAMPLES, WARMUP_SAMPLES);
  readonly #baseline: Ewma;
  readonly #throughputCorrelation: CorrelationWindow;
  readonly #rttCorrelation: CorrelationWindow;
  #nextUpdateNs = 0;
  #lastUpdate: FailsafeLimitUpdate | undefined;

  constructor(config: Partial<FailsafeLimiterConfig> = {}, name = 'Failsafe-Limiter') {
    super();
    this.name = name;
    this.#c = { ...FAILSAFE_LIMITER_DEFAULTS, ...config };
    this.#limit = this.#c.initialLimit;
    this.#baseline = new Ewma(this.#c.baselineWindowAge, WARMUP_SAMPLES);
    this.#throughputCorrelation = new CorrelationWindow(
      this.#c.correlationWindowSize,
      WARMUP_SAMPLES,
    );
    this.#rttCorrelation = new CorrelationWindow(this.#c.correlationWindowSize, WARMUP_SAMPLES);
  }

  get limit(): number {
    return Math.floor(this.#limit);
  }

  /** The real-valued limit. */
  get estimatedLimit(): number {
    return this.#limit;
  }

  /** Samples in the current recent window. */
  get windowSize(): number {
    return this.#window.length;
  }

  /** When the next update may happen (ns): at the first completion strictly after it. */
  get nextUpdateNs(): number {
    return this.#nextUpdateNs;
  }

  /** The most recent limit update, if any. */
  get lastUpdate(): FailsafeLimitUpdate | undefined {
    return this.#lastUpdate;
  }

  protected onSample(tNs: number, rttNs: number, inFlightAtStart: number, _didDrop: boolean): void {
    // The completing request still holds its permit (failsafe-go releases it after recording).
    this.record(tNs, rttNs, inFlightAtStart, this.inFlight + 1 >= this.limit);
  }

  /**
   * One recorded execution at `tNs`: its RTT, the in-flight count at its
   * admission, and whether the limiter was full at the completion.
   */
  record(tNs: number, rttNs: number, inFlightAtStart: number, full: boolean): void {
    const c = this.#c;
    if (this.#window.length === 0) {
      this.#windowMinRtt = rttNs;
      this.#windowMaxInflight = inFlightAtStart;
    } else {
      this.#windowMinRtt = Math.min(this.#windowMinRtt, rttNs);
      this.#windowMaxInflight = Math.max(this.#windowMaxInflight, inFlightAtStart);
    }
    this.#window.push(rttNs);
    if (!(tNs > this.#nextUpdateNs) || this.#window.length < c.recentWindowMinSamples) return;

    const quantile = this.#quantile(c.recentQuantile);
    const recent = this.#smoothed.add(this.#median.add(quantile));
    const minRtt = this.#windowMinRtt;
    if (recent > 0) this.#updateLimit(recent, this.#windowMaxInflight, full);
    this.#window.length = 0;
    const windowNs = Math.max(minRtt * 2, c.recentWindowMinNs);
    this.#nextUpdateNs = tNs + Math.min(windowNs, c.recentWindowMaxNs);
  }

  #quantile(q: number): number {
    const s = this.#window.slice().sort((a, b) => a - b);
    const rank = Math.min(s.length, Math.max(1, Math.ceil(q * s.length)));
    return s[rank - 1] as number;
  }

  #updateLimit(recentRtt: number, inflight: number, full: boolean): void {
    const c = this.#c;
    const limit = this.#limit;
    const baselineRtt = this.#baseline.add(recentRtt);
    const gradient = baselineRtt / recentRtt;
    const queueSize = Math.ceil(limit * (1 - gradient));
    const throughput = inflight / (recentRtt / 1e9);
    const thr = this.#throughputCorrelation.add(inflight, throughput);
    const rtt = this.#rttCorrelation.add(inflight, recentRtt);
    const step = failsafeLog10(limit);
    const alpha = 3 * step;
    const beta = 6 * step;

    let direction: FailsafeLimitUpdate['direction'];
    let reason: FailsafeLimitReason;
    if (queueSize > beta) {
      direction = 'decrease';
      reason = 'queue';
    } else if (full && thr.correlation < 0) {
      direction = 'decrease';
      reason = 'thrptCorr';
    } else if (full && thr.correlation < 0.3 && rtt.correlation > 0.5) {
      direction = 'decrease';
      reason = 'thrptCorrRtt';
    } else if (full && thr.cvY < 0.2 && rtt.correlation > 0.5) {
      direction = 'decrease';
      reason = 'thrptCV';
    } else if (queueSize < alpha) {
      direction = 'increase';
      reason = 'queue';
    } else {
      direction = 'hold';
      reason = 'queue';
    }
    let next = limit;
    if (direction === 'decrease') next = limit - step;
    else if (direction === 'increase') next = limit + step;

    if (next > inflight * c.maxLimitFactor) {
      direction = 'decrease';
      reason = 'max';
      next = limit - step;
    }
    if (next > c.maxLimit) {
      if (limit === c.maxLimit) {
        direction = 'hold';
        reason = 'max';
      }
      next = c.maxLimit;
    } else if (next < c.minLimit) {
      if (limit === c.minLimit) {
        direction = 'hold';
        reason = 'min';
      }
      next = c.minLimit;
    }
    this.#limit = next;
    this.#lastUpdate = {
      direction,
      reason,
      limit: next,
      recentRttNs: recentRtt,
      baselineRttNs: baselineRtt,
      queueSize,
      throughputCorrelation: thr.correlation,
      rttCorrelation: rtt.correlation,
    };
  }
}

export const FAILSAFE_LIMITER_ENTRIES = [
  {
    key: 'failsafe-limiter',
    displayName: 'Failsafe-Limiter',
    description:
      "failsafe-go's adaptive limiter (p90 vs baseline, Vegas queue, throughput correlation; 1..200, init 20, cap 5x inflight)",
    group: 'limiters',
    ignoresSlo: true,
    relativeCost: 1.5,
    meshCost: 20,
    create: () => new FailsafeAdaptiveLimiter(),
  },
] as const satisfies readonly CandidateEntry[];
