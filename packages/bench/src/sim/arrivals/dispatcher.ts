/**
 * The closed-loop dispatcher's arrival stream (docs/BENCHMARKS.md §5.2, the
 * "(verified, exact form)"). Only each spec's RPM (and duration) is used.
 *
 * State: `t = 0`, `specStart = 0`, spec 0, stored quotient `I = 60e9 / rpm`.
 * Per arrival:
 * 1. `t += trunc(ExpFloat64() × I)` — multiply by the stored quotient of the
 *    *current* spec (so the arrival that crosses a boundary was drawn at the
 *    old rate);
 * 2. one boundary check: if `t − specStart ≥ durationS·1e9`, advance one spec,
 *    `specStart = t`, recompute `I` (at most one advance per arrival);
 * 3. if the specs are exhausted the arrival is discarded and the stream ends;
 *    otherwise the request at `t` is issued with the (possibly new) spec index.
 *
 * The first request is at `t` = first gap (not 0). For `cyberMonday()` and
 * seed 20241225 this gives exactly 56,518,826 requests; the discarded last
 * arrival is at t = 100,800,215,499,895 ns. A sub-range of specs (e.g. the
 * "first incident" run, specs 0–7) is just a sliced array.
 *
 * Times are integer nanoseconds held in plain numbers (exact below 2⁵³).
 * Allocation-free pull API:
 *
 * ```ts
 * const d = new Dispatcher(specs, 20241225);
 * while (d.next()) { use(d.t, d.specIndex); }
 * ```
 */
import { GoRand } from '../rng/go-rand.js';
import type { LoadSpec } from '../workload/load-spec.js';

export class Dispatcher {
  /** Time of the current request, ns from the origin 0 (after `next()` returned true); after the end, the discarded arrival's time. */
  t = 0;
  /** Spec index of the current request (into the array given to the constructor). */
  specIndex = 0;
  /** Number of requests issued so far. */
  count = 0;
  /** True once the stream has ended. */
  done = false;

  private readonly rng: GoRand;
  private readonly intervals: Float64Array;
  private readonly durationsNs: Float64Array;
  private specStart = 0;
  private interval: number;
  private durationNs: number;

  /**
   * @param specs the workload (already validated); only `rpm` and `durationS` are read.
   * @param seed  seeds the dispatcher's own PCG as `(seed, seed >> 32)`, or pass a `GoRand`.
   */
  constructor(specs: readonly Pick<LoadSpec, 'rpm' | 'durationS'>[], seed: number | GoRand) {
    if (specs.length === 0) {
      throw new RangeError('Dispatcher needs at least one spec');
    }
    this.rng = typeof seed === 'number' ? GoRand.seeded(seed) : seed;
    this.intervals = new Float64Array(specs.length);
    this.durationsNs = new Float64Array(specs.length);
    for (let i = 0; i < specs.length; i++) {
      const s = specs[i]!;
      checkRateAndDuration(s, i);
      this.intervals[i] = 60e9 / s.rpm;
      this.durationsNs[i] = s.durationS * 1e9;
    }
    this.interval = this.intervals[0]!;
    this.durationNs = this.durationsNs[0]!;
  }

  /** Advances to the next request. Returns false (and sets `done`) when the specs are exhausted. */
  next(): boolean {
    if (this.done) {
      return false;
    }
    const t = this.t + Math.trunc(this.rng.expFloat64() * this.interval);
    this.t = t;
    if (t - this.specStart >= this.durationNs) {
      const k = this.specIndex + 1;
      if (k >= this.intervals.length) {
        this.done = true;
        return false;
      }
      this.specIndex = k;
      this.specStart = t;
      this.interval = this.intervals[k]!;
      this.durationNs = this.durationsNs[k]!;
    }
    this.count++;
    return true;
  }
}

/**
 * Minimal guard for callers that skip `validateLoadSpecs`: a zero, negative or
 * non-integer rate or duration would make the stream meaningless (or endless).
 */
export function checkRateAndDuration(
  spec: Pick<LoadSpec, 'rpm' | 'durationS'>,
  index: number,
): void {
  if (!Number.isSafeInteger(spec.rpm) || spec.rpm < 1) {
    throw new RangeError(`spec ${index}: rpm must be an integer >= 1 (got rpm=${spec.rpm})`);
  }
  if (!Number.isSafeInteger(spec.durationS) || spec.durationS < 1) {
    throw new RangeError(
      `spec ${index}: durationS must be an integer >= 1 (got durationS=${spec.durationS})`,
    );
  }
}

/** Runs a dispatcher to the end and returns the request count and the discarded last arrival time. */
export function countDispatcherArrivals(
  specs: readonly Pick<LoadSpec, 'rpm' | 'durationS'>[],
  seed: number,
): { count: number; lastT: number } {
  const d = new Dispatcher(specs, seed);
  while (d.next()) {
    // count only
  }
  return { count: d.count, lastT: d.t };
}
