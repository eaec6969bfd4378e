/**
 * Closed-loop scoring in 200 ms epochs (docs/BENCHMARKS.md §5.5).
 *
 * Each completion falls in epoch trunc(t / 2e8). Per epoch the successes s and
 * failures f are counted; when the epoch changes, 5·s² and 5·f² are added to
 * the running sums (integers, so exact in float64 and order-independent).
 * SuccessScore = √Σ5s², FailureScore = √Σ5f², and
 * Delta = (SuccessScore − FailureScore) × Allowed / (Allowed + Blocked),
 * with the ratio computed first.
 */

export const EPOCH_NS = 200_000_000;

export class EpochScorer {
  #epoch = 0;
  #s = 0;
  #f = 0;
  #successSum = 0;
  #failureSum = 0;

  /** Count one completion at `timeNs`. */
  record(timeNs: number, ok: boolean): void {
    const epoch = Math.trunc(timeNs / EPOCH_NS);
    if (epoch !== this.#epoch) {
      this.#close();
      this.#epoch = epoch;
    }
    if (ok) this.#s++;
    else this.#f++;
  }

  /** Close the current epoch (call once, after the last completion). */
  flush(): void {
    this.#close();
  }

  /** √(Σ 5·s²) over the closed epochs. */
  get successScore(): number {
    return Math.sqrt(this.#successSum);
  }

  /** √(Σ 5·f²) over the closed epochs. */
  get failureScore(): number {
    return Math.sqrt(this.#failureSum);
  }

  #close(): void {
    this.#successSum += 5 * this.#s * this.#s;
    this.#failureSum += 5 * this.#f * this.#f;
    this.#s = 0;
    this.#f = 0;
  }
}

/** Delta = (S − F) × Allowed / (Allowed + Blocked), the ratio evaluated first. */
export function closedLoopDelta(
  successScore: number,
  failureScore: number,
  allowed: number,
  blocked: number,
): number {
  const total = allowed + blocked;
  if (total === 0) return 0;
  const ratio = allowed / total;
  return (successScore - failureScore) * ratio;
}
