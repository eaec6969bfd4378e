/**
 * The backend's smoothed load (docs/BENCHMARKS.md §5.4 step 3): a time-decayed EWMA
 * of the instantaneous load (busy slots + queued items) / total slots, with a
 * 5 s half-life. Upstream writes ln 2 as the literal 0.693147 and evaluates
 * α = 1 − exp(((−dt) × 0.693147) / halfLife) with dt in nanoseconds.
 */
export class LoadEwma {
  /** Current smoothed load. */
  value = 0;
  /** Time (ns) of the last applied sample; 0 means "no sample yet". */
  lastUpdateNs = 0;
  readonly #ln2: number;
  readonly #halfLifeNs: number;

  constructor(halfLifeNs: number, ln2: number) {
    this.#halfLifeNs = halfLifeNs;
    this.#ln2 = ln2;
  }

  /**
   * Feed the instantaneous load seen at `nowNs`. The first sample (stored time
   * 0) initialises the value; samples with dt ≤ 0 are ignored.
   */
  update(nowNs: number, load: number): number {
    if (this.lastUpdateNs === 0) {
      this.value = load;
      this.lastUpdateNs = nowNs;
      return load;
    }
    const dt = nowNs - this.lastUpdateNs;
    if (dt <= 0) return this.value;
    const alpha = 1 - Math.exp((-dt * this.#ln2) / this.#halfLifeNs);
    this.value = alpha * load + (1 - alpha) * this.value;
    this.lastUpdateNs = nowNs;
    return this.value;
  }

  /** After a crash: the value drops to 0 but the last-update time is kept. */
  resetValue(): void {
    this.value = 0;
  }
}
