/**
 * The closed-loop benchmark's orchestrator, the "app" (docs/BENCHMARKS.md §5.3):
 * dispatcher → one breaker → a dedicated backend, all on virtual time.
 *
 * Per arrival at t: `backend.advance(t)` delivers every completion due by t to
 * the breaker (`success`/`fail` with the completion time and latency), the
 * in-flight count and the epoch scorer; then `breaker.start(t)`: rejected →
 * Blocked; admitted → Allowed, in-flight + 1, MaxConcurrency updated when the
 * state after `start` is not OPEN, `backend.submit`. At the end `advance(+∞)`
 * drains everything and the last epoch is flushed.
 *
 * Two options, both off by default (the published runs): `retry`, clients
 * that retry failed and refused requests (src/sim/orchestrator/caller.ts; the
 * loop then is `runAttemptLoop`, and the result adds per-request figures),
 * and `completionTickNs`, completions delivered in event-loop ticks
 * (src/sim/backend/backend.ts). Fault windows come with the backend
 * configuration or the specs (src/sim/workload/faults.ts).
 */

import type { Candidate } from '../../candidates/candidate.js';
import { Dispatcher } from '../arrivals/dispatcher.js';
import { Backend, type BackendOptions, type CompletionSink } from '../backend/backend.js';
import type { BackendConfig } from '../backend/backend-config.js';
import { closedLoopDelta, EpochScorer } from '../scoring/epoch-scorer.js';
import type { LoadSpec } from '../workload/load-spec.js';
import { runAttemptLoop } from './attempt-loop.js';
import { Caller, type RequestStats, type RetryPolicy } from './caller.js';

export interface ClosedLoopOptions {
  specs: LoadSpec[];
  seed: number;
  candidate: () => Candidate;
  backend?: Partial<BackendConfig>;
  /** Called rarely (every 2^20 arrivals and once at the end) with the fraction done. */
  onProgress?: (fractionDone: number) => void;
  /** Optional per-second recording (`TraceRecorder` in src/report/trace.ts); off when absent. */
  tracer?: ClosedLoopTracer;
  /** Clients that retry (docs/BENCHMARKS.md §9.2); absent: every request is tried once. */
  retry?: RetryPolicy;
  /** Event-loop batching of completions, tick in ns (docs/BENCHMARKS.md §9.3); absent or 0: off. */
  completionTickNs?: number;
}

/** The backend options of a run. */
export function backendOptions(opts: { completionTickNs?: number }): BackendOptions {
  return opts.completionTickNs === undefined ? {} : { completionTickNs: opts.completionTickNs };
}

/**
 * Hook for recording a run: `attach` is called once before the first arrival
 * and returns the breaker the loop drives (the candidate, or a wrapper that
 * observes it without changing its behaviour); `finish` once after the drain.
 */
export interface ClosedLoopTracer {
  attach(run: {
    candidate: Candidate;
    backend: Backend;
    dispatcher: Dispatcher;
    specs: readonly LoadSpec[];
  }): Candidate;
  finish(): void;
}

export interface ClosedLoopResult {
  candidate: string;
  blocked: number;
  allowed: number;
  successes: number;
  failures: number;
  successScore: number;
  failureScore: number;
  delta: number;
  maxConcurrency: number;
  backend: {
    requests: number;
    successes: number;
    failures: number;
    shed: number;
    queueDrops: number;
    crashes: number;
    /** Calls failed by fault windows; present only when the run has any. */
    faulted?: number;
  };
  /** What users saw (a request succeeds if one of its attempts did); present only with retries. */
  requests?: RequestStats;
}

const PROGRESS_MASK = (1 << 20) - 1;

/** The app side of the loop: feeds delivered completions to the breaker and the scorer. */
class App implements CompletionSink {
  inFlight = 0;
  successes = 0;
  failures = 0;
  readonly #breaker: Candidate;
  readonly scorer = new EpochScorer();

  constructor(breaker: Candidate) {
    this.#breaker = breaker;
  }

  complete(timeNs: number, latencyNs: number, ok: boolean, _tag: number): void {
    if (ok) {
      this.#breaker.success(timeNs, latencyNs);
      this.successes++;
    } else {
      this.#breaker.fail(timeNs, latencyNs);
      this.failures++;
    }
    this.inFlight--;
    this.scorer.record(timeNs, ok);
  }
}

export function runClosedLoop(opts: ClosedLoopOptions): ClosedLoopResult {
  const { specs, seed, onProgress } = opts;
  const candidate = opts.candidate();
  const backend = new Backend(specs, seed, opts.backend ?? {}, backendOptions(opts));
  const dispatcher = new Dispatcher(specs, seed);
  const tracer = opts.tracer;
  const breaker = tracer?.attach({ candidate, backend, dispatcher, specs }) ?? candidate;

  let totalNs = 0;
  for (const spec of specs) totalNs += spec.durationS * 1e9;

  if (opts.retry !== undefined) {
    const caller = new Caller(opts.retry, seed);
    const loop = runAttemptLoop({
      dispatcher,
      backend,
      caller,
      breakers: [breaker],
      route: () => 0,
      totalNs,
      ...(onProgress === undefined ? {} : { onProgress }),
    });
    tracer?.finish();
    onProgress?.(1);
    const successScore = loop.scorer.successScore;
    const failureScore = loop.scorer.failureScore;
    return {
      candidate: breaker.name,
      blocked: loop.blocked,
      allowed: loop.allowed,
      successes: loop.successes,
      failures: loop.failures,
      successScore,
      failureScore,
      delta: closedLoopDelta(successScore, failureScore, loop.allowed, loop.blocked),
      maxConcurrency: loop.maxConcurrency[0]!,
      backend: backend.stats(),
      requests: caller.stats(),
    };
  }

  const app = new App(breaker);

  let allowed = 0;
  let blocked = 0;
  let maxConcurrency = 0;
  let arrivals = 0;
  while (dispatcher.next()) {
    const t = dispatcher.t;
    backend.advance(t, app);
    if (!breaker.start(t)) {
      blocked++;
    } else {
      allowed++;
      const inFlight = ++app.inFlight;
      if (inFlight > maxConcurrency && breaker.state() !== 'OPEN') maxConcurrency = inFlight;
      backend.submit(t, dispatcher.specIndex);
    }
    if ((++arrivals & PROGRESS_MASK) === 0 && onProgress !== undefined) {
      onProgress(Math.min(t / totalNs, 1));
    }
  }
  backend.advance(Number.POSITIVE_INFINITY, app);
  app.scorer.flush();
  tracer?.finish();
  onProgress?.(1);

  const successScore = app.scorer.successScore;
  const failureScore = app.scorer.failureScore;
  return {
    candidate: breaker.name,
    blocked,
    allowed,
    successes: app.successes,
    failures: app.failures,
    successScore,
    failureScore,
    delta: closedLoopDelta(successScore, failureScore, allowed, blocked),
    maxConcurrency,
    backend: backend.stats(),
  };
}
