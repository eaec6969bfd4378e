/**
 * `levee-bench`: command-line front end of the benchmark suites.
 *
 * `main` parses and validates the arguments (exit 2 on a bad one, before any
 * simulation), collects the jobs of the selected suite(s), runs each distinct
 * simulation once on a pool of worker threads (at most one per core), prints
 * each suite's tables to stdout as soon as its simulations are done, writes
 * the JSON files (json-doc.ts: schema version, tool versions, candidates
 * named by key and display name) and the report pages, and — for `all` —
 * ends with the scoreboard. Resolves with the process exit code.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { CANDIDATE_GROUPS, CANDIDATES } from '../candidates/registry.js';
import type { ChartTrace } from '../report/layout.js';
import { reportIndexHtml, suiteReportHtml } from '../report/suite-page.js';
import { type AnySuite, SUITES } from '../suites/index.js';
import { formatScoreboard, scoreboardJson } from '../suites/shared/scoreboard.js';
import {
  acceptsShared,
  type Job,
  type ScoreboardRow,
  type SuiteOptions,
  type SuiteOutput,
} from '../suites/shared/suite.js';
import { parseCommandLine, type RunCommand, UsageError } from './args.js';
import { defaultCacheDir, resultCacheFor } from './cache.js';
import { type JobExecutor, runJobs, splitTraced, workerExecutor } from './executor.js';
import { CandidateNames, publicDocument } from './json-doc.js';
import { createProgressReporter, formatDuration, type ProgressStream } from './progress.js';
import { toolVersions, versionText } from './version.js';

export interface CliEnvironment {
  stdout: { write(text: string): unknown };
  /** Progress, timings and error messages. A terminal (`isTTY`) gets redrawn bars. */
  stderr: ProgressStream;
  /** How jobs run; default: one worker thread per job. */
  executor: JobExecutor;
  /** Wall clock in milliseconds, for progress and timings only. */
  now: () => number;
  /** Number of cores: default and upper bound of `--jobs`. */
  cores: number;
  /** Base directory for relative paths. */
  cwd: string;
  writeFile: (path: string, text: string) => void;
  mkdir: (path: string) => void;
  /** The suites (tests may substitute their own). */
  suites: readonly AnySuite[];
  /**
   * Where `all` caches results without `--cache` (src/cli/cache.ts); undefined:
   * no default cache. Default: the user's cache folder when the real suites run
   * in worker threads, none when a caller substitutes the executor or the suites.
   */
  defaultCacheDir?: string | undefined;
}

/** `env` completed with the real process, clock, cores, suites and worker threads. */
export function resolveEnvironment(env: Partial<CliEnvironment> = {}): CliEnvironment {
  return {
    stdout: env.stdout ?? process.stdout,
    stderr: env.stderr ?? process.stderr,
    executor: env.executor ?? workerExecutor(),
    now: env.now ?? (() => performance.now()),
    cores: env.cores ?? availableParallelism(),
    cwd: env.cwd ?? process.cwd(),
    writeFile: env.writeFile ?? ((path, text) => writeFileSync(path, text)),
    mkdir: env.mkdir ?? ((path) => mkdirSync(path, { recursive: true })),
    suites: env.suites ?? SUITES,
    defaultCacheDir:
      'defaultCacheDir' in env
        ? env.defaultCacheDir
        : env.executor === undefined && env.suites === undefined
          ? defaultCacheDir()
          : undefined,
  };
}

