/**
 * The real `opossum` circuit breaker (npm, pinned 9.0.0) behind the
 * simulator's `Candidate` interface, on simulated time.
 *
 * How a request goes through the library:
 *
 * - `start(t)`: the adapter's `VirtualClock` moves opossum's world to `t`
 *   (firing due timers: the `resetTimeout` that half-opens the breaker, the
 *   1 s bucket rotation of its rolling window, per-call timeouts), then calls
 *   the real `breaker.fire(op)`. `fire` → `call` decides admission
 *   synchronously: it emits `fire`, rejects at once when the breaker is open
 *   (or half-open with its one probe already out), otherwise takes the
 *   semaphore, arms the call timeout and calls the protected action — all
 *   before returning. The action records that it ran and returns `op`, a
 *   pending `SyncPromise`; "the action ran" is the admission decision.
 * - `success(t, latency)` / `fail(t, latency)`: the request is found by its
 *   start time (`t − latency`), the clock moves to `t`, and `op` is resolved
 *   (or rejected with a fixed error). opossum's own `.then(...).catch(...)`
 *   handlers on `op` run right there — they measure the latency with
 *   `Date.now()`, emit `success`/`failure`, update the rolling stats, open /
 *   close the breaker — in the same order as they would a microtask later with
 *   a native promise (see test/peers-opossum.test.ts, which replays identical
 *   traffic through native promises and compares every decision).
 *
 * While opossum code runs, `globalThis.Promise` is a `SyncPromise` so the
 * promises it builds for its caller never enter V8's microtask queue (see
 * sync-promise.ts); nothing observes them.
 *
 * Fidelity limits: library time is whole milliseconds (floor of the
 * simulated ns), so a success that completes within 1 ms of a configured
 * `timeout` can be counted as a timeout; outcomes are delivered at the
 * simulator's completion times (at most one inter-arrival late, as for every
 * candidate).
 */
import CircuitBreaker from 'opossum';
import type { Candidate, CandidateState } from '../candidate.js';
import type { CandidateEntry } from '../entry.js';
import { PendingByStart } from './pending.js';
import { SyncPromise } from './sync-promise.js';
import { VirtualClock } from './virtual-clock.js';

export type OpossumOptions = CircuitBreaker.Options<[SyncPromise]>;

/**
 * opossum's documented defaults for every option that affects a decision
 * (timeout 10 s, resetTimeout 30 s, errorThresholdPercentage 50, 10 × 1 s
 * rolling window, volumeThreshold 0, no warm-up, unlimited capacity). Two
 * telemetry options are switched off because they cost simulation time and
 * change no decision: latency percentiles (sorted on every failure) and the
 * per-second snapshot event. CONFIGS.md gives the details.
 */
export const OPOSSUM_DEFAULT: Readonly<OpossumOptions> = Object.freeze({
  rollingPercentilesEnabled: false,
  enableSnapshots: false,
});

/** Settings picked for this traffic from the docs; reasoning in CONFIGS.md. */
export const OPOSSUM_TUNED: Readonly<OpossumOptions> = Object.freeze({
  timeout: 1500,
  errorThresholdPercentage: 20,
  volumeThreshold: 100,
  rollingCountTimeout: 10_000,
  rollingCountBuckets: 10,
  resetTimeout: 5000,
  rollingPercentilesEnabled: false,
  enableSnapshots: false,
});

/** The error a failed request rejects with (one instance: no stack capture per failure). */
const BACKEND_FAILURE = Object.freeze(new Error('backend failure (simulated)'));

/** The protected action: record that opossum let the call through, hand back the pending op. */
function action(op: SyncPromise): Promise<unknown> {
  admitted = true;
  return op as unknown as Promise<unknown>;
}
/** Set by `action`; read right after the synchronous part of `fire()`. */
let admitted = false;

const noop = (): void => {};

export class OpossumCandidate implements Candidate {
  readonly name: string;
  readonly #clock = new VirtualClock({ promise: SyncPromise as unknown as PromiseConstructorLike });
  readonly #breaker: CircuitBreaker<[SyncPromise], unknown>;
  readonly #pending = new PendingByStart<SyncPromise>();

  constructor(name: string, options: Readonly<OpossumOptions>) {
    this.name = name;
    this.#breaker = this.#clock.run(
      () => new CircuitBreaker(action, { ...options, name, group: name }),
    );
  }

  start(tNs: number): boolean {
    const op = new SyncPromise();
    const ok = this.#clock.at(tNs, () => {
      admitted = false;
      const result = this.#breaker.fire(op) as unknown as SyncPromise;
      result.then(undefined, noop);
      return admitted;
    });
    if (ok) this.#pending.put(tNs, op);
    return ok;
  }

  state(): CandidateState {
    const b = this.#breaker;
    if (b.opened) return 'OPEN';
    if (b.halfOpen) return 'HALF_OPEN';
    return 'CLOSED';
  }

  success(tNs: number, latencyNs: number): void {
    const op = this.#pending.take(tNs - latencyNs);
    this.#clock.at(tNs, () => op?.resolve(undefined));
  }

  fail(tNs: number, latencyNs: number): void {
    const op = this.#pending.take(tNs - latencyNs);
    this.#clock.at(tNs, () => op?.reject(BACKEND_FAILURE));
  }

  /** The wrapped library object (tests, diagnostics). */
  get breaker(): CircuitBreaker<[SyncPromise], unknown> {
    return this.#breaker;
  }

  /** opossum's `Date.now()` (ms of simulated time). */
  get libraryNowMs(): number {
    return this.#clock.nowMs;
  }

  /** Requests admitted and not yet completed. */
  get inFlight(): number {
    return this.#pending.size;
  }

  /** Stop the library's timers (they live on this adapter's own fake clock). */
  dispose(): void {
    this.#clock.run(() => this.#breaker.shutdown());
  }
}

export function createOpossumDefault(): Candidate {
  return new OpossumCandidate('Opossum-Default', OPOSSUM_DEFAULT);
}

export function createOpossumTuned(): Candidate {
  return new OpossumCandidate('Opossum-Tuned', OPOSSUM_TUNED);
}

export const OPOSSUM_ENTRIES = [
  {
    key: 'opossum-default',
    displayName: 'Opossum-Default',
    description: 'opossum 9.0.0 with its documented defaults (>50% errors in 10 s, 30 s reset)',
    group: 'libraries',
    ignoresSlo: true,
    relativeCost: 5,
    meshCost: 80,
    create: () => createOpossumDefault(),
  },
  {
    key: 'opossum-tuned',
    displayName: 'Opossum-Tuned',
    description:
      'opossum 9.0.0 set for this traffic (1.5 s timeout, >20% of >=100 calls, 5 s reset)',
    group: 'libraries',
    ignoresSlo: true,
    relativeCost: 5,
    meshCost: 80,
    create: () => createOpossumTuned(),
  },
] as const satisfies readonly CandidateEntry[];
