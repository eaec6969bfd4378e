/**
 * Shapes shared by the CLI modules. `CandidateResult` mirrors the
 * orchestrator's `ClosedLoopResult` field for field, so a result coming out of
 * `runClosedLoop` (or across a worker-thread boundary, as a structured clone)
 * can be used directly.
 */

export interface BackendCounts {
  requests: number;
  successes: number;
  failures: number;
  shed: number;
  queueDrops: number;
  crashes: number;
}

export interface CandidateResult {
  /** Display name reported by the candidate, e.g. `Static-Peak`. */
  candidate: string;
  blocked: number;
  allowed: number;
  successes: number;
  failures: number;
  successScore: number;
  failureScore: number;
  delta: number;
  maxConcurrency: number;
  backend: BackendCounts;
}

/** The breaker SLO handed to candidates that take one (Levee). */
export interface SloConfig {
  successRate: number;
  timeoutMs: number;
}

/** An inclusive range of spec indices into the workload. */
export interface SpecRange {
  first: number;
  last: number;
}

/**
 * Everything needed to run one candidate through the closed loop. Plain data
 * only, so it can be posted to a worker thread.
 */
export interface CandidateJob {
  /** Registry key, e.g. `static-peak`. */
  candidate: string;
  seed: number;
  specs: SpecRange;
  slo: SloConfig;
}

/** Receives the fraction (0..1) of the simulation done so far. */
export type ProgressListener = (fractionDone: number) => void;

/**
 * Runs one job and resolves with its result. The default executor runs the job
 * in a worker thread; tests inject an in-process one.
 */
export type JobExecutor = (
  job: CandidateJob,
  onProgress: ProgressListener,
  signal: AbortSignal,
) => Promise<CandidateResult>;
