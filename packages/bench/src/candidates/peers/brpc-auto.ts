/**
 * brpc's auto concurrency limiter (`policy/auto_concurrency_limiter.cpp`;
 * docs/PEERS.md §3.9), as a Candidate, with its gflag defaults.
 *
 * Little's law: with no queueing, concurrency = latency × throughput, so the
 * limit is the no-load latency times the peak throughput plus an exploration
 * margin. Times are whole microseconds, as in brpc.
 *
 * - Sampling: a completed request is sampled only if at least
 *   `samplingIntervalUs` (100 µs) passed since the last sampled one; every
 *   success is also counted for the throughput whether sampled or not.
 * - Window: sampled successes add their latency to `succUs`, sampled failures
 *   to `failedUs` (error punishment on). A window with fewer than 100 samples
 *   when its 1 s is up is discarded; it is submitted once it holds 200
 *   samples, or ≥ 100 samples after 1 s.
 * - Submission (at least one success): avg = ceil((failedUs ·
 *   failPunishRatio + succUs) / successes); qps = successes counted since the
 *   window began / its duration; minLatency = avg the first time, else moves
 *   10 % toward a lower avg (never up); maxQps = qps when higher, else moves
 *   1 % toward it. Then either
 *   - re-measurement, once its time has come: limit = ceil(maxQps ·
 *     minLatency · 0.9); samples are ignored for 2 · avg, then minLatency is
 *     forgotten (the next window sets it afresh) and the next re-measurement
 *     is scheduled 25–50 s ahead (half the 50 s interval plus a uniform draw
 *     over the other half, from a seeded PRNG);
 *   - or exploration: the explore ratio grows by 0.02 (to at most 0.3) while
 *     avg ≤ minLatency · 1.06 or qps ≤ maxQps / 1.06 (no sign of queueing),
 *     else shrinks by 0.02 (to at least 0.06); limit = trunc(minLatency ·
 *     maxQps · (1 + explore)).
 *   A window of failures only halves the limit. The limit never goes below
 *   `minConcurrency`, brpc's floor `bthread_concurrency` (8 workers + 1 epoll
 *   thread = 9 by default).
 * - Admission: brpc admits while the concurrency including the new request is
 *   ≤ the limit, i.e. in flight < limit, as every `InflightLimiter`.
 *
 * Defaults (brpc gflags): window 1,000 ms, 100–200 samples, sampling interval
 * 0.1 ms, initial limit 40, re-measure interval 50 s, EMA factor 0.1, error
 * punishment on with ratio 1, explore ratio 0.06–0.3 in steps of 0.02,
 * re-measure reduction 0.9, latency fluctuation correction 1.
 */
import type { CandidateEntry } from '../entry.js';
import { InflightLimiter } from './limiter.js';
import { PEER_SEED, SeededRandom } from './prng.js';

export interface BrpcAutoConfig {
  /** auto_cl_sample_window_size_ms, in µs. */
  readonly sampleWindowUs: number;
  /** auto_cl_min_sample_count. */
  readonly minSampleCount: number;
  /** auto_cl_max_sample_count. */
  readonly maxSampleCount: number;
  /** auto_cl_sampling_interval_ms, in µs. */
  readonly samplingIntervalUs: number;
  /** auto_cl_initial_max_concurrency. */
  readonly initialMaxConcurrency: number;
  /** auto_cl_noload_latency_remeasure_interval_ms, in µs. */
  readonly remeasureIntervalUs: number;
  /** auto_cl_alpha_factor_for_ema (a tenth of it for the throughput). */
  readonly emaAlpha: number;
  /** auto_cl_enable_error_punish. */
  readonly errorPunish: boolean;
  /** auto_cl_fail_punish_ratio. */
  readonly failPunishRatio: number;
  /** auto_cl_max_explore_ratio. */
  readonly maxExploreRatio: number;
  /** auto_cl_min_explore_ratio. */
  readonly minExploreRatio: number;
  /** auto_cl_change_rate_of_explore_ratio. */
  readonly exploreRatioStep: number;
  /** auto_cl_reduce_ratio_while_remeasure. */
  readonly remeasureReduceRatio: number;
  /** auto_cl_latency_fluctuation_correction_factor. */
  readonly latencyCorrectionFactor: number;
  /** The floor of the limit (bthread_concurrency). */
  readonly minConcurrency: number;
  /** Seed of the re-measurement schedule. */
  readonly seed: number;
}

