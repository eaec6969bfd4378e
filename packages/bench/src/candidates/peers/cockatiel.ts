/**
 * The real `cockatiel` circuit breaker (npm, pinned 3.2.1) behind the
 * simulator's `Candidate` interface, on simulated time.
 *
 * `CircuitBreakerPolicy.execute` is an `async` function: it `await`s the
 * executor, which `await`s the protected function, so the breaker only learns
 * an outcome in a microtask after the function's promise settles — and the
 * simulator's loop is synchronous, so those microtasks would only run after
 * the whole simulation. The adapter therefore drives the policy through the
 * same steps `execute` takes, synchronously, in the same order, calling the
 * library's own objects for every decision:
 *
 * - admission (`execute`'s `switch` on the policy's `innerState`):
 *   Closed → admit; Open → reject while `Date.now() − openedAt <
 *   backoff.duration` (the library's `BrokenCircuitError`), otherwise emit
 *   `onHalfOpen`, admit the call as the half-open test, set `innerState` to
 *   `{HalfOpen, test, backoff, attemptNo + 1}` and emit `onStateChange`;
 *   HalfOpen → reject (see below); Isolated → reject.
 * - outcome of a call admitted while Closed (the rest of `execute`): the
 *   executor's `errorFilter` / `resultFilter` classify it (and its
 *   `onSuccess` / `onFailure` events fire with a stopwatch duration when
 *   anyone listens); success → `breaker.success(Closed)`; handled failure →
 *   `lastFailure` is set and, if `breaker.failure(Closed)` says so, the
 *   policy's own `open(reason, signal)` runs (with its backoff, `Date.now()`
 *   stamp, `onBreak` and `onStateChange`); unhandled failure → nothing.
 * - outcome of the half-open test (the rest of `halfOpen`): success →
 *   `breaker.success(HalfOpen)` + the policy's `close()`; handled failure →
 *   `breaker.failure(HalfOpen)` + `open()`; unhandled failure → `close()`.
 *
 * The breaker objects (`ConsecutiveBreaker`, `SamplingBreaker` with its lazily
 * rotated windows), the backoffs and `open()`/`close()` are the library's, fed
 * `Date.now()` from the adapter's `VirtualClock`. test/peers-cockatiel.test.ts
 * replays identical traffic through the real async `execute` (fake timers,
 * microtasks flushed between events) and checks every decision matches.
 *
 * Fidelity limits:
 * - While the half-open test is in flight, cockatiel does not reject other
 *   callers: `execute` makes them wait for the test, then runs them if the
 *   circuit closed (or throws `BrokenCircuitError` if it re-opened). The
 *   simulator cannot hold a request back, so the adapter rejects them — those
 *   requests would have been delayed by up to one test latency and then
 *   admitted together on success. This window is at most one request latency
 *   per half-open period.
 * - Library time is whole milliseconds (floor of the simulated ns).
 * - The emulation covers cockatiel 3.2.1's `execute` / `halfOpen`; the
 *   constructor checks the internals it uses exist and throws otherwise.
 */
import {
  type CircuitBreakerPolicy,
  CircuitState,
  ConsecutiveBreaker,
  circuitBreaker,
  ExponentialBackoff,
  handleAll,
  type IBackoffFactory,
  type IBreaker,
  noJitterGenerator,
  SamplingBreaker,
} from 'cockatiel';
import type { Candidate, CandidateState } from '../candidate.js';
import type { CandidateEntry } from '../entry.js';
import { PendingByStart } from './pending.js';
import { SyncPromise } from './sync-promise.js';
import { VirtualClock } from './virtual-clock.js';

/** What `circuitBreaker(handleAll, options)` is given; a factory so each candidate gets fresh objects. */
export interface CockatielConfig {
  halfOpenAfter(): number | IBackoffFactory<unknown>;
  breaker(): IBreaker;
}

/**
 * cockatiel has no default breaker (both options are required); the README's
 * quick start is the documented starting point: 5 consecutive failures, half
 * open after 10 s.
 */
export const COCKATIEL_DEFAULT: CockatielConfig = Object.freeze({
  halfOpenAfter: () => 10 * 1000,
  breaker: () => new ConsecutiveBreaker(5),
});

/** Settings picked for this traffic from the docs; reasoning in CONFIGS.md. */
export const COCKATIEL_TUNED: CockatielConfig = Object.freeze({
  halfOpenAfter: () =>
    new ExponentialBackoff({ initialDelay: 2000, maxDelay: 30_000, generator: noJitterGenerator }),
  breaker: () => new SamplingBreaker({ threshold: 0.2, duration: 10_000, minimumRps: 10 }),
});