const PROGRAM = 'levee-bench';

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** JSON text: two-space indentation and a final newline. */
export function jsonText(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

/** Runs the CLI with `argv` (arguments after the script) and returns the exit code. */
export async function main(
  argv: readonly string[],
  env: Partial<CliEnvironment> = {},
): Promise<number> {
  const io = resolveEnvironment(env);
  let command: ReturnType<typeof parseCommandLine>;
  try {
    command = parseCommandLine(argv, {
      suites: io.suites,
      candidates: CANDIDATES.map((c) => ({ key: c.key, description: c.description })),
      candidateGroups: CANDIDATE_GROUPS,
      maxJobs: Math.max(1, io.cores),
      cwd: io.cwd,
    });
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    const first = argv[0];
    const known =
      first !== undefined && (first === 'all' || io.suites.some((s) => s.name === first));
    io.stderr.write(`${PROGRAM}: ${err.message}\n`);
    io.stderr.write(`Run "${PROGRAM} ${known ? `${first} ` : ''}--help" for usage.\n`);
    return 2;
  }
  if (command.kind === 'help') {
    io.stdout.write(command.text);
    return 0;
  }
  if (command.kind === 'version') {
    io.stdout.write(versionText());
    return 0;
  }
  return runCommand(command, io);
}

/** One suite's share of a run. */
interface SuiteRun {
  suite: AnySuite;
  options: SuiteOptions;
  /** What the suite planned (handed back to its `reduce`). */
  plan: unknown;
  jobs: Job[];
  /** Index into the distinct jobs, per job of the suite. */
  indices: number[];
  /** Distinct jobs first requested by this suite. */
  own: number[];
}

/** The dedup key: runner and params as JSON. */
function jobKey(job: Job): string {
  return `${job.runner}\u0000${JSON.stringify(job.params)}`;
}

/** The options a suite sees: `all` passes only the options the suite accepts. */
function optionsFor(suite: AnySuite, command: RunCommand): SuiteOptions {
  const options: SuiteOptions = { ...command.options };
  if (!acceptsShared(suite, 'candidates')) delete options.candidates;
  return options;
}

/** Every name the JSON may give a candidate: the registry's and those the suites' guides add. */
function candidateNames(suites: readonly AnySuite[]): CandidateNames {
  return new CandidateNames([
    ...CANDIDATES.map((c) => ({ key: c.key, name: c.displayName })),
    ...suites.flatMap((s) => s.guide?.candidates ?? []),
  ]);
}

/**
 * The candidates a report page lists in its header, in result order: the
 * display names the results carry (`candidate`), each with the suite guide's
 * line for it or else its registry description.
 */
function pageCandidates(
  suite: AnySuite,
  results: readonly unknown[],
): Array<{ name: string; key?: string; description?: string }> {
  const out: Array<{ name: string; key?: string; description?: string }> = [];
  for (const r of results) {
    const name = (r as { candidate?: unknown } | null)?.candidate;
    if (typeof name !== 'string' || out.some((c) => c.name === name)) continue;
    const own = suite.guide?.candidates?.find((c) => c.name === name);
    const entry = CANDIDATES.find((c) => c.displayName === name);
    const key = own?.key ?? entry?.key;
    const description = own?.description ?? entry?.description;
    out.push({
      name,
      ...(key === undefined ? {} : { key }),
      ...(description === undefined ? {} : { description }),
    });
  }
  return out;
}

/** The configuration shown at the top of a suite's report page: its JSON's, else the run's basics. */
function pageConfig(options: SuiteOptions, output: SuiteOutput): unknown {
  const json = output.json as { config?: unknown } | null;
  if (json !== null && typeof json === 'object' && json.config !== undefined) return json.config;
  return {
    workload: options.workload.name,
    specs: `${options.specs.first}-${options.specs.last}`,
    seed: options.seed,
  };
}

async function runCommand(command: RunCommand, io: CliEnvironment): Promise<number> {
  const isAll = command.suite === 'all';
  const suites = isAll
    ? (command.suites ?? io.suites.filter((s) => s.standalone !== true).map((s) => s.name)).map(
        (name) => io.suites.find((s) => s.name === name)!,
      )
    : [io.suites.find((s) => s.name === command.suite)!];

  // Plan every suite and merge identical simulations, before anything runs.
  const distinct: Job[] = [];
  const byKey = new Map<string, number>();
  const parts: SuiteRun[] = [];
  for (const suite of suites) {
    const options = optionsFor(suite, command);
    let plan: unknown;
    let jobs: Job[];
    try {
      plan = suite.plan(options);
      jobs = suite.jobs(plan);
    } catch (err) {
      io.stderr.write(`${PROGRAM}: ${suite.name}: ${errorMessage(err)}\n`);
      return 2;
    }
    const fresh: Job[] = [];
    const indices = jobs.map((job) => {
      const key = jobKey(job);
      let index = byKey.get(key);
      if (index === undefined) {
        index = -1 - fresh.length; // placeholder until the fresh jobs are ordered
        byKey.set(key, index);
        fresh.push(job);
      }
      return index;
    });
    // Within a suite, start the largest simulations first.
    const order = fresh.map((_, i) => i).sort((a, b) => fresh[b]!.cost - fresh[a]!.cost || a - b);
    const placed = new Map<number, number>();
    const own: number[] = [];
    for (const i of order) {
      placed.set(-1 - i, distinct.length);
      own.push(distinct.length);
      byKey.set(jobKey(fresh[i]!), distinct.length);
      distinct.push(fresh[i]!);
    }
    parts.push({
      suite,
      options,
      plan,
      jobs,
      indices: indices.map((i) => (i < 0 ? placed.get(i)! : i)),
      own,
    });
  }

  if (command.out !== undefined) {
    try {
      io.mkdir(command.out);
    } catch (err) {
      io.stderr.write(`${PROGRAM}: cannot create ${command.out}: ${errorMessage(err)}\n`);
      return 1;
    }
  }

  const requested = parts.reduce((n, p) => n + p.jobs.length, 0);
  const lanes = Math.min(command.jobs, Math.max(1, distinct.length));
  const o = command.options;
  // The mesh has its own topology and scenario: no workload to name.
  const workload = parts.some((p) => acceptsShared(p.suite, 'workload'))
    ? `workload ${o.workload.name}, specs ${o.specs.first}-${o.specs.last} ` +
      `(${o.specs.last - o.specs.first + 1} of ${o.workload.specs.length}), `
    : '';
  io.stderr.write(
    `${command.suite}: ${workload}seed ${o.seed}` +
      `${Object.keys(o.backend).length > 0 ? ', custom backend' : ''}; ` +
      `${distinct.length} simulation(s)` +
      `${requested > distinct.length ? ` for ${requested} jobs` : ''}, ${lanes} at a time\n`,
  );

  const start = io.now();
  const progress = createProgressReporter(
    distinct.map((j) => j.label),
    io.stderr,
    io.now,
    command.suite,
    { costs: distinct.map((j) => j.cost), lanes },
  );
  const names = candidateNames(io.suites);
  const versions = toolVersions();
  const doc = (json: unknown): string => jsonText(publicDocument(json, names, versions));
  const results = new Array<unknown>(distinct.length);
  // A standalone suite (real time) is not a pure function of its jobs: never cached.
  const cache = suites.some((s) => s.standalone === true)
    ? undefined
    : resultCacheFor(command, io.defaultCacheDir);
  // HTML reports (--report FILE, or all --out DIR): the jobs also record traces.
  const reporting = isAll ? command.out !== undefined : command.report !== undefined;
  const traces = new Array<ChartTrace | undefined>(distinct.length);
  const finished = new Array<boolean>(distinct.length).fill(false);
  const finishedAt = new Array<number>(distinct.length).fill(0);
  const outputs: Array<{ json: unknown; scoreboard: ScoreboardRow[] }> = [];
  const timings: string[] = [];
  let emitted = 0;
  let writeFailure: string | undefined;

  const emit = (part: SuiteRun): void => {
    const out = part.suite.reduce(
      part.plan,
      part.indices.map((i) => results[i]),
    );
    outputs.push({ json: out.json, scoreboard: out.scoreboard });
    if (isAll) io.stdout.write(`== ${part.suite.name} ==\n\n`);
    io.stdout.write(out.text);
    if (isAll) io.stdout.write('\n');
    const compute = part.own.reduce((s, i) => s + progress.elapsed(i), 0);
    const last = Math.max(start, ...part.indices.map((i) => finishedAt[i]!));
    const reused = part.jobs.length - part.own.length;
    const timing =
      `${part.suite.name}: ${part.jobs.length} simulation(s)` +
      `${reused > 0 ? ` (${part.own.length} run here, ${reused} reused)` : ''}, ` +
      `${(compute / 1000).toFixed(1)} s of compute, ` +
      `${isAll ? 'finished' : 'took'} ${formatDuration(last - start)}${isAll ? ' after the start' : ''}`;
    timings.push(timing);
    progress.note(timing);
    if (command.out !== undefined) {
      const files = [
        { name: `${part.suite.name}.json`, content: doc(out.json) },
        ...(out.files ?? []),
      ];
      for (const f of files) write(join(command.out, f.name), f.content);
    }
    if (command.json !== undefined && !isAll) write(command.json, doc(out.json));
    if (reporting) {
      const plain = part.indices.map((i) => results[i]);
      const html = suiteReportHtml({
        suite: part.suite,
        guide: part.suite.guide,
        candidates: pageCandidates(part.suite, plain),
        config: pageConfig(part.options, out),
        text: out.text,
        jobs: part.jobs,
        results: plain,
        traces: part.indices.map((i) => traces[i]),
        clockStartS: part.suite.clockStartS?.(part.plan),
      });
      if (isAll) write(join(command.out!, `${part.suite.name}.html`), html);
      else write(command.report!, html);
    }
  };

  const write = (path: string, text: string): void => {
    try {
      io.writeFile(path, text);
      progress.note(`wrote ${path}`);
    } catch (err) {
      writeFailure ??= `cannot write ${path}: ${errorMessage(err)}`;
    }
  };

  const emitReady = (): void => {
    while (emitted < parts.length && parts[emitted]!.indices.every((i) => finished[i])) {
      emit(parts[emitted]!);
      emitted++;
    }
  };

  try {
    emitReady(); // suites without jobs
    const toRun = reporting ? distinct.map((job) => ({ ...job, trace: true })) : distinct;
    await runJobs(toRun, cache?.wrap(io.executor) ?? io.executor, command.jobs, {
      started: (i) => progress.started(i),
      progress: (i, fraction) => progress.progress(i, fraction),
      finished: (i, result) => {
        const split = splitTraced(result);
        results[i] = split.result;
        traces[i] = split.trace;
        finished[i] = true;
        finishedAt[i] = io.now();
        progress.finished(i);
        emitReady();
      },
    });
  } catch (err) {
    progress.close();
    io.stderr.write(`${PROGRAM}: ${command.suite} run failed: ${errorMessage(err)}\n`);
    return 1;
  }
  progress.close();
  if (cache !== undefined) io.stderr.write(cache.summary(distinct.length));

  if (isAll) {
    const rows = outputs.flatMap((o) => o.scoreboard);
    io.stdout.write(`== scoreboard ==\n\n${formatScoreboard(rows)}`);
    const board = scoreboardJson(rows);
    if (command.out !== undefined) write(join(command.out, 'scoreboard.json'), doc(board));
    if (command.out !== undefined) {
      write(join(command.out, 'index.html'), reportIndexHtml(parts.map((p) => p.suite)));
    }
    if (command.json !== undefined) {
      const suitesJson: Record<string, unknown> = {};
      parts.forEach((p, i) => {
        suitesJson[p.suite.name] = outputs[i]!.json;
      });
      write(command.json, doc({ suite: 'all', suites: suitesJson, scoreboard: board }));
    }
    io.stderr.write(
      `\nTime per suite (wall clock; shared simulations count for the first suite that needs them):\n` +
        `${timings.map((t) => `  ${t}`).join('\n')}\n` +
        `all: ${distinct.length} simulation(s) for ${requested} jobs in ${formatDuration(io.now() - start)}, ` +
        `${lanes} worker thread(s)\n`,
    );
  }
  if (writeFailure !== undefined) {
    io.stderr.write(`${PROGRAM}: ${writeFailure}\n`);
    return 1;
  }
  return 0;
}
