/**
 * Netflix concurrency-limits `VegasLimit` (docs/PEERS.md §3), as a Candidate.
 *
 * Delay-based, after TCP Vegas. Per completed request with RTT > 0:
 * 1. probe: every ~probeMultiplier · limit samples (the count jittered by a
 *    uniform factor in [0.5, 1) drawn from a seeded PRNG) the sample becomes
 *    the new no-load RTT — a re-measurement, so a baseline taken long ago
 *    cannot pin the limit down forever; nothing else happens;
 * 2. if there is no no-load RTT yet, or this RTT is lower, it becomes the
 *    no-load RTT; nothing else happens;
 * 3. queue = ceil(limit · (1 − rttNoLoad / rtt));
 *    - drop (any failure) → limit − log10(limit);
 *    - else if admitted with in flight · 2 < limit → unchanged (app-limited);
 *    - else with L = log10 step of the limit: queue ≤ L → limit + 6L
 *      (aggressive growth while there is no queueing); queue < 3L → limit + L;
 *      queue > 6L → limit − L; else unchanged;
 *    then clamp to [1, max] and smooth: limit = (1 − s) · limit + s · new.
 * The log10 step is max(1, floor(log10(floor(limit)))) — so α = 3, β = 6 for
 * limits below 100. (Netflix's lookup table switches to √limit at 1,000, the
 * cap; this port keeps log10 there.) Admission uses floor(limit). Defaults:
 * initial 20, max 1000, smoothing 1, probeMultiplier 30.
 */
import type { CandidateEntry } from '../entry.js';
import { InflightLimiter } from './limiter.js';
import { PEER_SEED, SeededRandom } from './prng.js';

export interface VegasConfig {
  readonly initialLimit: number;
  readonly maxLimit: number;
  readonly smoothing: number;
  /** Re-measure the no-load RTT every ~probeMultiplier · limit samples. */
  readonly probeMultiplier: number;
  /** Seed of the probe jitter. */
  readonly seed: number;
}

export const VEGAS_DEFAULTS: VegasConfig = Object.freeze({
  initialLimit: 20,
  maxLimit: 1000,
  smoothing: 1,
  probeMultiplier: 30,
  seed: 1,
});

/** max(1, floor(log10(n))) for the integer part of a limit. */
export function log10Step(limit: number): number {
  const n = Math.floor(limit);
  return n < 10 ? 1 : Math.max(1, Math.floor(Math.log10(n) + 1e-12));
}

export class VegasLimiter extends InflightLimiter {
  readonly name: string;
  readonly #c: VegasConfig;
  readonly #rng: SeededRandom;
  #estimated: number;
  #rttNoLoad = 0;
  #probeCount = 0;
  #probeJitter: number;

  constructor(config: Partial<VegasConfig> = {}, name = 'Vegas') {
    super();
    this.name = name;
    this.#c = { ...VEGAS_DEFAULTS, ...config };
    this.#rng = new SeededRandom(this.#c.seed);
    this.#estimated = this.#c.initialLimit;
    this.#probeJitter = this.#rng.nextRange(0.5, 1);
  }

  get limit(): number {
    return Math.floor(this.#estimated);
  }

  get estimatedLimit(): number {
    return this.#estimated;
  }

  /** The current no-load RTT estimate (ns; 0 before the first sample). */
  get rttNoLoadNs(): number {
    return this.#rttNoLoad;
  }

  protected onSample(_tNs: number, rttNs: number, inFlightAtStart: number, didDrop: boolean): void {
    if (rttNs <= 0) return;
    this.#probeCount++;
    if (this.#probeJitter * this.#c.probeMultiplier * this.#estimated <= this.#probeCount) {
      this.#probeJitter = this.#rng.nextRange(0.5, 1);
      this.#probeCount = 0;
      this.#rttNoLoad = rttNs;
      return;
    }
    if (this.#rttNoLoad === 0 || rttNs < this.#rttNoLoad) {
      this.#rttNoLoad = rttNs;
      return;
    }
    this.#update(rttNs, inFlightAtStart, didDrop);
  }

  #update(rttNs: number, inFlightAtStart: number, didDrop: boolean): void {
    const c = this.#c;
    const estimated = this.#estimated;
    const queue = Math.ceil(estimated * (1 - this.#rttNoLoad / rttNs));
    const step = log10Step(estimated);
    let next: number;
    if (didDrop) {
      next = estimated - step;
    } else if (inFlightAtStart * 2 < estimated) {
      return;
    } else if (queue <= step) {
      next = estimated + 6 * step;
    } else if (queue < 3 * step) {
      next = estimated + step;
    } else if (queue > 6 * step) {
      next = estimated - step;
    } else {
      return;
    }
    next = Math.max(1, Math.min(c.maxLimit, next));
    this.#estimated = (1 - c.smoothing) * estimated + c.smoothing * next;
  }
}

export const VEGAS_ENTRIES = [
  {
    key: 'vegas',
    displayName: 'Vegas',
    description: 'Netflix Vegas adaptive limit (init 20, max 1000, log10 steps)',
    group: 'limiters',
    ignoresSlo: true,
    relativeCost: 1.5,
    meshCost: 20,
    create: () => new VegasLimiter({ seed: PEER_SEED }),
  },
] as const satisfies readonly CandidateEntry[];