interface Backoff {
  readonly duration: number;
}

type InnerState =
  | { value: CircuitState.Closed }
  | { value: CircuitState.Open; openedAt: number; backoff: Backoff; attemptNo: number }
  | {
      value: CircuitState.HalfOpen;
      test: PromiseLike<unknown>;
      backoff: Backoff;
      attemptNo: number;
    }
  | { value: CircuitState.Isolated; counters: number };

interface EmitterLike<T> {
  readonly size: number;
  emit(value: T): void;
}

/** The members of `CircuitBreakerPolicy` 3.2.1 that `execute` / `halfOpen` use. */
interface PolicyInternals {
  innerState: InnerState;
  innerLastFailure: unknown;
  readonly options: { readonly breaker: IBreaker };
  readonly executor: {
    errorFilter(error: unknown): boolean;
    resultFilter(value: unknown): boolean;
    readonly successEmitter: EmitterLike<{ duration: number }>;
    readonly failureEmitter: EmitterLike<{ duration: number; handled: boolean; reason: unknown }>;
  };
  readonly halfOpenEmitter: EmitterLike<void>;
  readonly stateChangeEmitter: EmitterLike<CircuitState>;
  open(reason: unknown, signal: AbortSignal): void;
  close(): void;
}

/** One admitted call: was it the half-open test, and its stopwatch start (ms, or −1). */
interface Admitted {
  readonly test: SyncPromise | undefined;
  readonly startMs: number;
}

/** `execute`'s default signal: never aborted. */
const NEVER_ABORTED = new AbortController().signal;

/** The error a failed request throws (one instance: no stack capture per failure). */
const BACKEND_FAILURE = Object.freeze(new Error('backend failure (simulated)'));

export class CockatielCandidate implements Candidate {
  readonly name: string;
  readonly #clock = new VirtualClock();
  readonly #policy: CircuitBreakerPolicy;
  readonly #p: PolicyInternals;
  readonly #pending = new PendingByStart<Admitted>();

  constructor(name: string, config: CockatielConfig) {
    this.name = name;
    this.#policy = this.#clock.run(() =>
      circuitBreaker(handleAll, {
        halfOpenAfter: config.halfOpenAfter(),
        breaker: config.breaker(),
      }),
    );
    this.#p = this.#policy as unknown as PolicyInternals;
    checkInternals(this.#p);
  }

  start(tNs: number): boolean {
    const admitted = this.#clock.at(tNs, () => this.#admit());
    if (admitted === undefined) return false;
    this.#pending.put(tNs, admitted);
    return true;
  }

  state(): CandidateState {
    switch (this.#p.innerState.value) {
      case CircuitState.Closed:
        return 'CLOSED';
      case CircuitState.HalfOpen:
        return 'HALF_OPEN';
      default:
        return 'OPEN';
    }
  }

  success(tNs: number, latencyNs: number): void {
    const call = this.#pending.take(tNs - latencyNs);
    if (call !== undefined) this.#clock.at(tNs, () => this.#settle(call, true));
  }

  fail(tNs: number, latencyNs: number): void {
    const call = this.#pending.take(tNs - latencyNs);
    if (call !== undefined) this.#clock.at(tNs, () => this.#settle(call, false));
  }

  /** The wrapped library object (tests, diagnostics). */
  get policy(): CircuitBreakerPolicy {
    return this.#policy;
  }

  /** cockatiel's `Date.now()` (ms of simulated time). */
  get libraryNowMs(): number {
    return this.#clock.nowMs;
  }

  /** Requests admitted and not yet completed. */
  get inFlight(): number {
    return this.#pending.size;
  }

