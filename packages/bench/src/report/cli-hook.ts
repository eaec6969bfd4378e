/**
 * The CLI side of `--report FILE.html` and `levee-bench all --out DIR`
 * (DIR/index.html plus one page per suite), kept apart from src/cli so the
 * CLI needs only a few calls:
 *
 * 1. before running, `withTraces(jobs)` switches every `closed-loop`,
 *    `cooperation`, `prescient` and `mesh` job to its traced runner
 *    (`<runner>+trace`; register `TRACED_RUNNERS` next to the suites'
 *    runners), which records a per-second trace alongside the result;
 * 2. when a job finishes, `splitTraced(result)` separates the trace from the
 *    result, so suites reduce exactly the results they always get;
 * 3. after a suite's `reduce`, `suiteReportHtml(...)` renders its page, and
 *    for `all --out DIR`, `reportIndexHtml(...)` the index.
 *
 * Recording does not change any result (see trace.ts), so a run with
 * `--report` prints the same tables and JSON as one without.
 */
import { createCandidate } from '../candidates/registry.js';
import { type ClosedLoopResult, runClosedLoop } from '../sim/orchestrator/closed-loop.js';
import { type CooperationResult, runCooperation } from '../sim/orchestrator/cooperation.js';
import { LEAD_IN_S, TIMEOUT_MS } from '../sim/workload/cyber-monday.js';
import type { ClosedLoopParams, CooperationParams } from '../suites/common.js';
import { type MeshJob, type MeshResult, runMeshJob } from '../suites/mesh/runner.js';
import { MeshTraceRecorder } from '../suites/mesh/trace.js';
import {
  type PrescientCandidateResult,
  type PrescientJob,
  runPrescientJob,
} from '../suites/prescient/run.js';
import { PrescientTraceRecorder } from '../suites/prescient/trace.js';
import type { Job, ProgressListener, SuiteOptions, SuiteOutput } from '../suites/suite.js';
import type { ChartTrace } from './layout.js';
import { type ReportTrace, renderIndex, renderReport } from './page.js';
import { FleetTraceRecorder, TraceRecorder } from './trace.js';

/** Runner name of a traced closed-loop simulation. */
export const TRACED_CLOSED_LOOP = 'closed-loop+trace';

/** Runner names of the traced simulations of the other suites. */
export const TRACED_COOPERATION = 'cooperation+trace';
export const TRACED_PRESCIENT = 'prescient+trace';
export const TRACED_MESH = 'mesh+trace';

/** What a traced runner returns: the usual result plus the trace. */
export interface TracedResult<R = ClosedLoopResult> {
  tracedResult: R;
  trace: ChartTrace;
}

/** The SLO used to build candidates that ignore it (as the untraced runner does). */
const UNUSED_SLO = { successRate: 0.9, timeoutMs: TIMEOUT_MS };

/** Runs a `closed-loop` job's params with a `TraceRecorder`; the result is identical to the untraced run's. */
export function runTracedClosedLoopJob(
  params: ClosedLoopParams,
  onProgress: ProgressListener,
): TracedResult {
  const slo = params.slo ?? UNUSED_SLO;
  const recorder = new TraceRecorder();
  const tracedResult = runClosedLoop({
    specs: params.specs,
    seed: params.seed,
    backend: params.backend,
    candidate: () => createCandidate(params.candidate, { slo }),
    onProgress,
    tracer: recorder,
  });
  return { tracedResult, trace: recorder.trace() };
}

/** Runs a `cooperation` job's params with a `FleetTraceRecorder`; the result is the untraced run's. */
export function runTracedCooperationJob(
  params: CooperationParams,
  onProgress: ProgressListener,
): TracedResult<CooperationResult> {
  const slo = params.slo ?? UNUSED_SLO;
  const recorder = new FleetTraceRecorder();
  const tracedResult = runCooperation({
    specs: params.specs,
    seed: params.seed,
    instances: params.instances,
    backend: params.backend,
    candidate: () => createCandidate(params.candidate, { slo }),
    onProgress,
    tracer: recorder,
  });
  return { tracedResult, trace: recorder.trace() };
}

/** Runs a `prescient` job with a `PrescientTraceRecorder`; the result is the untraced run's. */
export function runTracedPrescientJob(
  job: PrescientJob,
  onProgress: ProgressListener,
): TracedResult<PrescientCandidateResult> {
  const recorder = new PrescientTraceRecorder();
  const tracedResult = runPrescientJob(job, onProgress, recorder);
  return { tracedResult, trace: recorder.trace() };
}

