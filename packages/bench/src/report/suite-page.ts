/**
 * A suite's report page and the index of `levee-bench all --out DIR`, from
 * what a run produced: the suite's printed tables and configuration, one row
 * per simulation, and the traces its simulations recorded. Knows nothing of
 * any particular suite: the CLI (src/cli/main.ts) hands over the pieces.
 */
import type { ChartTrace } from './layout.js';
import {
  type ReportCandidate,
  type ReportGuide,
  type ReportTrace,
  renderIndex,
  renderReport,
} from './page.js';

export interface SuiteReportArgs {
  suite: { name: string; summary: string };
  /** The configuration shown at the top of the page. */
  config: unknown;
  /** How to read the suite's metric (its `guide`), for the page's header. */
  guide?: ReportGuide | undefined;
  /** The candidates of the run, one line each in the header. */
  candidates?: readonly ReportCandidate[];
  /** The suite's tables as printed on stdout. */
  text: string;
  /** The suite's jobs, in `reduce` order (their labels name the rows and traces). */
  jobs: readonly { label: string }[];
  /** Plain results, in job order. */
  results: readonly unknown[];
  /** Traces, in job order (undefined for jobs that record none). */
  traces: readonly (ChartTrace | undefined)[];
  /** Clock time of day at simulated second 0; undefined: elapsed time on the axis. */
  clockStartS?: number | undefined;
}

/**
 * The suite's report page: the "how to read this" header, its printed tables
 * (shown once, as HTML tables), and the traces. The plain results make the
 * table only when no printed text is given.
 */
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
  return renderReport({
    suite: args.suite.name,
    description: args.suite.summary,
    config: args.config,
    ...(args.guide === undefined ? {} : { guide: args.guide }),
    ...(args.candidates === undefined ? {} : { candidates: args.candidates }),
    text: args.text,
    results: rows,
    traces,
    ...(args.clockStartS === undefined ? {} : { clockStartS: args.clockStartS }),
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
