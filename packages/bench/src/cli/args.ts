/**
 * Command-line parsing and validation for `levee-bench`. Everything here is
 * pure: it returns a parsed command or throws a `UsageError`, and never starts
 * a simulation, so bad arguments are rejected before any work begins.
 */
import { existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { SloConfig, SpecRange } from './types.js';

export const DEFAULT_SEED = 20241225;
export const DEFAULT_SLO: Readonly<SloConfig> = { successRate: 0.9, timeoutMs: 1500 };

/** A bad command line. The CLI prints the message and exits with code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export interface ClosedLoopCliOptions {
  /** Registry keys in the order the results are to be printed. */
  candidates: string[];
  specs: SpecRange;
  seed: number;
  slo: SloConfig;
  /** At most this many candidates simulate at the same time. */
  jobs: number;
  /** Where to write the JSON report, if anywhere. */
  json?: string;
}

export type ParsedCommand =
  | { kind: 'help'; text: string }
  | { kind: 'closed-loop'; options: ClosedLoopCliOptions };

export interface ParseContext {
  /** Registry keys, in the default run order. */
  knownCandidates: readonly string[];
  /** Number of specs in the workload (valid indices are 0..specCount-1). */
  specCount: number;
  /** Default and upper bound for `--jobs` (the number of cores). */
  maxJobs: number;
  /** Base for relative `--json` paths; defaults to the process's directory. */
  cwd?: string;
}

export function mainHelp(): string {
  return `Usage: levee-bench <command> [options]

Commands:
  closed-loop   Run the closed-loop benchmark: dispatcher -> orchestrator with
                one breaker -> autoscaling backend, one isolated backend per
                candidate, on the Cyber Monday workload.

Run "levee-bench closed-loop --help" for the command's options.
`;
}

export function closedLoopHelp(ctx: ParseContext): string {
  const last = ctx.specCount - 1;
  return `Usage: levee-bench closed-loop [options]

Simulates the 28-hour Cyber Monday workload (${ctx.specCount} load specs) through a
dispatcher, an orchestrator guarded by one circuit breaker, and an autoscaling
backend, once per candidate breaker, and prints the candidates table and the
backend table. All time is virtual; results depend only on the options.

Options:
  --candidates LIST  Comma-separated candidates, printed in this order.
                     Known: ${ctx.knownCandidates.join(', ')}.
                     Default: all of them, in that order.
  --specs RANGE      Spec indices to run, "A-B" (inclusive) or a single "A",
                     within 0-${last}. Default: 0-${last} (all). "0-0" is the 4 calm
                     hours, "0-7" adds the first incident (5 simulated hours).
  --seed N           Seed of the arrival and latency generators, a non-negative
                     integer. Default: ${DEFAULT_SEED}.
  --slo RATE         Target success rate of Levee's SLO, strictly between 0 and 1.
                     Default: ${DEFAULT_SLO.successRate.toFixed(2)}. The static breakers and no-cb ignore it.
  --timeout-ms MS    Latency limit of Levee's SLO in milliseconds (> 0).
                     Default: ${DEFAULT_SLO.timeoutMs}. Request timeouts come from the workload
                     (1,500 ms) and do not change with this option.
  --jobs N           Candidates simulated at the same time, one worker thread
                     each, 1-${ctx.maxJobs} (the number of cores). Default: ${ctx.maxJobs}.
  --json FILE        Also write the results as JSON to FILE (scores rounded to
                     2 decimals; the file has no timestamps, so identical runs
                     give identical files).
  -h, --help         Show this help.

Progress goes to stderr (a bar per candidate on a terminal, a line every 10%
otherwise), followed by each candidate's elapsed wall-clock time. Tables go to
stdout. Exit codes: 0 done, 1 the run failed, 2 bad arguments.
`;
}

const UNSIGNED_INT = /^\d+$/;
const DECIMAL = /^(?:\d+(?:\.\d*)?|\.\d+)$/;

function bad(option: string, value: string, why: string): UsageError {
  return new UsageError(`invalid value for --${option}: ${JSON.stringify(value)} (${why})`);
}

function parseUnsignedInt(option: string, value: string, what: string): number {
  if (!UNSIGNED_INT.test(value)) throw bad(option, value, `expected ${what}`);
  const n = Number(value);
  if (!Number.isSafeInteger(n))
    throw bad(option, value, `must be at most ${Number.MAX_SAFE_INTEGER}`);
  return n;
}

function parseDecimal(option: string, value: string, what: string): number {
  if (!DECIMAL.test(value)) throw bad(option, value, `expected ${what}`);
  const n = Number(value);
  if (!Number.isFinite(n)) throw bad(option, value, `expected ${what}`);
  return n;
}