/** Runs a `mesh` job with a `MeshTraceRecorder`; the result is the untraced run's. */
export function runTracedMeshJob(
  job: MeshJob,
  onProgress: ProgressListener,
): TracedResult<MeshResult> {
  const recorder = new MeshTraceRecorder();
  const tracedResult = runMeshJob(job, onProgress, recorder);
  const trace = recorder.trace();
  trace.candidate = tracedResult.candidate;
  return { tracedResult, trace };
}

/** Runners to add to `RUNNERS` (src/suites/runners.ts). */
export const TRACED_RUNNERS = {
  [TRACED_CLOSED_LOOP]: runTracedClosedLoopJob,
  [TRACED_COOPERATION]: runTracedCooperationJob,
  [TRACED_PRESCIENT]: runTracedPrescientJob,
  [TRACED_MESH]: runTracedMeshJob,
} as const;

/** The traced runner of each runner that has one. */
const TRACED: Readonly<Record<string, string>> = {
  'closed-loop': TRACED_CLOSED_LOOP,
  cooperation: TRACED_COOPERATION,
  prescient: TRACED_PRESCIENT,
  mesh: TRACED_MESH,
};

/** `jobs` with every job that has a traced runner switched to it (other jobs unchanged). */
export function withTraces(jobs: readonly Job[]): Job[] {
  return jobs.map((job) => {
    const traced = Object.hasOwn(TRACED, job.runner) ? TRACED[job.runner] : undefined;
    return traced === undefined ? job : { ...job, runner: traced };
  });
}

function isTraced(result: unknown): result is TracedResult {
  return (
    typeof result === 'object' && result !== null && 'tracedResult' in result && 'trace' in result
  );
}

/** The plain result (what the suite's `reduce` expects) and the trace, if the job recorded one. */
export function splitTraced(result: unknown): { result: unknown; trace: ChartTrace | undefined } {
  return isTraced(result)
    ? { result: result.tracedResult, trace: result.trace }
    : { result, trace: undefined };
}

/**
 * Clock time of day (s after midnight) at simulated second 0: the built-in
 * Cyber Monday workload starts on Sunday at 20:00, plus the specs skipped by
 * `--specs`. Undefined (elapsed time on the axis) for a workload file.
 */
export function clockStart(options: SuiteOptions): number | undefined {
  if (!options.workload.builtin) return undefined;
  let s = 24 * 3600 - LEAD_IN_S;
  for (let i = 0; i < options.specs.first; i++) s += options.workload.specs[i]?.durationS ?? 0;
  return s % 86400;
}

/** The configuration shown at the top of a page. */
function configSummary(options: SuiteOptions, output: SuiteOutput): unknown {
  const json = output.json as { config?: unknown } | null;
  if (json !== null && typeof json === 'object' && json.config !== undefined) return json.config;
  return {
    workload: options.workload.name,
    specs: `${options.specs.first}-${options.specs.last}`,
    seed: options.seed,
  };
}

export interface SuiteReportArgs {
  suite: { name: string; summary: string };
  options: SuiteOptions;
  /** The suite's jobs, in `reduce` order (their labels name the rows and traces). */
  jobs: readonly Job[];
  /** Plain results, in job order (after `splitTraced`). */
  results: readonly unknown[];
  /** Traces, in job order (undefined for jobs that record none). */
  traces: readonly (ChartTrace | undefined)[];
  output: SuiteOutput;
}

/** The suite's report page: its printed tables, one table row per simulation, and the traces. */
export function suiteReportHtml(args: SuiteReportArgs): string {
  const rows = args.results.map((r, i) => ({
    run: args.jobs[i]?.label ?? String(i + 1),
    ...(typeof r === 'object' && r !== null ? (r as object) : { value: r }),
  }));
  const traces: ReportTrace[] = [];
  const seen = new Set<ChartTrace>();
  args.traces.forEach((trace, i) => {
    if (trace === undefined || seen.has(trace)) return;
    seen.add(trace);
    traces.push({ ...trace, label: args.jobs[i]?.label ?? trace.candidate });
  });
  // The mesh runs on its own 30-minute clock, not the workload's: elapsed time.
  const elapsed = traces.some((t) => t.layout?.id === 'mesh');
  const clockStartS = elapsed ? undefined : clockStart(args.options);
  return renderReport({
    suite: args.suite.name,
    description: args.suite.summary,
    config: configSummary(args.options, args.output),
    text: args.output.text,
    results: rows,
    traces,
    ...(clockStartS === undefined ? {} : { clockStartS }),
  });
}

/** The index page of `all --out DIR`: one link per suite page (`<suite>.html`). */
export function reportIndexHtml(
  suites: readonly { name: string; summary: string }[],
  href: (suite: string) => string = (suite) => `${suite}.html`,
): string {
  return renderIndex(
    suites.map((s) => ({ href: href(s.name), title: s.name, description: s.summary })),
  );
}
