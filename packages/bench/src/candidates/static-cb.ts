/**
 * The static competitor breaker (docs/BENCHMARKS.md §3.1): a classic three-state
 * consecutive-count breaker driven only by the timestamps it is given.
 *
 * - CLOSED admits everything. A failure counts a consecutive failure; a success
 *   resets that count and counts a consecutive success. `failureThreshold`
 *   consecutive failures open the breaker (openedAt = that failure's time) and
 *   reset the failure count.
 * - OPEN rejects until `halfOpenTimeout` has passed since openedAt; the first
 *   admission after that switches to HALF_OPEN (success and probe counters
 *   reset) and is handled as a HALF_OPEN admission.
 * - HALF_OPEN: with `halfOpenMaxCalls > 0` an admission takes a probe slot and
 *   is rejected (slot given back) beyond the maximum. Every outcome recorded in
 *   HALF_OPEN gives a probe slot back; the success that reaches
 *   `successThreshold` consecutive successes closes the breaker, any failure
 *   reopens it at the failure's time.
 *
 * Quirks kept on purpose: outcomes of requests admitted while CLOSED that
 * arrive later still update the counters in OPEN/HALF_OPEN and give back probe
 * slots they never took (the probe counter can go negative and briefly allow
 * extra probes); HALF_OPEN is reported as OPEN, also for admitted probes.
 */
import type { Candidate, CandidateState } from './candidate.js';
import type { CandidateEntry } from './entry.js';

export interface StaticCBConfig {
  /** Consecutive failures that open a closed breaker. */
  readonly failureThreshold: number;
  /** Consecutive successes in HALF_OPEN that close it. */
  readonly successThreshold: number;
  /** Nanoseconds from opening until probes are allowed. */
  readonly halfOpenTimeoutNs: number;
  /** Concurrent probes allowed in HALF_OPEN (0 = unlimited). */
  readonly halfOpenMaxCalls: number;
}

/** Tuned for 100–800 RPS. */
export const STATIC_BAU: StaticCBConfig = Object.freeze({
  failureThreshold: 5,
  successThreshold: 3,
  halfOpenTimeoutNs: 10e9,
  halfOpenMaxCalls: 1,
});

/** Tuned for 2,000–5,000 RPS. */
export const STATIC_PEAK: StaticCBConfig = Object.freeze({
  failureThreshold: 7,
  successThreshold: 5,
  halfOpenTimeoutNs: 30e9,
  halfOpenMaxCalls: 3,
});

/** Internal states; HALF_OPEN is never shown outside. */
const CLOSED = 0;
const OPEN = 1;
const HALF_OPEN = 2;

export class StaticCB implements Candidate {
  readonly name: string;
  readonly #config: StaticCBConfig;
  #state = CLOSED;
  #openedAtNs = 0;
  #failures = 0;
  #successes = 0;
  #probes = 0;

  constructor(name: string, config: StaticCBConfig) {
    this.name = name;
    this.#config = config;
  }

  start(tNs: number): boolean {
    const state = this.#state;
    if (state === CLOSED) return true;
    if (state === OPEN) {
      if (tNs - this.#openedAtNs < this.#config.halfOpenTimeoutNs) return false;
      this.#state = HALF_OPEN;
      this.#successes = 0;
      this.#probes = 0;
    }
    const max = this.#config.halfOpenMaxCalls;
    if (max > 0) {
      this.#probes++;
      if (this.#probes > max) {
        this.#probes--;
        return false;
      }
    }
    return true;
  }

  state(): CandidateState {
    return this.#state === CLOSED ? 'CLOSED' : 'OPEN';
  }

  success(_tNs: number, _latencyNs: number): void {
    this.#failures = 0;
    this.#successes++;
    if (this.#state === HALF_OPEN) {
      this.#probes--;
      if (this.#successes >= this.#config.successThreshold) {
        this.#state = CLOSED;
        this.#successes = 0;
      }
    }
  }

  fail(tNs: number, _latencyNs: number): void {
    this.#successes = 0;
    this.#failures++;
    if (this.#state === CLOSED) {
      if (this.#failures >= this.#config.failureThreshold) this.#open(tNs);
    } else if (this.#state === HALF_OPEN) {
      this.#probes--;
      this.#open(tNs);
    }
  }

  /** Undo a HALF_OPEN admission without recording an outcome (mesh suite). */
  cancel(): void {
    if (this.#state === HALF_OPEN) this.#probes--;
  }

  /** Internal state including HALF_OPEN, for tests and diagnostics. */
  internalState(): CandidateState {
    return this.#state === CLOSED ? 'CLOSED' : this.#state === OPEN ? 'OPEN' : 'HALF_OPEN';
  }

  /** In-flight probe counter (may be negative, see the class comment). */
  get probesInFlight(): number {
    return this.#probes;
  }

  #open(tNs: number): void {
    this.#state = OPEN;
    this.#openedAtNs = tNs;
    this.#failures = 0;
  }
}

export const STATIC_CB_ENTRIES = [
  {
    key: 'static-bau',
    displayName: 'Static-BAU',
    description: 'consecutive-failure breaker tuned for 100-800 RPS',
    group: 'published',
    ignoresSlo: true,
    create: () => new StaticCB('Static-BAU', STATIC_BAU),
  },
  {
    key: 'static-peak',
    displayName: 'Static-Peak',
    description: 'consecutive-failure breaker tuned for 2,000-5,000 RPS',
    group: 'published',
    ignoresSlo: true,
    create: () => new StaticCB('Static-Peak', STATIC_PEAK),
  },
] as const satisfies readonly CandidateEntry[];
