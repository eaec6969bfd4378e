/**
 * No breaker (docs/BENCHMARKS.md §3.2): admits everything, always reports CLOSED,
 * ignores outcomes. The negative control of the closed-loop suites.
 */
import type { Candidate, CandidateState } from './candidate.js';
import type { CandidateEntry } from './entry.js';

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

export const NO_CB_ENTRIES = [
  {
    key: 'no-cb',
    displayName: 'No-CB',
    description: 'no breaker: admits everything (negative control)',
    group: 'published',
    ignoresSlo: true,
    relativeCost: 0.8,
    create: () => new NoCB(),
  },
] as const satisfies readonly CandidateEntry[];
