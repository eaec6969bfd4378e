/**
 * The cooperation benchmark's orchestrator (docs/BENCHMARKS.md §5.6
 * "Cooperation", §5.7 P3): `instances` breakers of one type share one backend,
 * as if a fleet of app instances each ran its own breaker in front of the same
 * service.
 *
 * The arrival loop is the dispatcher's (same RNG stream, same requests). The
 * n-th request (0-based, counted before anything else happens to it) goes to
 * instance n mod instances. Per arrival at t: `backend.advance(t)` delivers
 * every completion due by t to the instance named by its tag (`success`/`fail`,
 * that instance's in-flight − 1) and to ONE shared epoch scorer; then the
 * chosen instance's `start(t)`: rejected → Blocked; admitted → Allowed, the
 * instance's in-flight + 1, its MaxConcurrency updated when its state after
 * `start` is not OPEN, `backend.submit` with the instance as tag. At the end
 * `advance(+∞)` drains everything. Allowed and Blocked are summed over the
 * instances; MaxConcurrency is the largest per-instance value.
 */

import type { Candidate } from '../../candidates/candidate.js';
import { Dispatcher } from '../arrivals/dispatcher.js';
import { Backend, type CompletionSink } from '../backend/backend.js';
import type { BackendConfig } from '../backend/backend-config.js';
import { closedLoopDelta, EpochScorer } from '../scoring/epoch-scorer.js';
import type { LoadSpec } from '../workload/load-spec.js';
import { runAttemptLoop } from './attempt-loop.js';
import { Caller, type RetryPolicy } from './caller.js';
import { backendOptions, type ClosedLoopResult } from './closed-loop.js';

export interface CooperationOptions {
  specs: LoadSpec[];
  seed: number;
  /** Number of breaker instances sharing the backend (≥ 1). */
  instances: number;
  /** Builds one breaker; called `instances` times. */
  candidate: () => Candidate;
  backend?: Partial<BackendConfig>;
  /** Called rarely (every 2^20 arrivals and once at the end) with the fraction done. */
  onProgress?: (fractionDone: number) => void;
  /** Optional per-second recording (`FleetTraceRecorder` in src/report/trace.ts); off when absent. */
  tracer?: CooperationTracer;
  /**
   * Clients that retry (docs/BENCHMARKS.md §9.2): every attempt, retries
   * included, is a new arrival for the load balancer and goes to the next
   * instance in turn. Absent: every request is tried once.
   */
  retry?: RetryPolicy;
  /** Event-loop batching of completions, tick in ns (docs/BENCHMARKS.md §9.3); absent or 0: off. */
  completionTickNs?: number;
}

/**
 * Hook for recording a run (it only observes): `attach` once before the first
 * arrival; then `decided` after each arrival's instance decided (and before
 * the request is submitted); `completed` after each completion was delivered to its
 * instance; `finish` once after the drain. (Direct calls rather than
 * wrapping 100 breakers keep the hot loop as it is.)
 */
export interface CooperationTracer {
  attach(run: {
    candidates: readonly Candidate[];
    backend: Backend;
    dispatcher: Dispatcher;
    specs: readonly LoadSpec[];
  }): void;
  /** Instance `instance` decided on the arrival at `tNs` (before the backend saw the request). */
  decided(instance: number, tNs: number, admitted: boolean): void;
  completed(instance: number, tNs: number, ok: boolean): void;
  finish(): void;
}

export interface CooperationResult extends ClosedLoopResult {
  instances: number;
}

const PROGRESS_MASK = (1 << 20) - 1;

/** Routes completions back to the instance that admitted the request. */
class Fleet implements CompletionSink {
  successes = 0;
  failures = 0;
  readonly inFlight: Int32Array;
  readonly scorer = new EpochScorer();
  readonly #breakers: Candidate[];
  readonly #tracer: CooperationTracer | undefined;

  constructor(breakers: Candidate[], tracer: CooperationTracer | undefined) {
    this.#breakers = breakers;
    this.#tracer = tracer;
    this.inFlight = new Int32Array(breakers.length);
  }