  /** `execute`'s admission step; undefined = rejected. Runs on the fake clock. */
  #admit(): Admitted | undefined {
    const p = this.#p;
    const state = p.innerState;
    switch (state.value) {
      case CircuitState.Closed:
        return { test: undefined, startMs: this.#stopwatchStart() };
      case CircuitState.Open: {
        if (this.#clock.nowMs - state.openedAt < state.backoff.duration) return undefined;
        // halfOpen(fn): emit onHalfOpen, then invoke fn (the executor starts its stopwatch).
        p.halfOpenEmitter.emit(undefined);
        const startMs = this.#stopwatchStart();
        const test = new SyncPromise();
        p.innerState = {
          value: CircuitState.HalfOpen,
          test,
          backoff: state.backoff,
          attemptNo: state.attemptNo + 1,
        };
        p.stateChangeEmitter.emit(CircuitState.HalfOpen);
        return { test, startMs };
      }
      default:
        // HalfOpen: the library would park the call behind the test (see the file comment).
        // Isolated: IsolatedCircuitError.
        return undefined;
    }
  }

  /** The rest of `execute` (Closed) or `halfOpen` (the test) once the call settled. */
  #settle(call: Admitted, ok: boolean): void {
    const p = this.#p;
    const ex = p.executor;
    const breaker = p.options.breaker;
    // ExecuteWrapper.invoke: classify, emit onSuccess / onFailure.
    let result: { success: undefined } | { value: undefined } | { error: Error };
    if (ok) {
      if (!ex.resultFilter(undefined)) {
        if (call.startMs >= 0) ex.successEmitter.emit({ duration: this.#elapsed(call) });
        result = { success: undefined };
      } else {
        if (call.startMs >= 0) {
          ex.failureEmitter.emit({
            duration: this.#elapsed(call),
            handled: true,
            reason: { value: undefined },
          });
        }
        result = { value: undefined };
      }
    } else {
      const handled = ex.errorFilter(BACKEND_FAILURE);
      if (call.startMs >= 0) {
        ex.failureEmitter.emit({
          duration: this.#elapsed(call),
          handled,
          reason: { error: BACKEND_FAILURE },
        });
      }
      if (!handled) {
        // invoke rethrows: execute passes it on untouched; halfOpen closes the circuit.
        if (call.test !== undefined) p.close();
        call.test?.reject(BACKEND_FAILURE);
        return;
      }
      result = { error: BACKEND_FAILURE };
    }
    if (call.test === undefined) {
      if ('success' in result) {
        breaker.success(CircuitState.Closed);
      } else {
        p.innerLastFailure = result;
        if (breaker.failure(CircuitState.Closed)) p.open(result, NEVER_ABORTED);
      }
      return;
    }
    if ('success' in result) {
      breaker.success(CircuitState.HalfOpen);
      p.close();
    } else {
      p.innerLastFailure = result;
      breaker.failure(CircuitState.HalfOpen);
      p.open(result, NEVER_ABORTED);
    }
    call.test.resolve(undefined);
  }

  /** The executor's stopwatch: started only when someone listens (as in `invoke`). */
  #stopwatchStart(): number {
    const ex = this.#p.executor;
    return ex.successEmitter.size > 0 || ex.failureEmitter.size > 0
      ? this.#clock.performanceNow()
      : -1;
  }

  #elapsed(call: Admitted): number {
    return this.#clock.performanceNow() - call.startMs;
  }
}

function checkInternals(p: PolicyInternals): void {
  const ok =
    typeof p.innerState?.value === 'number' &&
    typeof p.options?.breaker?.success === 'function' &&
    typeof p.executor?.errorFilter === 'function' &&
    typeof p.executor?.resultFilter === 'function' &&
    typeof p.executor?.successEmitter?.emit === 'function' &&
    typeof p.executor?.failureEmitter?.emit === 'function' &&
    typeof p.halfOpenEmitter?.emit === 'function' &&
    typeof p.stateChangeEmitter?.emit === 'function' &&
    typeof p.open === 'function' &&
    typeof p.close === 'function';
  if (!ok) {
    throw new Error(
      'cockatiel internals differ from 3.2.1 (innerState, options.breaker, executor, open/close); ' +
        'the synchronous execute emulation in peers/cockatiel.ts must be re-checked',
    );
  }
}

export function createCockatielDefault(): Candidate {
  return new CockatielCandidate('Cockatiel-Default', COCKATIEL_DEFAULT);
}

export function createCockatielTuned(): Candidate {
  return new CockatielCandidate('Cockatiel-Tuned', COCKATIEL_TUNED);
}

export const COCKATIEL_ENTRIES = [
  {
    key: 'cockatiel-default',
    displayName: 'Cockatiel-Default',
    description: 'cockatiel 3.2.1 README breaker (5 consecutive failures, half-open after 10 s)',
    group: 'libraries',
    ignoresSlo: true,
    relativeCost: 3,
    meshCost: 30,
    create: () => createCockatielDefault(),
  },
  {
    key: 'cockatiel-tuned',
    displayName: 'Cockatiel-Tuned',
    description:
      'cockatiel 3.2.1 set for this traffic (>20% in 10 s, 2-30 s exponential half-open)',
    group: 'libraries',
    ignoresSlo: true,
    relativeCost: 3,
    meshCost: 30,
    create: () => createCockatielTuned(),
  },
] as const satisfies readonly CandidateEntry[];