export const BRPC_AUTO_DEFAULTS: BrpcAutoConfig = Object.freeze({
  sampleWindowUs: 1_000_000,
  minSampleCount: 100,
  maxSampleCount: 200,
  samplingIntervalUs: 100,
  initialMaxConcurrency: 40,
  remeasureIntervalUs: 50_000_000,
  emaAlpha: 0.1,
  errorPunish: true,
  failPunishRatio: 1,
  maxExploreRatio: 0.3,
  minExploreRatio: 0.06,
  exploreRatioStep: 0.02,
  remeasureReduceRatio: 0.9,
  latencyCorrectionFactor: 1,
  minConcurrency: 9,
  seed: 1,
});

const NS_PER_US = 1e3;
const US_PER_S = 1e6;

export class BrpcAutoLimiter extends InflightLimiter {
  readonly name: string;
  readonly #c: BrpcAutoConfig;
  readonly #rng: SeededRandom;
  #maxConcurrency: number;
  #remeasureStartUs: number;
  /** End of the pause after a re-measurement began; 0 = none pending. */
  #resetLatencyUs = 0;
  #minLatencyUs = -1;
  #emaMaxQps = -1;
  #exploreRatio: number;
  #lastSamplingUs = 0;
  /** Successes since the window began, sampled or not. */
  #totalSuccesses = 0;
  #windowStartUs = 0;
  #succCount = 0;
  #failedCount = 0;
  #succUs = 0;
  #failedUs = 0;
  #submissions = 0;

  constructor(config: Partial<BrpcAutoConfig> = {}, name = 'brpc-Auto') {
    super();
    this.name = name;
    this.#c = { ...BRPC_AUTO_DEFAULTS, ...config };
    this.#rng = new SeededRandom(this.#c.seed);
    this.#maxConcurrency = this.#c.initialMaxConcurrency;
    this.#exploreRatio = this.#c.maxExploreRatio;
    this.#remeasureStartUs = this.#nextResetTime(0);
  }

  get limit(): number {
    return this.#maxConcurrency;
  }

  /** The no-load latency estimate (µs; −1 before the first window or after a reset). */
  get minLatencyUs(): number {
    return this.#minLatencyUs;
  }

  /** The peak-throughput estimate (requests per second; −1 before the first window). */
  get maxQps(): number {
    return this.#emaMaxQps;
  }

  get exploreRatio(): number {
    return this.#exploreRatio;
  }

  /** When the next re-measurement is due (µs of simulated time). */
  get remeasureStartUs(): number {
    return this.#remeasureStartUs;
  }

  /** Until when samples are ignored after a re-measurement began (µs; 0 = not pausing). */
  get pauseUntilUs(): number {
    return this.#resetLatencyUs;
  }

  /** Windows submitted so far. */
  get submissions(): number {
    return this.#submissions;
  }

  protected onSample(tNs: number, rttNs: number, _inFlightAtStart: number, didDrop: boolean): void {
    if (!didDrop) this.#totalSuccesses++;
    const nowUs = Math.floor(tNs / NS_PER_US);
    const last = this.#lastSamplingUs;
    if (last === 0 || nowUs - last >= this.#c.samplingIntervalUs) {
      this.#lastSamplingUs = nowUs;
      this.#addSample(didDrop, Math.floor(rttNs / NS_PER_US), nowUs);
    }
  }

  #nextResetTime(nowUs: number): number {
    const halfMs = Math.trunc(this.#c.remeasureIntervalUs / 1000 / 2);
    const jitterMs = halfMs > 0 ? this.#rng.nextUint32() % halfMs : 0;
    return nowUs + (halfMs + jitterMs) * 1000;
  }

