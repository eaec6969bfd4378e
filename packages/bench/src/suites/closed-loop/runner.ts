/**
 * The closed-loop runner (runner `closed-loop`): one candidate in front of its
 * own backend over the job's specs (src/sim/orchestrator/closed-loop.ts). The
 * reference run and the three sweeps built on it (load-variation, slo-sweep,
 * queue-depth) all run this one. With a `TraceRecorder` it also records the
 * run's per-second trace for the report page, without changing the result.
 */
import { createCandidate, usesSlo } from '../../candidates/registry.js';
import type { BackendConfig } from '../../sim/backend/backend-config.js';
import type { RetryPolicy } from '../../sim/orchestrator/caller.js';
import { type ClosedLoopResult, runClosedLoop } from '../../sim/orchestrator/closed-loop.js';
import { TIMEOUT_MS } from '../../sim/workload/cyber-monday.js';
import { runFaultWindows } from '../../sim/workload/faults.js';
import type { LoadSpec } from '../../sim/workload/load-spec.js';
import { jobCost, type SloConfig } from '../shared/jobs.js';
import type { Job, JobRunner, ProgressListener } from '../shared/suite.js';
import { TraceRecorder } from './trace.js';

/** The runner name of closed-loop jobs. */
export const CLOSED_LOOP_RUNNER = 'closed-loop';

/** Parameters of one closed-loop simulation (runner `closed-loop`). */
export interface ClosedLoopParams {
  /** Registry key. */
  candidate: string;
  seed: number;
  /** The specs simulated, every `baselineErrorRate` explicit. */
  specs: LoadSpec[];
  /** The full backend configuration (numeric `slotsPerReplica`). */
  backend: BackendConfig;
  /** The breaker SLO; left out for candidates that ignore it. */
  slo?: SloConfig;
  /** Retrying clients (docs/BENCHMARKS.md §9.2); left out when every request is tried once. */
  retry?: RetryPolicy;
  /** Event-loop tick of completions, ms (docs/BENCHMARKS.md §9.3); left out when off. */
  tickMs?: number;
}

/** The options of a closed-loop job beyond the reference run's (each left out when off). */
export interface ClientModel {
  retry?: RetryPolicy;
  tickMs?: number;
}

/** `tickMs` → integer nanoseconds (at least 1). */
export function tickNs(tickMs: number): number {
  return Math.max(1, Math.round(tickMs * 1e6));
}

/** The run options for a job's client model. */
export function clientRunOptions(params: ClientModel): {
  retry?: RetryPolicy;
  completionTickNs?: number;
} {
  return {
    ...(params.retry === undefined ? {} : { retry: params.retry }),
    ...(params.tickMs === undefined ? {} : { completionTickNs: tickNs(params.tickMs) }),
  };
}

/** Adds the client model to job params (only what is on, so plain jobs keep their JSON). */
export function withClientModel<P extends object>(
  params: P,
  model: ClientModel = {},
): P & ClientModel {
  const out: P & ClientModel = params;
  if (model.retry !== undefined) out.retry = { ...model.retry };
  if (model.tickMs !== undefined) out.tickMs = model.tickMs;
  return out;
}

/** SLO used to build candidates that ignore it. */
export const UNUSED_SLO: Readonly<SloConfig> = { successRate: 0.9, timeoutMs: TIMEOUT_MS };

/** Runs one closed-loop job; `recorder` (optional) records its per-second trace. */
export function runClosedLoopJob(
  params: ClosedLoopParams,
  onProgress: ProgressListener,
  recorder?: TraceRecorder,
): ClosedLoopResult {
  const slo = params.slo ?? UNUSED_SLO;
  return runClosedLoop({
    specs: params.specs,
    seed: params.seed,
    backend: params.backend,
    candidate: () => createCandidate(params.candidate, { slo }),
    onProgress,
    ...clientRunOptions(params),
    ...(recorder === undefined ? {} : { tracer: recorder }),
  });
}

export const closedLoopRunner: JobRunner<ClosedLoopParams, ClosedLoopResult, TraceRecorder> = {
  run: runClosedLoopJob,
  recording: {
    recorder: (params) =>
      new TraceRecorder(runFaultWindows(params.specs, params.backend.faults ?? [])),
    trace: (recorder) => recorder.trace(),
  },
};

/**
 * The closed-loop job for `candidate`; the SLO is kept only for candidates
 * that use it, the client model only when on. Throws (a usage error for the
 * CLI, before anything runs) if the specs' and the backend's fault windows
 * overlap.
 */
export function closedLoopJob(
  candidate: string,
  seed: number,
  specs: LoadSpec[],
  backend: BackendConfig,
  slo: SloConfig,
  label: string,
  model: ClientModel = {},
): Job<ClosedLoopParams> {
  runFaultWindows(specs, backend.faults ?? []);
  const params: ClosedLoopParams = { candidate, seed, specs, backend };
  if (usesSlo(candidate)) params.slo = { successRate: slo.successRate, timeoutMs: slo.timeoutMs };
  withClientModel(params, model);
  return { runner: CLOSED_LOOP_RUNNER, params, label, cost: jobCost(candidate, specs) };
}