  complete(timeNs: number, latencyNs: number, ok: boolean, tag: number): void {
    const breaker = this.#breakers[tag]!;
    if (ok) {
      breaker.success(timeNs, latencyNs);
      this.successes++;
    } else {
      breaker.fail(timeNs, latencyNs);
      this.failures++;
    }
    this.inFlight[tag]!--;
    this.scorer.record(timeNs, ok);
    if (this.#tracer !== undefined) this.#tracer.completed(tag, timeNs, ok);
  }
}

export function runCooperation(opts: CooperationOptions): CooperationResult {
  const { specs, seed, instances, onProgress } = opts;
  if (!Number.isSafeInteger(instances) || instances < 1) {
    throw new RangeError(`instances must be a positive integer (got ${instances})`);
  }
  const breakers = Array.from({ length: instances }, () => opts.candidate());
  const backend = new Backend(specs, seed, opts.backend ?? {}, backendOptions(opts));
  const dispatcher = new Dispatcher(specs, seed);
  const tracer = opts.tracer;
  tracer?.attach({ candidates: breakers, backend, dispatcher, specs });

  let totalNs = 0;
  for (const spec of specs) totalNs += spec.durationS * 1e9;

  if (opts.retry !== undefined) {
    const caller = new Caller(opts.retry, seed);
    let turn = 0;
    const loop = runAttemptLoop({
      dispatcher,
      backend,
      caller,
      breakers,
      route: () => {
        const i = turn;
        if (++turn === instances) turn = 0;
        return i;
      },
      totalNs,
      ...(tracer === undefined ? {} : { observer: tracer }),
      ...(onProgress === undefined ? {} : { onProgress }),
    });
    tracer?.finish();
    onProgress?.(1);
    let max = 0;
    for (const m of loop.maxConcurrency) if (m > max) max = m;
    const successScore = loop.scorer.successScore;
    const failureScore = loop.scorer.failureScore;
    return {
      candidate: breakers[0]!.name,
      instances,
      blocked: loop.blocked,
      allowed: loop.allowed,
      successes: loop.successes,
      failures: loop.failures,
      successScore,
      failureScore,
      delta: closedLoopDelta(successScore, failureScore, loop.allowed, loop.blocked),
      maxConcurrency: max,
      backend: backend.stats(),
      requests: caller.stats(),
    };
  }

  const fleet = new Fleet(breakers, tracer);
  const inFlight = fleet.inFlight;
  const maxConcurrency = new Int32Array(instances);

  let allowed = 0;
  let blocked = 0;
  let issued = 0;
  let next = 0; // issued mod instances
  while (dispatcher.next()) {
    const t = dispatcher.t;
    const i = next;
    if (++next === instances) next = 0;
    backend.advance(t, fleet);
    const breaker = breakers[i]!;
    const admitted = breaker.start(t);
    if (tracer !== undefined) tracer.decided(i, t, admitted);
    if (!admitted) {
      blocked++;
    } else {
      allowed++;
      const n = ++inFlight[i]!;
      if (n > maxConcurrency[i]! && breaker.state() !== 'OPEN') maxConcurrency[i] = n;
      backend.submit(t, dispatcher.specIndex, i);
    }
    if ((++issued & PROGRESS_MASK) === 0 && onProgress !== undefined) {
      onProgress(Math.min(t / totalNs, 1));
    }
  }
  backend.advance(Number.POSITIVE_INFINITY, fleet);
  fleet.scorer.flush();
  tracer?.finish();
  onProgress?.(1);

  let max = 0;
  for (const m of maxConcurrency) if (m > max) max = m;
  const successScore = fleet.scorer.successScore;
  const failureScore = fleet.scorer.failureScore;
  return {
    candidate: breakers[0]!.name,
    instances,
    blocked,
    allowed,
    successes: fleet.successes,
    failures: fleet.failures,
    successScore,
    failureScore,
    delta: closedLoopDelta(successScore, failureScore, allowed, blocked),
    maxConcurrency: max,
    backend: backend.stats(),
  };
}
