/**
 * The suite framework: what a benchmark suite is, for the `levee-bench` CLI.
 *
 * A suite is a module exporting a `Suite` object. The CLI
 * 1. parses the command line into `SuiteOptions` (only the options the suite
 *    lists in `options` are accepted; everything is validated before any
 *    simulation starts);
 * 2. asks the suite for its `jobs(options)`: one `Job` per simulation, plain
 *    serialisable data;
 * 3. runs every job through the generic pool (worker threads, one per core):
 *    the worker looks the job's `runner` up in `RUNNERS` (src/suites/runners.ts)
 *    and calls it with `job.params`. Runners must be deterministic: the same
 *    runner and params give the same result, whatever thread or order. In
 *    `levee-bench all`, jobs with the same runner and params (compared as
 *    JSON) run once and their result is handed to every suite that asked;
 * 4. hands the results, in the suite's job order, to `reduce`, which returns
 *    the tables for stdout, the suite's JSON (`--json FILE`, `--out DIR`) and
 *    its scoreboard rows (collected by `levee-bench all`).
 *
 * Adding a suite (e.g. `src/suites/prescient/`, `src/suites/mesh/`): export a
 * `Suite`, register its runner(s) in `RUNNERS` and the suite in `SUITES`
 * (src/suites/index.ts). Nothing else in the CLI changes.
 */
import type { BackendConfig } from '../sim/backend/backend-config.js';
import type { LoadSpec } from '../sim/workload/load-spec.js';

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
   * Published reference figures (BENCHMARKS.md), present only when the run
   * used the published configuration (built-in workload, all specs, base
   * seed, default backend and SLO). `best` is the best published competitor
   * figure and `bestName` its candidate.
   */
  reference?: { levee?: number; best?: number; bestName?: string };
}

/**
 * One simulation. Plain data only (it is posted to a worker thread).
 * `runner` names the function in `RUNNERS` that executes it; `params` is all
 * it needs. Two jobs with equal `runner` and `params` must give equal results.
 */
export interface Job<P = unknown> {
  runner: string;
  params: P;
  /** Short human label for progress lines, e.g. `double-RPM / Levee`. */
  label: string;
  /** Relative cost (about: expected arrivals); larger jobs are started first within a suite. */
  cost: number;
}

/** Receives the fraction (0..1) of a job done so far. */
export type ProgressListener = (fractionDone: number) => void;

/** Executes a job's params; registered by name in `RUNNERS`. */
export type JobRunner<P = unknown, R = unknown> = (params: P, onProgress: ProgressListener) => R;

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
 * Options shared by the suites, validated by the CLI. Each suite declares in
 * `Suite.options` which of the command-line options it accepts; values of
 * options it does not accept are left at their defaults here. Suites that need
 * more options add optional fields (e.g. a report path) — the object is passed
 * unchanged to `jobs` and `reduce`.
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
  /** `--slo`: the success rate(s) given, or undefined for the suite's default. */
  sloRates?: number[];
  /** `--timeout-ms`: Levee's SLO latency limit, or undefined for the suite's default. */
  sloTimeoutMs?: number;
  /** `--variations`: load-variation names, or undefined for all seven. */
  variations?: string[];
  /** `--multipliers`: queue-depth multipliers, or undefined for the published five. */
  multipliers?: number[];
  /** `--instances`: breaker instances in the cooperation suite. */
  instances?: number;
  /** `--suites`: the suites `all` runs, or undefined for every one. */
  suites?: string[];
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

/** Names of the command-line options a suite may accept (see src/cli/args.ts). */
export type OptionName =
  | 'candidates'
  | 'seed'
  | 'specs'
  | 'workload'
  | 'backend'
  | 'slo'
  | 'slo-list'
  | 'timeout-ms'
  | 'variations'
  | 'multipliers'
  | 'instances'
  | 'suites'
  | 'json'
  | 'out'
  | 'jobs';

/**
 * An option only one suite understands (e.g. the mesh's `--phases`). The CLI
 * parses it (before any simulation) and stores the result in the suite's
 * options object under `field`; `levee-bench all` does not accept it.
 */
export interface SuiteOption {
  /** Flag name without dashes, e.g. `phases`. */
  flag: string;
  /** Value placeholder for the help, e.g. `RANGE`. */
  value: string;
  /** Help text (re-wrapped by the CLI). */
  help: string;
  /** Property of the options object that receives the parsed value. */
  field: string;
  /** Parses the raw value; throws an `Error` whose message explains a bad one. */
  parse(value: string): unknown;
}

export interface Suite<P = unknown, R = unknown> {
  /** Command name, e.g. `load-variation`. */
  readonly name: string;
  /** One line for the main help. */
  readonly summary: string;
  /** Paragraphs for `levee-bench <name> --help`: the model, the scoring, the output. */
  readonly description: string;
  /** Options accepted (`help` is always accepted). */
  readonly options: readonly OptionName[];
  /** Options of this suite alone, listed in its help after the common ones. */
  readonly extraOptions?: readonly SuiteOption[];
  /** Candidates run when `--candidates` is not given (registry keys, print order). */
  readonly defaultCandidates: readonly string[];
  /** Default values to show in the help, by option name (e.g. `slo: '0.80'`). */
  readonly defaults?: Partial<Record<OptionName, string>>;
  /**
   * Checks suite-specific constraints (throwing an `Error` whose message is
   * shown as a usage error, exit 2) and returns the jobs. Pure and cheap: no
   * simulation here.
   */
  jobs(options: SuiteOptions): Job<P>[];
  /** Builds the output from the results (in the order of `jobs(options)`). */
  reduce(options: SuiteOptions, results: R[]): SuiteOutput;
}
