/**
 * `levee-bench`: command-line front end of the benchmark suites.
 *
 * `main` parses and validates the arguments (exit 2 on a bad one, before any
 * simulation), runs the selected candidates (worker threads, at most one per
 * core), prints the tables to stdout, optionally writes the JSON report, and
 * resolves with the process exit code.
 */
import { writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { performance } from 'node:perf_hooks';
import { candidateNames, getCandidate } from '../candidates/registry.js';
import { cyberMonday } from '../workload/cyber-monday.js';
import { type ClosedLoopCliOptions, parseCommandLine, UsageError } from './args.js';
import { runJobs, workerExecutor } from './executor.js';
import { formatJsonReport, formatReport } from './format.js';
import { createProgressReporter, type ProgressStream } from './progress.js';
import type { CandidateJob, JobExecutor } from './types.js';

export interface CliEnvironment {
  stdout: { write(text: string): unknown };
  /** Progress, timings and error messages. A terminal (`isTTY`) gets redrawn bars. */
  stderr: ProgressStream;
  /** How jobs run; default: one worker thread per candidate. */
  executor: JobExecutor;
  /** Wall clock in milliseconds, for progress and timings only. */
  now: () => number;
  /** Number of cores: default and upper bound of `--jobs`. */
  cores: number;
  /** Base directory for a relative `--json` path. */
  cwd: string;
  /** Number of specs in the workload. */
  specCount: number;
  writeFile: (path: string, text: string) => void;
}

/** `env` completed with the real process, clock, cores, workload and worker threads. */
export function resolveEnvironment(env: Partial<CliEnvironment> = {}): CliEnvironment {
  return {
    stdout: env.stdout ?? process.stdout,
    stderr: env.stderr ?? process.stderr,
    executor: env.executor ?? workerExecutor(),
    now: env.now ?? (() => performance.now()),
    cores: env.cores ?? availableParallelism(),
    cwd: env.cwd ?? process.cwd(),
    specCount: env.specCount ?? cyberMonday().length,
    writeFile: env.writeFile ?? ((path, text) => writeFileSync(path, text)),
  };
}

const PROGRAM = 'levee-bench';

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
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
      knownCandidates: candidateNames(),
      specCount: io.specCount,
      maxJobs: Math.max(1, io.cores),
      cwd: io.cwd,
    });
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    io.stderr.write(`${PROGRAM}: ${err.message}\n`);
    io.stderr.write(`Run "${PROGRAM} closed-loop --help" for usage.\n`);
    return 2;
  }
  if (command.kind === 'help') {
    io.stdout.write(command.text);
    return 0;
  }
  return runClosedLoopCommand(command.options, io);
}

async function runClosedLoopCommand(
  options: ClosedLoopCliOptions,
  io: CliEnvironment,
): Promise<number> {
  const jobs: CandidateJob[] = options.candidates.map((candidate) => ({
    candidate,
    seed: options.seed,
    specs: { ...options.specs },
    slo: { ...options.slo },
  }));
  const names = options.candidates.map((c) => getCandidate(c).displayName);
  const { first, last } = options.specs;
  io.stderr.write(
    `closed-loop: specs ${first}-${last} (${last - first + 1} of ${io.specCount}), ` +
      `seed ${options.seed}, SLO ${options.slo.successRate}/${options.slo.timeoutMs} ms, ` +
      `${jobs.length} candidate(s), ${Math.min(options.jobs, jobs.length)} at a time\n`,
  );

  const progress = createProgressReporter(names, io.stderr, io.now);
  let results: Awaited<ReturnType<typeof runJobs>>;
  try {
    results = await runJobs(jobs, io.executor, options.jobs, {
      started: (i) => progress.started(i),
      progress: (i, fraction) => progress.progress(i, fraction),
      finished: (i) => progress.finished(i),
    });
  } catch (err) {
    progress.close(false);
    io.stderr.write(`${PROGRAM}: closed-loop run failed: ${errorMessage(err)}\n`);
    return 1;
  }
  progress.close(true);

  io.stdout.write(formatReport(results));
  if (options.json !== undefined) {
    const text = formatJsonReport(
      {
        seed: options.seed,
        specs: options.specs,
        slo: options.slo,
        candidates: options.candidates,
      },
      results,
    );
    try {
      io.writeFile(options.json, text);
    } catch (err) {
      io.stderr.write(`${PROGRAM}: cannot write ${options.json}: ${errorMessage(err)}\n`);
      return 1;
    }
    io.stderr.write(`wrote ${options.json}\n`);
  }
  return 0;
}
