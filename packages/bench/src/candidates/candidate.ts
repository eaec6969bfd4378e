/**
 * The one small interface every breaker under test implements.
 *
 * Time is the simulator's virtual clock: integer nanoseconds from 0, carried
 * in a JS number (exact up to 2^53 ns, about 104 days).
 */
export type CandidateState = 'CLOSED' | 'OPEN' | 'THROTTLED' | 'HALF_OPEN';

export interface Candidate {
  /** Display name, e.g. `Static-Peak`. */
  readonly name: string;
  /** Admission at virtual time `tNs`; true when the request may go ahead. */
  start(tNs: number): boolean;
  /** The externally visible state after the most recent call. */
  state(): CandidateState;
  /** A previously admitted request completed successfully at `tNs` after `latencyNs`. */
  success(tNs: number, latencyNs: number): void;
  /** A previously admitted request failed at `tNs` after `latencyNs`. */
  fail(tNs: number, latencyNs: number): void;
  /**
   * Optional diagnostics for traces (`src/report/trace.ts`), read about once
   * per simulated second and never on the request path. Must not change the
   * breaker's behaviour.
   */
  probe?(): CandidateProbe;
}

/** What `Candidate.probe` reports: the admission limit and the requests in flight. */
export interface CandidateProbe {
  /** The inflight limit being enforced, or 0 when none is (Levee's `snapshot().limit`). */
  limit: number;
  /** Admitted requests not yet completed, as the breaker counts them. */
  inflight: number;
}
