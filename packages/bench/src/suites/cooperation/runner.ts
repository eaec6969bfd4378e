/**
 * The cooperation runner (runner `cooperation`): `instances` breakers of one
 * candidate type sharing one backend (src/sim/orchestrator/cooperation.ts).
 * With a `FleetTraceRecorder` it also records the run's per-second trace for
 * the report page, without changing the result.
 */
import { createCandidate } from '../../candidates/registry.js';
import { type CooperationResult, runCooperation } from '../../sim/orchestrator/cooperation.js';
import { type ClosedLoopParams, clientRunOptions, UNUSED_SLO } from '../closed-loop/runner.js';
import type { JobRunner, ProgressListener } from '../shared/suite.js';
import { FleetTraceRecorder } from './trace.js';

/** The runner name of cooperation jobs. */
export const COOPERATION_RUNNER = 'cooperation';

/** Parameters of one cooperation simulation (runner `cooperation`). */
export interface CooperationParams extends ClosedLoopParams {
  instances: number;
}

/** Runs one cooperation job; `recorder` (optional) records its per-second trace. */
export function runCooperationJob(
  params: CooperationParams,
  onProgress: ProgressListener,
  recorder?: FleetTraceRecorder,
): CooperationResult {
  const slo = params.slo ?? UNUSED_SLO;
  return runCooperation({
    specs: params.specs,
    seed: params.seed,
    instances: params.instances,
    backend: params.backend,
    candidate: () => createCandidate(params.candidate, { slo }),
    onProgress,
    ...clientRunOptions(params),
    ...(recorder === undefined ? {} : { tracer: recorder }),
  });
}

export const cooperationRunner: JobRunner<
  CooperationParams,
  CooperationResult,
  FleetTraceRecorder
> = {
  run: runCooperationJob,
  recording: { recorder: () => new FleetTraceRecorder(), trace: (recorder) => recorder.trace() },
};
