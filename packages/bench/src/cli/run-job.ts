/**
 * One candidate's closed-loop run, as executed inside a worker thread (or
 * in-process by tests): the selected slice of the Cyber Monday workload, the
 * candidate built from the registry with the job's SLO, and the orchestrator.
 */
import { createCandidate } from '../candidates/registry.js';
import { runClosedLoop } from '../orchestrator/closed-loop.js';
import { cyberMonday } from '../workload/cyber-monday.js';
import type { CandidateJob, CandidateResult, ProgressListener } from './types.js';

export function runJob(job: CandidateJob, onProgress?: ProgressListener): CandidateResult {
  const specs = cyberMonday().slice(job.specs.first, job.specs.last + 1);
  if (specs.length !== job.specs.last - job.specs.first + 1) {
    throw new Error(`spec range ${job.specs.first}-${job.specs.last} is outside the workload`);
  }
  const slo = { successRate: job.slo.successRate, timeoutMs: job.slo.timeoutMs };
  return runClosedLoop({
    specs,
    seed: job.seed,
    candidate: () => createCandidate(job.candidate, { slo }),
    ...(onProgress === undefined ? {} : { onProgress }),
  });
}
