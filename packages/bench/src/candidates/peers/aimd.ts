/**
 * Netflix concurrency-limits `AIMDLimit` (docs/PEERS.md §3), as a Candidate.
 *
 * Loss-based additive-increase / multiplicative-decrease, updated on every
 * completed request:
 * - drop (any failure) or RTT > `timeoutNs` → limit = max(min, min(limit − 1,
 *   floor(limit · backoffRatio)));
 * - otherwise, only when the limiter is the bottleneck — in flight at the
 *   request's admission · 2 ≥ limit — limit = min(max, limit + 1);
 * - otherwise unchanged (the application, not the limit, bounds concurrency).
 * The limit is an integer. Defaults (Netflix): initial = min = 20, max = 200,
 * backoff 0.9, timeout 5 s.
 */
import type { CandidateEntry } from '../entry.js';
import { InflightLimiter } from './limiter.js';

export interface AimdConfig {
  readonly initialLimit: number;
  readonly minLimit: number;
  readonly maxLimit: number;
  /** Multiplier applied on a drop, in [0.5, 1). */
  readonly backoffRatio: number;
  /** A success slower than this counts as a drop. */
  readonly timeoutNs: number;
}

export const AIMD_DEFAULTS: AimdConfig = Object.freeze({
  initialLimit: 20,
  minLimit: 20,
  maxLimit: 200,
  backoffRatio: 0.9,
  timeoutNs: 5e9,
});

export class AimdLimiter extends InflightLimiter {
  readonly name: string;
  readonly #c: AimdConfig;
  #limit: number;

  constructor(config: Partial<AimdConfig> = {}, name = 'AIMD') {
    super();
    this.name = name;
    this.#c = { ...AIMD_DEFAULTS, ...config };
    this.#limit = this.#c.initialLimit;
  }

  get limit(): number {
    return this.#limit;
  }

  protected onSample(_tNs: number, rttNs: number, inFlightAtStart: number, didDrop: boolean): void {
    const c = this.#c;
    const limit = this.#limit;
    if (didDrop || rttNs > c.timeoutNs) {
      const reduced = Math.min(limit - 1, Math.floor(limit * c.backoffRatio));
      this.#limit = Math.min(c.maxLimit, Math.max(c.minLimit, reduced, 1));
    } else if (inFlightAtStart * 2 >= limit) {
      this.#limit = Math.min(c.maxLimit, Math.max(c.minLimit, limit + 1));
    }
  }
}

export const AIMD_ENTRIES = [
  {
    key: 'aimd',
    displayName: 'AIMD',
    description: 'Netflix AIMD adaptive limit (init/min 20, max 200, x0.9 on drop)',
    group: 'limiters',
    ignoresSlo: true,
    relativeCost: 1.5,
    meshCost: 20,
    create: () => new AimdLimiter(),
  },
] as const satisfies readonly CandidateEntry[];
