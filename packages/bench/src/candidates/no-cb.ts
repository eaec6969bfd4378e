/**
 * No breaker (BENCHMARKS.md §3.2): admits everything, always reports CLOSED,
 * ignores outcomes. The negative control of the closed-loop suites.
 */
import type { Candidate, CandidateState } from './candidate.js';

export class NoCB implements Candidate {
  readonly name = 'No-CB';

  start(_tNs: number): boolean {
    return true;
  }

  state(): CandidateState {
    return 'CLOSED';
  }

  success(_tNs: number, _latencyNs: number): void {}

  fail(_tNs: number, _latencyNs: number): void {}
}
