/**
 * The arrival loop with retrying clients (src/sim/orchestrator/caller.ts,
 * docs/BENCHMARKS.md §9.2), shared by the closed-loop and cooperation
 * orchestrators when a retry policy is given (without one they keep their own
 * loops, unchanged).
 *
 * Events are the dispatcher's arrivals (new requests) and the callers' due
 * retries, in time order (an arrival first on a tie). Each event is one
 * attempt and is handled exactly like an arrival of §5.3: `backend.advance(t)`
 * delivers the completions due by t (each to the instance that admitted it,
 * and to the callers, who may schedule a retry), then the instance `route()`
 * picks decides; refused → Blocked (the callers may retry); admitted →
 * Allowed, that instance's in-flight + 1 and MaxConcurrency as in §5.3,
 * `backend.submit` with the request's spec and its caller slot as the tag.
 * Once the dispatcher is dry and no retry waits, the remaining completions
 * are delivered one delivery time at a time (they may still cause retries),
 * and finally `advance(+∞)`. With `attempts = 1` the breakers see exactly the
 * calls of the plain loop (a test checks the results are identical).
 */
import type { Candidate } from '../../candidates/candidate.js';
import type { Dispatcher } from '../arrivals/dispatcher.js';
import type { Backend, CompletionSink } from '../backend/backend.js';
import { EpochScorer } from '../scoring/epoch-scorer.js';
import type { Caller } from './caller.js';

/** Per-instance hooks of a cooperation tracer (absent in the closed loop, whose tracer wraps the breaker). */
export interface AttemptObserver {
  decided(instance: number, tNs: number, admitted: boolean): void;
  completed(instance: number, tNs: number, ok: boolean): void;
}

export interface AttemptLoopRun {
  dispatcher: Dispatcher;
  backend: Backend;
  caller: Caller;
  /** The breakers (one in the closed loop, the fleet in cooperation). */
  breakers: readonly Candidate[];
  /** The instance that handles the next attempt (called once per attempt, before anything else). */
  route(): number;
  observer?: AttemptObserver;
  onProgress?: (fractionDone: number) => void;
  totalNs: number;
}

export interface AttemptLoopResult {
  allowed: number;
  blocked: number;
  successes: number;
  failures: number;
  scorer: EpochScorer;
  /** Largest in-flight count per instance (updated as in §5.3). */
  maxConcurrency: Int32Array;
}

const PROGRESS_MASK = (1 << 20) - 1;

/** Delivers completions to their instance, the scorer and the callers. */
class AttemptSink implements CompletionSink {
  /** Time of the event being handled (the callers' "now"). */
  now = 0;
  successes = 0;
  failures = 0;
  readonly scorer = new EpochScorer();
  readonly inFlight: Int32Array;
  readonly #breakers: readonly Candidate[];
  readonly #caller: Caller;
  readonly #observer: AttemptObserver | undefined;

  constructor(breakers: readonly Candidate[], caller: Caller, observer?: AttemptObserver) {
    this.#breakers = breakers;
    this.#caller = caller;
    this.#observer = observer;
    this.inFlight = new Int32Array(breakers.length);
  }

  complete(timeNs: number, latencyNs: number, ok: boolean, slot: number): void {
    const caller = this.#caller;
    const instance = caller.instanceOf(slot);
    const breaker = this.#breakers[instance]!;
    if (ok) {
      breaker.success(timeNs, latencyNs);
      this.successes++;
    } else {
      breaker.fail(timeNs, latencyNs);
      this.failures++;
    }
    this.inFlight[instance]!--;
    this.scorer.record(timeNs, ok);
    if (this.#observer !== undefined) this.#observer.completed(instance, timeNs, ok);
    caller.completed(slot, ok, timeNs, this.now);
  }
}

export function runAttemptLoop(run: AttemptLoopRun): AttemptLoopResult {
  const { dispatcher, backend, caller, breakers, observer, onProgress, totalNs } = run;
  const sink = new AttemptSink(breakers, caller, observer);
  const inFlight = sink.inFlight;
  const maxConcurrency = new Int32Array(breakers.length);
  let allowed = 0;
  let blocked = 0;
  let arrivals = 0;
  let more = dispatcher.next();
  for (;;) {
    let t: number;
    let slot: number;
    let spec: number;
    const fresh = more && dispatcher.t <= caller.nextRetryNs();
    if (fresh) {
      t = dispatcher.t;
      spec = dispatcher.specIndex;
      slot = -1;
    } else if (caller.pendingRetries > 0) {
      slot = caller.popRetry();
      t = caller.poppedNs;
      spec = caller.specOf(slot);
    } else if (backend.pendingCompletions > 0) {
      const due = backend.nextDeliveryNs();
      sink.now = due;
      backend.advance(due, sink);
      continue;
    } else {
      break;
    }
    const instance = run.route();
    sink.now = t;
    backend.advance(t, sink);
    if (slot < 0) slot = caller.open(t, spec);
    caller.setInstance(slot, instance);
    const breaker = breakers[instance]!;
    const admitted = breaker.start(t);
    if (observer !== undefined) observer.decided(instance, t, admitted);
    if (!admitted) {
      blocked++;
      caller.blocked(slot, t);
    } else {
      allowed++;
      const n = ++inFlight[instance]!;
      if (n > maxConcurrency[instance]! && breaker.state() !== 'OPEN') maxConcurrency[instance] = n;
      backend.submit(t, spec, slot);
    }
    if (fresh) {
      more = dispatcher.next();
      if ((++arrivals & PROGRESS_MASK) === 0 && onProgress !== undefined) {
        onProgress(Math.min(t / totalNs, 1));
      }
    }
  }
  backend.advance(Number.POSITIVE_INFINITY, sink);
  sink.scorer.flush();
  return {
    allowed,
    blocked,
    successes: sink.successes,
    failures: sink.failures,
    scorer: sink.scorer,
    maxConcurrency,
  };
}
