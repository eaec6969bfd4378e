/**
 * The suite framework: what a benchmark suite is, for the `levee-bench` CLI.
 *
 * A suite is a module exporting a `Suite` object. The CLI
 * 1. parses the command line: the shared options the suite lists in
 *    `options` into `SuiteOptions`, and the suite's own options (declared in
 *    the same list, with their flag, help and parser) into the same object
 *    under their `field`; everything is validated before any simulation
 *    starts;
 * 2. asks the suite for its `plan(options)` (cheap, no simulation; throws on
 *    a combination it cannot run), and hands that plan to `jobs(plan)`: one
 *    `Job` per simulation, plain serialisable data;
 * 3. runs every job through the generic pool (worker threads, one per core):
 *    the worker looks the job's `runner` up in the runner table
 *    (src/suites/index.ts, made of every suite's `runners`) and runs it with
 *    `job.params`. Runners must be deterministic: the same runner and params
 *    give the same result, whatever thread or order. In `levee-bench all`,
 *    jobs with the same runner and params (compared as JSON) run once and
 *    their result is handed to every suite that asked;
 * 4. hands the same plan and the results, in the suite's job order, to
 *    `reduce`, which returns the tables for stdout, the suite's JSON
 *    (`--json FILE`, `--out DIR`) and its scoreboard rows (collected by
 *    `levee-bench all`).
 *
 * Adding a suite: a folder `src/suites/<name>/` whose `suite.ts` exports the
 * `Suite`, listed in `SUITES` (src/suites/index.ts). Nothing in the CLI changes.
 */
import type { ChartTrace } from '../../report/layout.js';
import type { BackendConfig } from '../../sim/backend/backend-config.js';
import type { LoadSpec } from '../../sim/workload/load-spec.js';

/** Which published metric a scoreboard row compares. */
export type ScoreMetric = 'Delta' | 'TotalPenalty' | 'MeshDelta';

/**
 * One configuration of one suite on the `all` scoreboard. Levee wins the
 * configuration only if it beats every competitor in it (strictly).
 */
export interface ScoreboardRow {
  /** Suite name, e.g. `queue-depth`. */
  suite: string;
  /** Configuration within the suite, e.g. `QD 100 (2.0x)`. */
  configuration: string;
  metric: ScoreMetric;
  /** True for Delta-like metrics, false for penalties. */
  higherIsBetter: boolean;
  /** Levee's figure. */
  levee: number;
  /** Every other candidate run in this configuration (display name, figure). */
  competitors: Array<{ name: string; value: number }>;
  /**
   * Published reference figures (docs/BENCHMARKS.md), present only when the run
   * used the published configuration (built-in workload, all specs, base
   * seed, default backend and SLO). `best` is the best published competitor
   * figure and `bestName` its candidate.
   */
  reference?: { levee?: number; best?: number; bestName?: string };
}

/**
 * One simulation. Plain data only (it is posted to a worker thread).
 * `runner` names the runner that executes it; `params` is all it needs. Two
 * jobs with equal `runner` and `params` must give equal results.
 */
export interface Job<P = unknown> {
  runner: string;
  params: P;
  /** Short human label for progress lines, e.g. `double-RPM / Levee`. */
  label: string;
  /** Relative cost (about: expected arrivals); larger jobs are started first within a suite. */
  cost: number;
  /**
   * Set by the CLI for an HTML report: the run also records its per-second
   * trace (if its runner can) and returns a `TracedResult`.
   */
  trace?: boolean;
}

/** Receives the fraction (0..1) of a job done so far. */
export type ProgressListener = (fractionDone: number) => void;

/**
 * Runs a job's params. One function does both kinds of run: without a
 * recorder (the plain run) and with one (`--report`), which observes the run
 * without changing its result.
 */
export interface JobRunner<P = unknown, R = unknown, T = unknown> {
  run(params: P, onProgress: ProgressListener, recorder?: T): R;
  /** How a traced run records: a fresh recorder per run, and the trace it made once done. */
  readonly recording?: {
    recorder(params: P): T;
    trace(recorder: T, result: R): ChartTrace;
  };
}

/** What a traced job returns: the usual result plus the trace. */
export interface TracedResult<R = unknown> {
  tracedResult: R;
  trace: ChartTrace;
}

/** An inclusive range of spec indices into the workload. */
export interface SpecRange {
  first: number;
  last: number;
}

/** The workload the suites run on. */
export interface WorkloadChoice {
  /** `cyber-monday` for the built-in workload, otherwise the `--workload` path as given. */
  name: string;
  /** True for the built-in Cyber Monday workload (baseline errors from its schedule). */
  builtin: boolean;
  /** All specs of the workload, as loaded (before `--specs` slicing). */
  specs: LoadSpec[];
}

/**
 * The shared options, validated by the CLI. Values of options a suite does
 * not accept are left at their defaults. A suite's own options are added to
 * this object under their `field` (see `SuiteOption`).
 */
export interface SuiteOptions {
  /** `--candidates`: registry keys in print order, or undefined for the suite's default set. */
  candidates?: string[];
  /** `--seed`. */
  seed: number;
  /** The workload (`--workload FILE`, or the built-in one). */
  workload: WorkloadChoice;
  /** `--specs A-B`, validated against the workload; default: all. */
  specs: SpecRange;
  /** `--backend FILE`: validated overrides of the backend parameters (empty: the reference backend). */
  backend: Partial<BackendConfig>;
  /** `--slo RATE`: the success rate given, or undefined for the suite's default. */
  sloRate?: number;
  /** `--timeout-ms`: Levee's SLO latency limit, or undefined for the suite's default. */
  sloTimeoutMs?: number;
}

