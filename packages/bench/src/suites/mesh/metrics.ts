/**
 * Mesh metrics (docs/BENCHMARKS.md §6.6): entry-level epoch scorers identical to
 * the closed-loop scoring (§5.5), one per entry node and one for the combined
 * stream. Allowed/Blocked are counted at entry admission, successes and
 * failures at root completion time. MeshDelta is the combined stream's
 * Delta = (SuccessScore − FailureScore) × Allowed / (Allowed + Blocked),
 * evaluated left to right: ((S − F) × Allowed) / (Allowed + Blocked).
 */
import { EpochScorer } from '../../sim/scoring/epoch-scorer.js';

/** Scores of one entry stream (or the combined one). */
export interface StreamScore {
  allowed: number;
  blocked: number;
  successes: number;
  failures: number;
  successScore: number;
  failureScore: number;
  delta: number;
}

/** MeshDelta = ((S − F) × Allowed) / (Allowed + Blocked); 0 when nothing arrived. */
export function meshDelta(
  successScore: number,
  failureScore: number,
  allowed: number,
  blocked: number,
): number {
  const total = allowed + blocked;
  if (total === 0) return 0;
  return ((successScore - failureScore) * allowed) / total;
}

class Stream {
  allowed = 0;
  blocked = 0;
  successes = 0;
  failures = 0;
  readonly scorer = new EpochScorer();

  score(): StreamScore {
    const s = this.scorer.successScore;
    const f = this.scorer.failureScore;
    return {
      allowed: this.allowed,
      blocked: this.blocked,
      successes: this.successes,
      failures: this.failures,
      successScore: s,
      failureScore: f,
      delta: meshDelta(s, f, this.allowed, this.blocked),
    };
  }
}

/** Entry-level scoring: one stream per entry slot plus the combined stream. */
export class EntryScoring {
  readonly #entries: Stream[];
  readonly #all = new Stream();

  constructor(entries: number) {
    this.#entries = Array.from({ length: entries }, () => new Stream());
  }

  allowed(slot: number): void {
    this.#entries[slot]!.allowed++;
    this.#all.allowed++;
  }

  blocked(slot: number): void {
    this.#entries[slot]!.blocked++;
    this.#all.blocked++;
  }

  /** A root of entry `slot` finished at `t`. */
  result(slot: number, t: number, ok: boolean): void {
    const e = this.#entries[slot]!;
    const a = this.#all;
    if (ok) {
      e.successes++;
      a.successes++;
    } else {
      e.failures++;
      a.failures++;
    }
    e.scorer.record(t, ok);
    a.scorer.record(t, ok);
  }

  /** Closes the last epochs and returns the combined and per-entry scores. */
  finish(): { combined: StreamScore; entries: StreamScore[] } {
    this.#all.scorer.flush();
    for (const e of this.#entries) e.scorer.flush();
    return { combined: this.#all.score(), entries: this.#entries.map((e) => e.score()) };
  }
}
