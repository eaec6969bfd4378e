/**
 * Google SRE client-side adaptive throttling ("Handling Overload", SRE book;
 * docs/PEERS.md §3), as a Candidate, with K = 1 / SLO success rate.
 *
 * Over a sliding window (2 minutes) the client counts `requests` — every
 * request the application attempted, including those this throttle dropped —
 * and `accepts` — requests the backend served successfully. A new request is
 * dropped locally with probability
 *     p = max(0, (requests − K · accepts) / (requests + 1)),
 * decided with a uniform draw from a seeded PRNG (deterministic per seed).
 * K = 2 in the book; with a success-rate SLO s, K = 1/s (failsafe-go's
 * parameterisation) throttles exactly the traffic in excess of what the SLO
 * would accept. The request is counted at its start, the accept at its
 * completion.
 *
 * The window is 120 one-second buckets keyed by simulated time and rotated
 * lazily on each event (no timers); totals are kept incrementally.
 *
 * No concurrency limit. State mapping: `THROTTLED` while p > 0 (requests are
 * being dropped with positive probability), else `CLOSED`; never `OPEN`.
 */
import type { Candidate, CandidateState } from '../candidate.js';
import type { CandidateEntry, CandidateOptions } from '../entry.js';
import { PEER_SEED, SeededRandom } from './prng.js';

export interface SreThrottleConfig {
  /** Multiplier on accepts; 1/SLO success rate. */
  readonly k: number;
  /** Length of the sliding window. */
  readonly windowNs: number;
  /** Number of buckets the window is split into. */
  readonly buckets: number;
  /** Seed of the drop decisions. */
  readonly seed: number;
}

export const SRE_THROTTLE_DEFAULTS: SreThrottleConfig = Object.freeze({
  k: 2,
  windowNs: 120e9,
  buckets: 120,
  seed: 1,
});

export class SreThrottle implements Candidate {
  readonly name: string;
  readonly #c: SreThrottleConfig;
  readonly #rng: SeededRandom;
  readonly #bucketNs: number;
  readonly #requests: Float64Array;
  readonly #accepts: Float64Array;
  /** Index (floor(t / bucketNs)) of the newest bucket. */
  #head = 0;
  #totalRequests = 0;
  #totalAccepts = 0;

  constructor(config: Partial<SreThrottleConfig> = {}, name = 'SRE-Throttle') {
    this.name = name;
    this.#c = { ...SRE_THROTTLE_DEFAULTS, ...config };
    if (!(this.#c.k > 0)) throw new RangeError(`k must be > 0 (got ${this.#c.k})`);
    this.#rng = new SeededRandom(this.#c.seed);
    this.#bucketNs = this.#c.windowNs / this.#c.buckets;
    this.#requests = new Float64Array(this.#c.buckets);
    this.#accepts = new Float64Array(this.#c.buckets);
  }

  /** Requests counted in the window. */
  get requests(): number {
    return this.#totalRequests;
  }

  /** Accepts counted in the window. */
  get accepts(): number {
    return this.#totalAccepts;
  }

  /** The drop probability a request would get now. */
  get dropProbability(): number {
    const excess = this.#totalRequests - this.#c.k * this.#totalAccepts;
    return excess > 0 ? excess / (this.#totalRequests + 1) : 0;
  }

  start(tNs: number): boolean {
    this.#rotate(tNs);
    const p = this.dropProbability;
    const slot = this.#head % this.#c.buckets;
    this.#requests[slot] = (this.#requests[slot] as number) + 1;
    this.#totalRequests++;
    return !(p > 0 && this.#rng.nextFloat() < p);
  }

  state(): CandidateState {
    return this.dropProbability > 0 ? 'THROTTLED' : 'CLOSED';
  }

  success(tNs: number, _latencyNs: number): void {
    this.#rotate(tNs);
    const slot = this.#head % this.#c.buckets;
    this.#accepts[slot] = (this.#accepts[slot] as number) + 1;
    this.#totalAccepts++;
  }

  fail(tNs: number, _latencyNs: number): void {
    this.#rotate(tNs);
  }

  /** Drop buckets that slid out of the window ending at `tNs`. */
  #rotate(tNs: number): void {
    const index = Math.floor(tNs / this.#bucketNs);
    if (index <= this.#head) return;
    const n = this.#c.buckets;
    const steps = Math.min(index - this.#head, n);
    for (let i = 1; i <= steps; i++) {
      const slot = (this.#head + i) % n;
      this.#totalRequests -= this.#requests[slot] as number;
      this.#totalAccepts -= this.#accepts[slot] as number;
      this.#requests[slot] = 0;
      this.#accepts[slot] = 0;
    }
    this.#head = index;
  }
}

/** The SRE throttle with K = 1 / SLO success rate. */
export function createSreThrottle({ slo }: CandidateOptions): Candidate {
  return new SreThrottle({ k: 1 / slo.successRate, seed: PEER_SEED });
}

export const SRE_THROTTLE_ENTRIES = [
  {
    key: 'sre-throttle',
    displayName: 'SRE-Throttle',
    description: 'Google SRE client-side throttling with K = 1/SLO over 2 minutes',
    group: 'limiters',
    relativeCost: 1.5,
    meshCost: 20,
    create: (options) => createSreThrottle(options),
  },
] as const satisfies readonly CandidateEntry[];
