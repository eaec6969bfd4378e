/**
 * Netflix concurrency-limits `Gradient2Limit` (docs/PEERS.md §3), as a Candidate.
 *
 * Per completed request (RTT = its latency; drops are not treated specially —
 * a timeout acts through its large RTT, a fast error looks like a fast RTT):
 * 1. shortRTT = this sample; longRTT = exponential average of the RTTs, a plain
 *    mean over the first 10 samples, then factor 2/(longWindow + 1) (600
 *    samples);
 * 2. if longRTT / shortRTT > 2, longRTT ×= 0.95 (recover quickly from a long
 *    incident that inflated the baseline);
 * 3. if the request was admitted with fewer than limit/2 in flight, stop here
 *    (app-limited: neither grow nor shrink);
 * 4. gradient = clamp(tolerance · longRTT / shortRTT, 0.5, 1);
 *    new = limit · gradient + queueSize; limit = limit · (1 − smoothing) +
 *    new · smoothing, clamped to [min, max].
 * Samples with a zero RTT are skipped. The limit is a real number; admission
 * uses floor(limit). Defaults: initial =
 * min = 20, max = 200, queueSize 4, smoothing 0.2, tolerance 1.5, longWindow
 * 600.
 */
import type { CandidateEntry } from '../entry.js';
import { InflightLimiter } from './limiter.js';

export interface Gradient2Config {
  readonly initialLimit: number;
  readonly minLimit: number;
  readonly maxLimit: number;
  /** Headroom added to the limit each update while latency stays near the baseline. */
  readonly queueSize: number;
  readonly smoothing: number;
  /** How much longer than the baseline an RTT may be before the limit shrinks. */
  readonly rttTolerance: number;
  /** Samples in the long-term RTT average. */
  readonly longWindow: number;
}

export const GRADIENT2_DEFAULTS: Gradient2Config = Object.freeze({
  initialLimit: 20,
  minLimit: 20,
  maxLimit: 200,
  queueSize: 4,
  smoothing: 0.2,
  rttTolerance: 1.5,
  longWindow: 600,
});

/** Samples averaged plainly before the exponential average takes over. */
const WARMUP_SAMPLES = 10;
/** longRTT decay when it exceeds twice the current RTT. */
const LONG_RTT_DECAY = 0.95;

export class Gradient2Limiter extends InflightLimiter {
  readonly name: string;
  readonly #c: Gradient2Config;
  readonly #factor: number;
  #estimated: number;
  #longRtt = 0;
  #longCount = 0;
  #longSum = 0;

  constructor(config: Partial<Gradient2Config> = {}, name = 'Gradient2') {
    super();
    this.name = name;
    this.#c = { ...GRADIENT2_DEFAULTS, ...config };
    this.#factor = 2 / (this.#c.longWindow + 1);
    this.#estimated = this.#c.initialLimit;
  }

  get limit(): number {
    return Math.floor(this.#estimated);
  }

  /** The real-valued limit estimate. */
  get estimatedLimit(): number {
    return this.#estimated;
  }

  /** The long-term RTT baseline (ns). */
  get longRttNs(): number {
    return this.#longRtt;
  }

  protected onSample(
    _tNs: number,
    rttNs: number,
    inFlightAtStart: number,
    _didDrop: boolean,
  ): void {
    if (rttNs <= 0) return; // no usable RTT (the ratio below would be undefined)
    const c = this.#c;
    const shortRtt = rttNs;
    let longRtt: number;
    if (this.#longCount < WARMUP_SAMPLES) {
      this.#longCount++;
      this.#longSum += rttNs;
      longRtt = this.#longSum / this.#longCount;
    } else {
      longRtt = this.#longRtt * (1 - this.#factor) + rttNs * this.#factor;
    }
    this.#longRtt = longRtt;
    if (longRtt / shortRtt > 2) this.#longRtt = longRtt * LONG_RTT_DECAY;

    const estimated = this.#estimated;
    if (inFlightAtStart < estimated / 2) return;

    const gradient = Math.max(0.5, Math.min(1, (c.rttTolerance * longRtt) / shortRtt));
    let next = estimated * gradient + c.queueSize;
    next = estimated * (1 - c.smoothing) + next * c.smoothing;
    this.#estimated = Math.max(c.minLimit, Math.min(c.maxLimit, next));
  }
}

export const GRADIENT2_ENTRIES = [
  {
    key: 'gradient2',
    displayName: 'Gradient2',
    description: 'Netflix Gradient2 adaptive limit (init/min 20, max 200)',
    group: 'limiters',
    ignoresSlo: true,
    relativeCost: 1.5,
    meshCost: 20,
    create: () => new Gradient2Limiter(),
  },
] as const satisfies readonly CandidateEntry[];
