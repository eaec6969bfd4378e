/**
 * The "Prescient" oracle of the open-loop suite (docs/BENCHMARKS.md §4.2): the
 * breaker a clairvoyant operator would run.
 *
 * At a timestamp `t` the elapsed time is `t − t₀`, `t₀` being the time of the
 * first event of the stream. The spec containing the elapsed time is found by
 * summing the specs' *nominal* durations (spec `i` covers
 * `[Σ_{j<i} durationS, Σ_{j≤i} durationS)` seconds; the generator's actual
 * spec boundaries slip a little, the oracle's do not). The oracle is OPEN iff
 * that spec's `errorRate > 1 − successRate` — computed in float64, so with the
 * SLO 0.90 the threshold is `1 − 0.9 = 0.09999999999999998` and a spec with
 * exactly 0.10 counts as an incident. Elapsed times past the nominal end of
 * the workload (the last arrival can overshoot it by the accumulated slip)
 * belong to the last spec.
 *
 * The state is sampled at every start event and recorded as a change list
 * (`OracleRecorder`): the oracle starts CLOSED, so the list holds only real
 * changes (its first entry is the first OPEN sample). `OracleTimeline` turns
 * that list into OPEN periods and answers the questions the transition
 * classifier asks, including ones about the oracle's future (the oracle is a
 * function of the workload alone, so its whole timeline is known once the
 * stream has been replayed).
 */
import type { LoadSpec } from '../../sim/workload/load-spec.js';

/** A change of the sampled oracle state: from `tNs` on the oracle is `open`. */
export interface OracleChange {
  /** Stream time of the start event at which the new state was first sampled, ns. */
  tNs: number;
  open: boolean;
}

/** A maximal interval during which the sampled oracle was OPEN: `[fromNs, toNs)`. */
export interface OraclePeriod {
  fromNs: number;
  /** The time of the change back to CLOSED, or the end of the run if there was none. */
  toNs: number;
}

/** The error rate above which the oracle is OPEN: `1 − successRate`, in float64. */
export function oracleThreshold(successRate: number): number {
  return 1 - successRate;
}

/**
 * The oracle as a function of elapsed time. `openAt` is random access (binary
 * search); `OracleRecorder` uses a forward cursor instead.
 */
export class PrescientOracle {
  /** `1 − successRate`. */
  readonly threshold: number;
  /** Nominal end of each spec, ns of elapsed time (`Σ_{j≤i} durationS · 1e9`). */
  readonly specEndsNs: Float64Array;
  /** Whether each spec is an incident (`errorRate > threshold`). */
  readonly specOpen: Uint8Array;

  constructor(specs: readonly LoadSpec[], successRate: number) {
    if (specs.length === 0) throw new RangeError('the oracle needs at least one spec');
    if (!(successRate > 0 && successRate < 1)) {
      throw new RangeError(`successRate must be in (0, 1) (got ${successRate})`);
    }
    this.threshold = oracleThreshold(successRate);
    this.specEndsNs = new Float64Array(specs.length);
    this.specOpen = new Uint8Array(specs.length);
    let endS = 0;
    for (let i = 0; i < specs.length; i++) {
      const spec = specs[i]!;
      endS += spec.durationS;
      this.specEndsNs[i] = endS * 1e9;
      this.specOpen[i] = spec.errorRate > this.threshold ? 1 : 0;
    }
  }

  /** Index of the spec containing `elapsedNs` (the last spec past the nominal end). */
  specAt(elapsedNs: number): number {
    const ends = this.specEndsNs;
    let lo = 0;
    let hi = ends.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (elapsedNs < ends[mid]!) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  /** Whether the oracle is OPEN at `elapsedNs` after the first event. */
  openAt(elapsedNs: number): boolean {
    return this.specOpen[this.specAt(elapsedNs)] === 1;
  }

  /** The nominal OPEN intervals in elapsed time (consecutive incident specs merged). */
  nominalPeriods(): OraclePeriod[] {
    const out: OraclePeriod[] = [];
    let from = -1;
    for (let i = 0; i < this.specOpen.length; i++) {
      const start = i === 0 ? 0 : this.specEndsNs[i - 1]!;
      if (this.specOpen[i] === 1) {
        if (from < 0) from = start;
      } else if (from >= 0) {
        out.push({ fromNs: from, toNs: start });
        from = -1;
      }
    }
    if (from >= 0) out.push({ fromNs: from, toNs: this.specEndsNs[this.specEndsNs.length - 1]! });
    return out;
  }
}

/**
 * Samples the oracle at start events (non-decreasing times) and records the
 * change list. The state before the first sample counts as CLOSED, so a run
 * whose oracle never opens has an empty list.
 */
export class OracleRecorder {
  readonly oracle: PrescientOracle;
  /** The changes so far (alternating, the first one to OPEN). */
  readonly changes: OracleChange[] = [];
  /** The state at the most recent sample. */
  open = false;
  #originNs = Number.NaN;
  #spec = 0;
  #specEndNs: number;

