/**
 * failsafe-go's `adaptivethrottler` (docs/PEERS.md §3.8), as a Candidate,
 * with its documented defaults: the SRE book's client-side throttling with a
 * success-rate threshold and a maximum rejection rate.
 *
 * Over a 1-minute window (20 buckets of 3 s keyed by simulated time) it counts
 * `executions` — requests that ran and completed, success or failure — and
 * `successes`. A new request is rejected with probability
 *     p = min(maxRejectionRate, max(0, executions − successes / s) / (executions + 1)),
 * s = 1 − failureRateThreshold, and p = 0 while executions < executionThreshold.
 * p = 0 admits without a draw; otherwise a uniform draw u from a seeded PRNG
 * rejects when u ≤ p (failsafe-go's `rate >= rand.Float64()`).
 *
 * Two differences from the SRE throttle (`sre-throttle.ts`) follow failsafe-go:
 * requests are counted when their result is recorded, so a request it
 * rejects is never counted; and p is capped at 0.9, so at least a tenth of the
 * traffic still reaches the backend and refreshes the counts. Buckets rotate
 * only when a result is recorded (failsafe-go's timed stats move their head
 * in `currentBucket`, which only the record methods call), so admission reads
 * the counts as of the last completion.
 *
 * Defaults (failsafe-go `NewBuilder`): failure-rate threshold 0.1 (success
 * threshold 0.9), execution threshold 0, thresholding period 1 minute, max
 * rejection rate 0.9; 20 buckets (fixed in failsafe-go). No concurrency
 * limit. State mapping: `THROTTLED` while p > 0, else `CLOSED`; never `OPEN`.
 */
import type { Candidate, CandidateState } from '../candidate.js';
import type { CandidateEntry } from '../entry.js';
import { PEER_SEED, SeededRandom } from './prng.js';

export interface FailsafeThrottlerConfig {
  /** Failure rate above which requests start being rejected, in [0, 1]. */
  readonly failureRateThreshold: number;
  /** Executions the window must hold before anything is rejected. */
  readonly executionThreshold: number;
  /** Length of the sliding window. */
  readonly thresholdingPeriodNs: number;
  /** Buckets the window is split into. */
  readonly buckets: number;
  /** Cap on the rejection probability, in [0, 1]. */
  readonly maxRejectionRate: number;
  /** Seed of the rejection draws. */
  readonly seed: number;
}

export const FAILSAFE_THROTTLER_DEFAULTS: FailsafeThrottlerConfig = Object.freeze({
  failureRateThreshold: 0.1,
  executionThreshold: 0,
  thresholdingPeriodNs: 60e9,
  buckets: 20,
  maxRejectionRate: 0.9,
  seed: 1,
});

/** Added to the executions in the denominator (failsafe-go's `executionPadding`). */
const EXECUTION_PADDING = 1;

/** failsafe-go's `computeRejectionRate`. */
export function failsafeRejectionRate(
  executions: number,
  successes: number,
  successRateThreshold: number,
  maxRejectionRate: number,
  executionThreshold: number,
): number {
  if (executions < executionThreshold) return 0;
  const maxAllowed = successes / successRateThreshold;
  const excess = Math.max(0, executions - maxAllowed);
  return Math.min(excess / (executions + EXECUTION_PADDING), maxRejectionRate);
}

export class FailsafeAdaptiveThrottler implements Candidate {
  readonly name: string;
  readonly #c: FailsafeThrottlerConfig;
  readonly #successThreshold: number;
  readonly #rng: SeededRandom;
  readonly #bucketNs: number;
  readonly #successes: Float64Array;
  readonly #failures: Float64Array;
  /** Index (floor(t / bucketNs)) of the newest bucket. */
  #head = 0;
  #totalSuccesses = 0;
  #totalFailures = 0;

  constructor(config: Partial<FailsafeThrottlerConfig> = {}, name = 'Failsafe-Throttler') {
    this.name = name;
    this.#c = { ...FAILSAFE_THROTTLER_DEFAULTS, ...config };
    const f = this.#c.failureRateThreshold;
    if (!(f >= 0 && f <= 1)) {
      throw new RangeError(`failureRateThreshold must be between 0 and 1 (got ${f})`);
    }
    this.#successThreshold = Math.min(1, Math.max(0, 1 - f));
    this.#rng = new SeededRandom(this.#c.seed);
    this.#bucketNs = this.#c.thresholdingPeriodNs / this.#c.buckets;
    this.#successes = new Float64Array(this.#c.buckets);
    this.#failures = new Float64Array(this.#c.buckets);
  }

  /** Executions counted in the window (as of the last recorded result). */
  get executions(): number {
    return this.#totalSuccesses + this.#totalFailures;
  }

  /** Successes counted in the window. */
  get successes(): number {
    return this.#totalSuccesses;
  }

  /** The rejection probability a request would get now. */
  get rejectionRate(): number {
    const c = this.#c;
    return failsafeRejectionRate(
      this.executions,
      this.#totalSuccesses,
      this.#successThreshold,
      c.maxRejectionRate,
      c.executionThreshold,
    );
  }

  start(_tNs: number): boolean {
    const p = this.rejectionRate;
    if (p === 0) return true;
    if (p >= 1) return false;
    return !(p >= this.#rng.nextFloat());
  }

  state(): CandidateState {
    return this.rejectionRate > 0 ? 'THROTTLED' : 'CLOSED';
  }

  success(tNs: number, _latencyNs: number): void {
    const slot = this.#bucket(tNs);
    this.#successes[slot] = (this.#successes[slot] as number) + 1;
    this.#totalSuccesses++;
  }

  fail(tNs: number, _latencyNs: number): void {
    const slot = this.#bucket(tNs);
    this.#failures[slot] = (this.#failures[slot] as number) + 1;
    this.#totalFailures++;
  }

  /** The bucket for time `tNs`, after clearing those that slid out of the window. */
  #bucket(tNs: number): number {
    const n = this.#c.buckets;
    const index = Math.floor(tNs / this.#bucketNs);
    if (index > this.#head) {
      const steps = Math.min(index - this.#head, n);
      for (let i = 1; i <= steps; i++) {
        const slot = (this.#head + i) % n;
        this.#totalSuccesses -= this.#successes[slot] as number;
        this.#totalFailures -= this.#failures[slot] as number;
        this.#successes[slot] = 0;
        this.#failures[slot] = 0;
      }
      this.#head = index;
    }
    return this.#head % n;
  }
}

export const FAILSAFE_THROTTLER_ENTRIES = [
  {
    key: 'failsafe-throttler',
    displayName: 'Failsafe-Throttler',
    description:
      "failsafe-go's adaptive throttler (SRE formula, failure threshold 0.1 over 1 minute, max rejection 0.9)",
    group: 'limiters',
    ignoresSlo: true,
    relativeCost: 1.5,
    meshCost: 20,
    create: () => new FailsafeAdaptiveThrottler({ seed: PEER_SEED }),
  },
] as const satisfies readonly CandidateEntry[];
