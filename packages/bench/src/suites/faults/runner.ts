/**
 * The faults suite's runner (runner `faults`): one closed-loop simulation
 * (src/sim/orchestrator/closed-loop.ts) with the job's fault windows, client
 * model and candidate — a registry candidate, or the suite's schedule oracle
 * (`candidate: 'oracle'`). With a recorder it also records the per-second
 * trace of the closed-loop layout, its capacity line scaled by the fault
 * windows (src/suites/closed-loop/trace.ts `scaleCapacityByFaults`).
 */
import { createCandidate } from '../../candidates/registry.js';
import { type ClosedLoopResult, runClosedLoop } from '../../sim/orchestrator/closed-loop.js';
import { type FaultWindow, runFaultWindows } from '../../sim/workload/faults.js';
import { type ClosedLoopParams, clientRunOptions, UNUSED_SLO } from '../closed-loop/runner.js';
import { TraceRecorder } from '../closed-loop/trace.js';
import type { JobRunner, ProgressListener } from '../shared/suite.js';
import { ORACLE_KEY, ScheduleOracle } from './oracle.js';

export const FAULTS_RUNNER = 'faults';

/** The fault windows of a job in run time. */
export function jobFaultWindows(params: ClosedLoopParams): FaultWindow[] {
  return runFaultWindows(params.specs, params.backend.faults ?? []);
}

export function runFaultsJob(
  params: ClosedLoopParams,
  onProgress: ProgressListener,
  recorder?: TraceRecorder,
): ClosedLoopResult {
  const slo = params.slo ?? UNUSED_SLO;
  const windows = jobFaultWindows(params);
  return runClosedLoop({
    specs: params.specs,
    seed: params.seed,
    backend: params.backend,
    candidate: () =>
      params.candidate === ORACLE_KEY
        ? new ScheduleOracle(windows)
        : createCandidate(params.candidate, { slo }),
    onProgress,
    ...clientRunOptions(params),
    ...(recorder === undefined ? {} : { tracer: recorder }),
  });
}

export const faultsRunner: JobRunner<ClosedLoopParams, ClosedLoopResult, TraceRecorder> = {
  run: runFaultsJob,
  recording: {
    recorder: (params) => new TraceRecorder(jobFaultWindows(params)),
    trace: (recorder) => recorder.trace(),
  },
};
