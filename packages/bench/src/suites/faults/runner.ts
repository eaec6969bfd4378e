/**
 * The faults suite's runner (runner `faults`): one closed-loop simulation
 * (src/sim/orchestrator/closed-loop.ts) with the job's fault windows, client
 * model and candidate — a registry candidate, or the suite's schedule oracle
 * (`candidate: 'oracle'`). With a recorder it also records the per-second
 * trace of the closed-loop layout, its capacity line scaled by the fault
 * windows (0 while every call fails, 1 / factor while slow).
 */
import { createCandidate } from '../../candidates/registry.js';
import { FaultSchedule, type FaultWindow, runFaultWindows } from '../../sim/backend/faults.js';
import { type ClosedLoopResult, runClosedLoop } from '../../sim/orchestrator/closed-loop.js';
import { type ClosedLoopParams, clientRunOptions, UNUSED_SLO } from '../closed-loop/runner.js';
import { type Trace, TraceRecorder } from '../closed-loop/trace.js';
import type { JobRunner, ProgressListener } from '../shared/suite.js';
import { ORACLE_KEY, ScheduleOracle } from './oracle.js';

export const FAULTS_RUNNER = 'faults';

/** The fault windows of a job in run time. */
export function jobFaultWindows(params: ClosedLoopParams): FaultWindow[] {
  return runFaultWindows(params.specs, params.backend.faults ?? []);
}

/** Sub-samples per second when scaling a trace's capacity by the fault windows. */
const CAPACITY_SAMPLES = 10;

/** A closed-loop recorder whose capacity line follows the fault windows. */
export class FaultTraceRecorder extends TraceRecorder {
  readonly #windows: readonly FaultWindow[];

  constructor(windows: readonly FaultWindow[]) {
    super();
    this.#windows = windows;
  }

  override finish(): void {
    super.finish();
    if (this.#windows.length === 0) return;
    const schedule = new FaultSchedule(this.#windows, 0);
    const trace: Trace = this.trace();
    const capacity = trace.columns.capacity;
    for (let row = 0; row < trace.seconds; row++) {
      let sum = 0;
      for (let k = 0; k < CAPACITY_SAMPLES; k++) {
        sum += schedule.capacityFactorAt(Math.round((row + (k + 0.5) / CAPACITY_SAMPLES) * 1e9));
      }
      capacity[row] = capacity[row]! * (sum / CAPACITY_SAMPLES);
    }
  }
}

export function runFaultsJob(
  params: ClosedLoopParams,
  onProgress: ProgressListener,
  recorder?: FaultTraceRecorder,
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

export const faultsRunner: JobRunner<ClosedLoopParams, ClosedLoopResult, FaultTraceRecorder> = {
  run: runFaultsJob,
  recording: {
    recorder: (params) => new FaultTraceRecorder(jobFaultWindows(params)),
    trace: (recorder) => recorder.trace(),
  },
};
