/**
 * The subject under test: `@leveejs/levee` behind the simulator's `Candidate`
 * interface.
 *
 * The simulator counts integer nanoseconds; the library takes milliseconds as
 * any float and rounds them back to integer nanoseconds internally, so
 * `tNs / 1e6` loses nothing. `state()` reports the state carried by the most
 * recent result the library returned (before the first call: the library's
 * current state).
 */
import { Levee } from '@leveejs/levee';
import type { Candidate, CandidateProbe, CandidateState } from './candidate.js';
import type { CandidateEntry, LeveeSlo } from './entry.js';

export type { LeveeSlo } from './entry.js';

/** The part of the library's out-of-band API the adapter uses. */
export interface LeveeLike {
  start(nowMs: number): { admitted: boolean; state: CandidateState };
  success(nowMs: number, durationMs: number): { state: CandidateState };
  fail(nowMs: number, durationMs: number): { state: CandidateState };
  readonly state: CandidateState;
  /** Diagnostics (the library's `snapshot()`); only `limit` and `inflight` are read. */
  snapshot?(): { limit: number; inflight: number };
}

const NS_PER_MS = 1e6;

export class LeveeCandidate implements Candidate {
  readonly name = 'Levee';
  readonly #levee: LeveeLike;
  #state: CandidateState;

  /** `impl` replaces the library (for tests); by default a new `Levee(slo)`. */
  constructor(slo: LeveeSlo, impl?: LeveeLike) {
    this.#levee =
      impl ??
      new Levee(
        { successRate: slo.successRate, timeoutMs: slo.timeoutMs },
        { estimator: 'v0.4' }, // the Go original's estimators: reproduces its published figures
      );
    this.#state = this.#levee.state;
  }

  start(tNs: number): boolean {
    const admission = this.#levee.start(tNs / NS_PER_MS);
    this.#state = admission.state;
    return admission.admitted;
  }

  state(): CandidateState {
    return this.#state;
  }

  success(tNs: number, latencyNs: number): void {
    this.#state = this.#levee.success(tNs / NS_PER_MS, latencyNs / NS_PER_MS).state;
  }

  fail(tNs: number, latencyNs: number): void {
    this.#state = this.#levee.fail(tNs / NS_PER_MS, latencyNs / NS_PER_MS).state;
  }

  /** The library's inflight limit (0 while uncapped) and inflight, from `snapshot()` (allocates: traces only). */
  probe(): CandidateProbe {
    const snap = this.#levee.snapshot?.();
    return snap === undefined
      ? { limit: 0, inflight: 0 }
      : { limit: snap.limit, inflight: snap.inflight };
  }
}

export function createLeveeCandidate(slo: LeveeSlo): Candidate {
  return new LeveeCandidate(slo);
}

export const LEVEE_ENTRIES = [
  {
    key: 'levee',
    displayName: 'Levee',
    description: '@leveejs/levee built with the given SLO',
    group: 'published',
    relativeCost: 1.5,
    create: ({ slo }) => createLeveeCandidate(slo),
  },
] as const satisfies readonly CandidateEntry[];
