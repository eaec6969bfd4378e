/**
 * The CLI side of `--report FILE.html` and `levee-bench all --out DIR`
 * (DIR/index.html plus one page per suite), kept apart from src/cli so the
 * CLI needs only a few calls:
 *
 * 1. before running, `withTraces(jobs)` switches every `closed-loop` job to
 *    the `closed-loop+trace` runner (register `TRACED_RUNNERS` next to the
 *    suites' runners), which records a per-second trace alongside the result;
 * 2. when a job finishes, `splitTraced(result)` separates the trace from the
 *    result, so suites reduce exactly the results they always get;
 * 3. after a suite's `reduce`, `suiteReportHtml(...)` renders its page, and
 *    for `all --out DIR`, `reportIndexHtml(...)` the index.
 *
 * Recording does not change any result (see trace.ts), so a run with
 * `--report` prints the same tables and JSON as one without.
 */
import { createCandidate } from '../candidates/registry.js';
import { type ClosedLoopResult, runClosedLoop } from '../orchestrator/closed-loop.js';
import type { ClosedLoopParams } from '../suites/common.js';
import type { Job, ProgressListener, SuiteOptions, SuiteOutput } from '../suites/suite.js';
import { LEAD_IN_S, TIMEOUT_MS } from '../workload/cyber-monday.js';
import { type ReportTrace, renderIndex, renderReport } from './page.js';
import { type Trace, TraceRecorder } from './trace.js';

/** Runner name of a traced closed-loop simulation. */
export const TRACED_CLOSED_LOOP = 'closed-loop+trace';

/** What the traced runner returns: the usual result plus the trace. */
export interface TracedResult {
  tracedResult: ClosedLoopResult;
  trace: Trace;
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

/** Runners to add to `RUNNERS` (src/suites/runners.ts). */
export const TRACED_RUNNERS = {
  [TRACED_CLOSED_LOOP]: runTracedClosedLoopJob,
} as const;

/** `jobs` with every `closed-loop` job switched to the traced runner (other jobs unchanged). */
export function withTraces(jobs: readonly Job[]): Job[] {
  return jobs.map((job) =>
    job.runner === 'closed-loop' ? { ...job, runner: TRACED_CLOSED_LOOP } : job,
  );
}

function isTraced(result: unknown): result is TracedResult {
  return (
    typeof result === 'object' && result !== null && 'tracedResult' in result && 'trace' in result
  );
}

/** The plain result (what the suite's `reduce` expects) and the trace, if the job recorded one. */
export function splitTraced(result: unknown): { result: unknown; trace: Trace | undefined } {
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
  traces: readonly (Trace | undefined)[];
  output: SuiteOutput;
}

/** The suite's report page: its printed tables, one table row per simulation, and the traces. */
export function suiteReportHtml(args: SuiteReportArgs): string {
  const rows = args.results.map((r, i) => ({
    run: args.jobs[i]?.label ?? String(i + 1),
    ...(typeof r === 'object' && r !== null ? (r as object) : { value: r }),
  }));
  const traces: ReportTrace[] = [];
  const seen = new Set<Trace>();
  args.traces.forEach((trace, i) => {
    if (trace === undefined || seen.has(trace)) return;
    seen.add(trace);
    traces.push({ ...trace, label: args.jobs[i]?.label ?? trace.candidate });
  });
  const clockStartS = clockStart(args.options);
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
