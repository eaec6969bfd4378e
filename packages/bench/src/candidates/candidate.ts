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
}
