/**
 * Every job runner by name. A job's `runner` field is a key of this table; the
 * worker thread (src/cli/worker.ts) and the in-process executor look it up
 * here. Register the runners of new suites in this table.
 */

import { TRACED_RUNNERS } from '../report/cli-hook.js';
import { runClosedLoopJob, runCooperationJob } from './common.js';
import { runMeshJobRunner } from './mesh/suite.js';
import { runPrescientJob } from './prescient/run.js';
import type { JobRunner } from './suite.js';

export const RUNNERS: Readonly<Record<string, JobRunner<never>>> = {
  'closed-loop': runClosedLoopJob,
  cooperation: runCooperationJob,
  prescient: runPrescientJob,
  mesh: runMeshJobRunner,
  // --report: closed-loop jobs with a per-second trace (src/report/cli-hook.ts)
  ...TRACED_RUNNERS,
};

/** Runs `job` in this thread with its registered runner. */
export function runJobInline(
  job: { runner: string; params: unknown },
  onProgress: (fraction: number) => void = () => {},
): unknown {
  const runner = RUNNERS[job.runner] as JobRunner | undefined;
  if (runner === undefined) throw new Error(`no runner named ${JSON.stringify(job.runner)}`);
  return runner(job.params, onProgress);
}