/** What a suite makes of its results. */
export interface SuiteOutput {
  /** Tables for stdout (ends with a newline). */
  text: string;
  /** The suite's JSON document; must not depend on the wall clock or the machine. */
  json: unknown;
  /** Rows for the `all` scoreboard (may be empty, e.g. without Levee). */
  scoreboard: ScoreboardRow[];
  /** Extra files for `--out DIR` (name relative to DIR, content). */
  files?: Array<{ name: string; content: string }>;
}

/**
 * Names of the options the CLI parses for any suite (src/cli/args.ts
 * documents them; a suite's `defaults` fill in their help).
 */
export type SharedOptionName =
  | 'candidates'
  | 'seed'
  | 'specs'
  | 'workload'
  | 'backend'
  | 'slo'
  | 'timeout-ms'
  | 'json'
  | 'out'
  | 'jobs';

/**
 * A bad value of an option, thrown by a parser: `value` is the offending text
 * (the whole value, or one entry of a list) and `why` the reason. The CLI
 * shows it as `invalid value for --<flag>: "<value>" (<why>)`. Any other
 * `Error` is shown the same way with the whole value and its message.
 */
export class OptionValueError extends Error {
  override readonly name = 'OptionValueError';
  constructor(
    readonly value: string,
    readonly why: string,
  ) {
    super(`${JSON.stringify(value)} (${why})`);
  }
}

/**
 * An option of one suite (e.g. the mesh's `--phases`). The CLI parses it
 * before any simulation and stores the result in the options object under
 * `field`; `levee-bench all` does not accept it.
 */
export interface SuiteOption<O extends object = Record<string, unknown>> {
  /** Flag name without dashes, e.g. `phases`. */
  readonly flag: string;
  /** Value placeholder for the help, e.g. `RANGE`. */
  readonly value: string;
  /** Help text (re-wrapped by the CLI). */
  readonly help: string;
  /** Property of the options object that receives the parsed value. */
  readonly field: keyof O & string;
  /** Parses the raw value; throws `OptionValueError` (or an `Error`) for a bad one. */
  parse(value: string): unknown;
}

/** An entry of `Suite.options`: a shared option by name, or one of the suite's own. */
export type OptionEntry<O extends object = Record<string, unknown>> =
  | SharedOptionName
  | SuiteOption<O>;

/**
 * What the report page's "how to read this" header says about a suite's
 * figures (src/report/page.ts), and how its JSON names what it ran.
 */
export interface SuiteGuide {
  /** The headline metric of the tables, e.g. `Delta`. */
  readonly metric: string;
  /** True when a larger value of the metric is better. */
  readonly higherIsBetter: boolean;
  /**
   * What the metric is made of and how to read it, in a few plain-text
   * sentences (paragraphs separated by a blank line).
   */
  readonly explanation: string;
  /**
   * What the suite reports besides registry candidates (the mesh's governors,
   * the prescient oracle's estimate), or registry candidates it runs in a way
   * of its own (Levee on every mesh replica): key (as `config` lists it),
   * display name (as the tables print it) and one line for the header. The
   * JSON names these by `key` like registry candidates (src/cli/json-doc.ts).
   */
  readonly candidates?: ReadonlyArray<{
    readonly key: string;
    readonly name: string;
    readonly description: string;
  }>;
}

/**
 * A benchmark suite. `P`, `R`: its jobs' params and results; `Plan`: what
 * `plan` computes once for `jobs` and `reduce`; `O`: its own options.
 */
export interface Suite<
  P = unknown,
  R = unknown,
  Plan = unknown,
  O extends object = Record<string, unknown>,
> {
  /** Command name, e.g. `load-variation`. */
  readonly name: string;
  /** One line for the main help. */
  readonly summary: string;
  /**
   * True for a suite that is not a pure function of its options (the live
   * suite runs on real time and sockets): `levee-bench all` does not run it,
   * `--suites` does not accept it, and its results are never cached.
   */
  readonly standalone?: boolean;
  /** Paragraphs for `levee-bench <name> --help`: the model, the scoring, the output. */
  readonly description: string;
  /**
   * The options accepted, in the order of the help (`--report` and `--help`
   * are always accepted): shared ones by name, its own by declaration.
   */
  readonly options: readonly OptionEntry<O>[];
  /** Candidates run when `--candidates` is not given (registry keys, print order). */
  readonly defaultCandidates: readonly string[];
  /** Default values of shared options to show in the help (e.g. `slo: '0.80'`). */
  readonly defaults?: Partial<Record<SharedOptionName, string>>;
  /** How to read its results, for the report page's header (none: a generic header). */
  readonly guide?: SuiteGuide;
  /** The runners its jobs name, by runner name. */
  readonly runners: Readonly<Record<string, JobRunner<P, R>>>;
  /**
   * Resolves the options into what the run needs, checking suite-specific
   * constraints (an `Error` is shown as a usage error, exit 2). Pure and
   * cheap: no simulation here.
   */
  plan(options: SuiteOptions & Partial<O>): Plan;
  /** The jobs of the plan. */
  jobs(plan: Plan): Job<P>[];
  /** Builds the output from the results (in the order of `jobs(plan)`). */
  reduce(plan: Plan, results: R[]): SuiteOutput;
  /**
   * Clock time of day (seconds after midnight) at simulated second 0, for the
   * report page's time axis; absent or undefined: elapsed time.
   */
  clockStartS?(plan: Plan): number | undefined;
}

/** True if `suite` accepts the shared option `name`. */
export function acceptsShared(
  suite: { options: readonly OptionEntry[] },
  name: SharedOptionName,
): boolean {
  return suite.options.includes(name);
}

/** The suite's own options, in help order. */
export function ownOptions(suite: { options: readonly OptionEntry[] }): SuiteOption[] {
  return suite.options.filter((o): o is SuiteOption => typeof o !== 'string');
}