  constructor(oracle: PrescientOracle) {
    this.oracle = oracle;
    this.#specEndNs = oracle.specEndsNs[0]!;
  }

  /** The time of the first sample (`t₀`: a stream's first event is a start); NaN before it. */
  get originNs(): number {
    return this.#originNs;
  }

  /** Samples the oracle at the start event at `tNs` and returns whether it is OPEN. */
  sample(tNs: number): boolean {
    if (Number.isNaN(this.#originNs)) this.#originNs = tNs;
    const elapsed = tNs - this.#originNs;
    if (elapsed >= this.#specEndNs) {
      const ends = this.oracle.specEndsNs;
      const last = ends.length - 1;
      let k = this.#spec;
      while (k < last && elapsed >= ends[k]!) k++;
      this.#spec = k;
      this.#specEndNs = k < last ? ends[k]! : Number.POSITIVE_INFINITY;
    }
    const open = this.oracle.specOpen[this.#spec] === 1;
    if (open !== this.open) {
      this.changes.push({ tNs, open });
      this.open = open;
    }
    return open;
  }
}

/**
 * The sampled oracle over a whole run: the change list plus the end of the
 * run. Between changes the state is that of the latest change at or before
 * the time asked about.
 */
export class OracleTimeline {
  readonly changes: readonly OracleChange[];
  /** OPEN periods, in time order. */
  readonly periods: readonly OraclePeriod[];
  readonly endNs: number;

  /**
   * @param changes the change list: alternating states starting with OPEN
   *                (the state before the first change is CLOSED), increasing times.
   * @param endNs   the end of the run; closes a period still OPEN at the last change.
   */
  constructor(changes: readonly OracleChange[], endNs: number) {
    for (let i = 0; i < changes.length; i++) {
      const cur = changes[i]!;
      const prev = changes[i - 1];
      const ok = prev === undefined ? cur.open : cur.tNs > prev.tNs && cur.open !== prev.open;
      if (!ok) throw new RangeError(`oracle change ${i} does not follow its predecessor`);
    }
    this.changes = changes;
    this.endNs = endNs;
    const periods: OraclePeriod[] = [];
    for (let i = 0; i < changes.length; i++) {
      const c = changes[i]!;
      if (c.open) periods.push({ fromNs: c.tNs, toNs: changes[i + 1]?.tNs ?? endNs });
    }
    this.periods = periods;
  }

  /** Index of the latest change at or before `tNs`, or −1. */
  #indexAt(tNs: number): number {
    const ch = this.changes;
    let lo = 0;
    let hi = ch.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (ch[mid]!.tNs <= tNs) lo = mid + 1;
      else hi = mid;
    }
    return lo - 1;
  }

  /** The oracle state at `tNs` (CLOSED before the first change). */
  openAt(tNs: number): boolean {
    const i = this.#indexAt(tNs);
    return i >= 0 && this.changes[i]!.open;
  }

  /** When the oracle last became OPEN at or before `tNs`, or undefined. */
  lastOpenedAt(tNs: number): number | undefined {
    return this.#lastChange(tNs, true);
  }

  /**
   * When the oracle last became CLOSED at or before `tNs`, or undefined (the
   * initial CLOSED state is not a change).
   */
  lastClosedAt(tNs: number): number | undefined {
    return this.#lastChange(tNs, false);
  }

  /**
   * Whether an OPEN period overlaps the window `(fromNs, toNs)`: it opened
   * before `toNs` and had not closed by `fromNs` (a period still OPEN at the
   * end of the run counts as never closing). Periods that merely touch the
   * window's edges do not overlap it.
   */
  openOverlaps(fromNs: number, toNs: number): boolean {
    const ch = this.changes;
    for (let i = 0; i < ch.length; i++) {
      const c = ch[i]!;
      if (!c.open) continue;
      if (c.tNs >= toNs) break;
      const close = ch[i + 1];
      if (close === undefined || close.tNs > fromNs) return true;
    }
    return false;
  }

  /** Total OPEN time, ns. */
  openNs(): number {
    let s = 0;
    for (const p of this.periods) s += p.toNs - p.fromNs;
    return s;
  }

  #lastChange(tNs: number, open: boolean): number | undefined {
    for (let i = this.#indexAt(tNs); i >= 0; i--) {
      const c = this.changes[i]!;
      if (c.open === open) return c.tNs;
    }
    return undefined;
  }
}
