/**
 * Crash and restart of the closed-loop backend (docs/BENCHMARKS.md §5.4 "Crash and
 * restart"). The trigger watches the EWMA load at admitted-request arrivals: a
 * timer starts at the first sample at or above the threshold and fires at a
 * later sample at least `sustain` after it; any sample below stops it (timer 0
 * means "not running"). A crash lasts `downtime`; recovery is noticed lazily
 * at the first call at or after the recovery time, and only then counted.
 */
export class CrashModel {
  /** True between a crash and its (lazily noticed) recovery. */
  crashed = false;
  /** When the current crash ends. */
  recoverAtNs = 0;
  /** Crashes counted so far (incremented at recovery). */
  crashes = 0;

  readonly #threshold: number;
  readonly #sustainNs: number;
  readonly #downtimeNs: number;
  #overSinceNs = 0;

  constructor(threshold: number, sustainNs: number, downtimeNs: number) {
    this.#threshold = threshold;
    this.#sustainNs = sustainNs;
    this.#downtimeNs = downtimeNs;
  }

  /** Feed one load sample; true when it triggers a crash (the model is then crashed). */
  observe(nowNs: number, load: number): boolean {
    if (load >= this.#threshold) {
      if (this.#overSinceNs === 0) {
        this.#overSinceNs = nowNs;
      } else if (nowNs - this.#overSinceNs >= this.#sustainNs) {
        this.crashed = true;
        this.recoverAtNs = nowNs + this.#downtimeNs;
        this.#overSinceNs = 0;
        return true;
      }
    } else {
      this.#overSinceNs = 0;
    }
    return false;
  }

  /** True (and the crash is over and counted) when a crashed backend is due to recover. */
  recoverIfDue(nowNs: number): boolean {
    if (!this.crashed || nowNs < this.recoverAtNs) return false;
    this.crashed = false;
    this.crashes++;
    this.#overSinceNs = 0;
    return true;
  }
}