export function parseSpecRange(value: string, specCount: number): SpecRange {
  const last = specCount - 1;
  const expected = `expected "A-B" or "A" with 0 <= A <= B <= ${last}`;
  const m = /^(\d+)(?:-(\d+))?$/.exec(value.trim());
  if (m === null) throw bad('specs', value, expected);
  const first = Number(m[1]);
  const end = m[2] === undefined ? first : Number(m[2]);
  if (first > end) throw bad('specs', value, `start ${first} is after end ${end}`);
  if (end > last) {
    throw bad('specs', value, `the workload has ${specCount} specs, indices 0-${last}`);
  }
  return { first, last: end };
}

export function parseCandidateList(value: string, known: readonly string[]): string[] {
  const names = value.split(',').map((s) => s.trim().toLowerCase());
  if (names.some((n) => n === '')) {
    throw bad('candidates', value, 'empty candidate name; use a comma-separated list');
  }
  const seen = new Set<string>();
  for (const name of names) {
    if (!known.includes(name)) {
      throw bad('candidates', value, `unknown candidate "${name}"; known: ${known.join(', ')}`);
    }
    if (seen.has(name)) throw bad('candidates', value, `"${name}" is listed twice`);
    seen.add(name);
  }
  return names;
}

function checkJsonPath(value: string, cwd: string): string {
  if (value.trim() === '') throw bad('json', value, 'expected a file name');
  const path = resolve(cwd, value);
  if (existsSync(path) && statSync(path).isDirectory()) {
    throw bad('json', value, 'is a directory');
  }
  const dir = dirname(path);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw bad('json', value, `directory ${dir} does not exist`);
  }
  return path;
}

/**
 * Parses `argv` (without the node executable and script). Throws `UsageError`
 * for anything it cannot accept, naming the option and the offending value.
 */
export function parseCommandLine(argv: readonly string[], ctx: ParseContext): ParsedCommand {
  const [command, ...rest] = argv;
  if (command === undefined) throw new UsageError(`missing command\n\n${mainHelp()}`);
  if (command === '-h' || command === '--help' || command === 'help') {
    return { kind: 'help', text: mainHelp() };
  }
  if (command !== 'closed-loop') {
    throw new UsageError(`unknown command ${JSON.stringify(command)}; known: closed-loop`);
  }

  let parsed: ReturnType<typeof parseClosedLoopFlags>;
  try {
    parsed = parseClosedLoopFlags(rest);
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message : String(err));
  }
  const { values, positionals } = parsed;
  if (values.help === true) return { kind: 'help', text: closedLoopHelp(ctx) };
  if (positionals.length > 0) {
    throw new UsageError(`unexpected argument ${JSON.stringify(positionals[0])}`);
  }

  const candidates =
    values.candidates === undefined
      ? [...ctx.knownCandidates]
      : parseCandidateList(values.candidates, ctx.knownCandidates);

  const specs =
    values.specs === undefined
      ? { first: 0, last: ctx.specCount - 1 }
      : parseSpecRange(values.specs, ctx.specCount);

  const seed =
    values.seed === undefined
      ? DEFAULT_SEED
      : parseUnsignedInt('seed', values.seed, 'a non-negative integer');

  let successRate = DEFAULT_SLO.successRate;
  if (values.slo !== undefined) {
    successRate = parseDecimal('slo', values.slo, 'a success rate such as 0.9');
    if (!(successRate > 0 && successRate < 1)) {
      throw bad('slo', values.slo, 'must be strictly between 0 and 1');
    }
  }

  let timeoutMs = DEFAULT_SLO.timeoutMs;
  if (values['timeout-ms'] !== undefined) {
    timeoutMs = parseDecimal('timeout-ms', values['timeout-ms'], 'milliseconds such as 1500');
    if (!(timeoutMs > 0)) throw bad('timeout-ms', values['timeout-ms'], 'must be greater than 0');
    if (Math.round(timeoutMs * 1e6) < 1) {
      throw bad('timeout-ms', values['timeout-ms'], 'must be at least 0.000001 (1 ns)');
    }
  }

  let jobs = ctx.maxJobs;
  if (values.jobs !== undefined) {
    jobs = parseUnsignedInt('jobs', values.jobs, 'a positive integer');
    if (jobs < 1 || jobs > ctx.maxJobs) {
      throw bad('jobs', values.jobs, `must be between 1 and ${ctx.maxJobs} (the number of cores)`);
    }
  }

  const options: ClosedLoopCliOptions = {
    candidates,
    specs,
    seed,
    slo: { successRate, timeoutMs },
    jobs,
  };
  if (values.json !== undefined) {
    options.json = checkJsonPath(values.json, ctx.cwd ?? process.cwd());
  }
  return { kind: 'closed-loop', options };
}

function parseClosedLoopFlags(args: string[]) {
  return parseArgs({
    args,
    strict: true,
    allowPositionals: true,
    options: {
      candidates: { type: 'string' },
      specs: { type: 'string' },
      seed: { type: 'string' },
      slo: { type: 'string' },
      'timeout-ms': { type: 'string' },
      jobs: { type: 'string' },
      json: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}