  #addSample(failed: boolean, latencyUs: number, nowUs: number): void {
    const c = this.#c;
    if (this.#resetLatencyUs !== 0) {
      if (this.#resetLatencyUs > nowUs) return; // draining after the limit was cut
      this.#minLatencyUs = -1;
      this.#resetLatencyUs = 0;
      this.#remeasureStartUs = this.#nextResetTime(nowUs);
      this.#resetWindow(nowUs);
    }
    if (this.#windowStartUs === 0) this.#windowStartUs = nowUs;
    if (failed && c.errorPunish) {
      this.#failedCount++;
      this.#failedUs += latencyUs;
    } else if (!failed) {
      this.#succCount++;
      this.#succUs += latencyUs;
    }
    const count = this.#succCount + this.#failedCount;
    const elapsed = nowUs - this.#windowStartUs;
    if (count < c.minSampleCount) {
      if (elapsed >= c.sampleWindowUs) this.#resetWindow(nowUs); // too few samples: discard
      return;
    }
    if (elapsed < c.sampleWindowUs && count < c.maxSampleCount) return;
    this.#submissions++;
    if (this.#succCount > 0) this.#updateMaxConcurrency(nowUs);
    else this.#adjust(Math.trunc(this.#maxConcurrency / 2)); // everything failed
    this.#resetWindow(nowUs);
  }

  #resetWindow(nowUs: number): void {
    this.#totalSuccesses = 0;
    this.#windowStartUs = nowUs;
    this.#succCount = 0;
    this.#failedCount = 0;
    this.#succUs = 0;
    this.#failedUs = 0;
  }

  #updateMaxConcurrency(nowUs: number): void {
    const c = this.#c;
    const avgLatency = Math.ceil(
      (this.#failedUs * c.failPunishRatio + this.#succUs) / this.#succCount,
    );
    const qps = (US_PER_S * this.#totalSuccesses) / (nowUs - this.#windowStartUs);
    if (this.#minLatencyUs <= 0) this.#minLatencyUs = avgLatency;
    else if (avgLatency < this.#minLatencyUs) {
      this.#minLatencyUs = Math.trunc(
        avgLatency * c.emaAlpha + this.#minLatencyUs * (1 - c.emaAlpha),
      );
    }
    const qpsAlpha = c.emaAlpha / 10;
    if (qps >= this.#emaMaxQps) this.#emaMaxQps = qps;
    else this.#emaMaxQps = qps * qpsAlpha + this.#emaMaxQps * (1 - qpsAlpha);

    let next: number;
    if (this.#remeasureStartUs <= nowUs) {
      this.#resetLatencyUs = nowUs + avgLatency * 2;
      next = Math.ceil(
        ((this.#emaMaxQps * this.#minLatencyUs) / US_PER_S) * c.remeasureReduceRatio,
      );
    } else {
      const quiet =
        avgLatency <= this.#minLatencyUs * (1 + c.minExploreRatio * c.latencyCorrectionFactor) ||
        qps <= this.#emaMaxQps / (1 + c.minExploreRatio);
      this.#exploreRatio = quiet
        ? Math.min(c.maxExploreRatio, this.#exploreRatio + c.exploreRatioStep)
        : Math.max(c.minExploreRatio, this.#exploreRatio - c.exploreRatioStep);
      next = Math.trunc(
        ((this.#minLatencyUs * this.#emaMaxQps) / US_PER_S) * (1 + this.#exploreRatio),
      );
    }
    this.#adjust(next);
  }

  #adjust(next: number): void {
    this.#maxConcurrency = Math.max(this.#c.minConcurrency, next);
  }
}

export const BRPC_AUTO_ENTRIES = [
  {
    key: 'brpc-auto',
    displayName: 'brpc-Auto',
    description:
      "brpc's auto concurrency limiter (min latency x peak QPS x (1 + explore 0.06..0.3), re-measured every 25-50 s; init 40)",
    group: 'limiters',
    ignoresSlo: true,
    // It admits more than the other limiters, so the backend simulates more
    // requests in flight: its full run took about twice Levee's (docs/PEERS.md §3.9).
    relativeCost: 2,
    meshCost: 20,
    create: () => new BrpcAutoLimiter({ seed: PEER_SEED }),
  },
] as const satisfies readonly CandidateEntry[];
