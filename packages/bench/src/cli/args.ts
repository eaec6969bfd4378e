/**
 * Command-line parsing and validation for `levee-bench <suite> [options]`.
 *
 * Every suite accepts only the options it lists (`Suite.options`): the
 * shared ones, parsed and documented here, and its own, which it declares
 * with their flag, help and parser. Each value is checked, and `--workload` /
 * `--backend` files are read and validated, so a bad command line is
 * rejected (`UsageError`, exit 2) before any simulation starts. The help
 * texts are in help.ts.
 */
import { existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { BackendConfig } from '../sim/backend/backend-config.js';
import { BackendFileError, loadBackendFile } from '../sim/backend/backend-file.js';
import { BENCH_SEED, cyberMonday } from '../sim/workload/cyber-monday.js';
import { loadWorkloadFile } from '../sim/workload/load-file.js';
import { WorkloadError } from '../sim/workload/load-spec.js';
import { decimal, nameList, successRate, unsignedInt } from '../suites/shared/option-values.js';
import {
  acceptsShared,
  OptionValueError,
  ownOptions,
  type SuiteOption,
  type SuiteOptions,
  type WorkloadChoice,
} from '../suites/shared/suite.js';
import {
  ALL_OPTIONS,
  allHelp,
  CLI_OPTION_NAMES,
  type CliOptionName,
  type HelpContext,
  mainHelp,
  suiteHelp,
} from './help.js';

export const DEFAULT_SEED = BENCH_SEED;

/** A bad command line. The CLI prints the message and exits with code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** A run to do: one suite, or `all`. */
export interface RunCommand {
  kind: 'run';
  /** Suite name, or `all`. */
  suite: string;
  options: SuiteOptions;
  /** `all --suites`: the suites to run, or undefined for every one. */
  suites?: string[];
  /** At most this many simulations at the same time (worker threads). */
  jobs: number;
  /** `--json FILE` (absolute). */
  json?: string;
  /** `--report FILE` (absolute): the suite's HTML report (src/report/suite-page.ts). */
  report?: string;
  /** `--out DIR` (absolute). */
  out?: string;
  /** `--cache DIR` (absolute): the result cache (src/cli/cache.ts). */
  cache?: string;
  /** `--no-cache`: no cache, not even `all`'s default one. */
  noCache?: boolean;
}

export type ParsedCommand = { kind: 'help'; text: string } | RunCommand;

export interface ParseContext extends HelpContext {
  /** Base for relative paths; defaults to the process's directory. */
  cwd?: string;
}

function bad(option: string, value: string, why: string): UsageError {
  return new UsageError(`invalid value for --${option}: ${JSON.stringify(value)} (${why})`);
}

/**
 * `parse(raw)`, with its errors as usage errors naming `--flag`: an
 * `OptionValueError` names the offending text, any other error the whole
 * value.
 */
function parseValue<T>(flag: string, raw: string, parse: (raw: string) => T): T {
  try {
    return parse(raw);
  } catch (err) {
    if (err instanceof OptionValueError) throw bad(flag, err.value, err.why);
    if (err instanceof UsageError) throw err;
    throw bad(flag, raw, err instanceof Error ? err.message : String(err));
  }
}

export function parseSpecRange(value: string, specCount: number): { first: number; last: number } {
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

/**
 * `--candidates`: names from `known` and names of `groups` (each expanded to
 * its members). A candidate keeps the place of its first mention; a name
 * given twice by itself is an error.
 */
export function parseCandidateList(
  value: string,
  known: readonly string[],
  groups: Readonly<Record<string, readonly string[]>> = {},
): string[] {
  const groupNames = Object.keys(groups);
  const tokens = parseValue('candidates', value, (v) =>
    nameList(v, [...known, ...groupNames], 'candidate'),
  );
  const out: string[] = [];
  for (const token of tokens) {
    const members = groups[token];
    for (const m of members ?? [token]) if (!out.includes(m)) out.push(m);
  }
  return out;
}

function checkFilePath(option: string, value: string, cwd: string): string {
  if (value.trim() === '') throw bad(option, value, 'expected a file name');
  const path = resolve(cwd, value);
  if (existsSync(path) && statSync(path).isDirectory()) throw bad(option, value, 'is a directory');
  const dir = dirname(path);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw bad(option, value, `directory ${dir} does not exist`);
  }
  return path;
}

function checkDirPath(value: string, cwd: string): string {
  if (value.trim() === '') throw bad('out', value, 'expected a directory name');
  const path = resolve(cwd, value);
  if (existsSync(path) && !statSync(path).isDirectory()) {
    throw bad('out', value, 'exists and is not a directory');
  }
  return path;
}

const FLAGS = {
  suites: { type: 'string' },
  candidates: { type: 'string' },
  seed: { type: 'string' },
  specs: { type: 'string' },
  workload: { type: 'string' },
  backend: { type: 'string' },
  slo: { type: 'string' },
  'timeout-ms': { type: 'string' },
  json: { type: 'string' },
  out: { type: 'string' },
  report: { type: 'string' },
  jobs: { type: 'string' },
  cache: { type: 'string' },
  'no-cache': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

/**
 * Parses `argv` (without the node executable and script). Throws `UsageError`
 * for anything it cannot accept, naming the option and the offending value.
 */
export function parseCommandLine(argv: readonly string[], ctx: ParseContext): ParsedCommand {
  const [command, ...rest] = argv;
  const known = [...ctx.suites.map((s) => s.name), 'all'];
  if (command === undefined) throw new UsageError('missing suite');
  if (command === '-h' || command === '--help' || command === 'help') {
    return { kind: 'help', text: mainHelp(ctx.suites) };
  }
  const suite = ctx.suites.find((s) => s.name === command);
  if (suite === undefined && command !== 'all') {
    throw new UsageError(`unknown suite ${JSON.stringify(command)}; known: ${known.join(', ')}`);
  }

  // Every suite's own flags are known, so one that does not apply is named as such.
  const allOwn = ctx.suites.flatMap((s) => ownOptions(s));
  let parsed: ReturnType<typeof parseFlags>;
  try {
    parsed = parseFlags(rest, allOwn);
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message : String(err));
  }
  const { values, positionals } = parsed;
  if (values.help === true) {
    return { kind: 'help', text: suite === undefined ? allHelp(ctx) : suiteHelp(suite, ctx) };
  }
  if (positionals.length > 0) {
    throw new UsageError(`unexpected argument ${JSON.stringify(positionals[0])}`);
  }
  const own = suite === undefined ? [] : ownOptions(suite);
  const shared = new Set<CliOptionName>(
    suite === undefined
      ? ALL_OPTIONS
      : CLI_OPTION_NAMES.filter((name) => name !== 'suites' && acceptsShared(suite, name)),
  );
  const acceptedFlags = new Set<string>([...shared, ...own.map((o) => o.flag)]);
  if (suite !== undefined) acceptedFlags.add('report'); // every suite (src/report/suite-page.ts)
  acceptedFlags.add('cache').add('no-cache'); // every command (src/cli/cache.ts)
  for (const flag of Object.keys(values)) {
    if (flag !== 'help' && values[flag] !== undefined && !acceptedFlags.has(flag)) {
      throw new UsageError(`option --${flag} does not apply to ${command}`);
    }
  }
  const cwd = ctx.cwd ?? process.cwd();
  /** The value of a shared option the command accepts (a suite's own `--slo` is not one). */
  const sharedValue = (name: CliOptionName): string | undefined =>
    shared.has(name) ? values[name] : undefined;

  // Files first: --specs is checked against the workload.
  let workload: WorkloadChoice;
  const workloadFile = sharedValue('workload');
  if (workloadFile !== undefined) {
    if (workloadFile.trim() === '') throw bad('workload', workloadFile, 'expected a file name');
    try {
      workload = {
        name: workloadFile,
        builtin: false,
        specs: loadWorkloadFile(resolve(cwd, workloadFile)),
      };
    } catch (err) {
      if (err instanceof WorkloadError) throw new UsageError(err.message);
      throw err;
    }
  } else {
    workload = { name: 'cyber-monday', builtin: true, specs: cyberMonday() };
  }

  let backend: Partial<BackendConfig> = {};
  const backendFile = sharedValue('backend');
  if (backendFile !== undefined) {
    if (backendFile.trim() === '') throw bad('backend', backendFile, 'expected a file name');
    try {
      backend = loadBackendFile(resolve(cwd, backendFile));
    } catch (err) {
      if (err instanceof BackendFileError) throw new UsageError(err.message);
      throw err;
    }
  }

  const seed = sharedValue('seed');
  const specs = sharedValue('specs');
  const options: SuiteOptions = {
    seed:
      seed === undefined
        ? DEFAULT_SEED
        : parseValue('seed', seed, (v) => unsignedInt(v, 'a non-negative integer')),
    workload,
    specs:
      specs === undefined
        ? { first: 0, last: workload.specs.length - 1 }
        : parseSpecRange(specs, workload.specs.length),
    backend,
  };

  let suites: string[] | undefined;
  const suiteList = sharedValue('suites');
  if (suiteList !== undefined) {
    suites = parseValue('suites', suiteList, (v) =>
      nameList(
        v,
        ctx.suites.map((s) => s.name),
        'suite',
      ),
    );
  }
  const candidates = sharedValue('candidates');
  if (candidates !== undefined) {
    options.candidates = parseCandidateList(
      candidates,
      ctx.candidates.map((c) => c.key),
      ctx.candidateGroups,
    );
  }
  for (const option of own) {
    const raw = values[option.flag];
    if (raw === undefined) continue;
    const value = parseValue(option.flag, raw, (v) => option.parse(v));
    (options as unknown as Record<string, unknown>)[option.field] = value;
  }
  const slo = sharedValue('slo');
  if (slo !== undefined) {
    if (slo.includes(',')) throw bad('slo', slo, `${command} takes one success rate`);
    options.sloRate = parseValue('slo', slo, (v) => successRate(v.trim(), v));
  }
  const timeout = sharedValue('timeout-ms');
  if (timeout !== undefined) {
    const ms = parseValue('timeout-ms', timeout, (v) => decimal(v, 'milliseconds such as 1500'));
    if (!(ms > 0)) throw bad('timeout-ms', timeout, 'must be greater than 0');
    if (Math.round(ms * 1e6) < 1) {
      throw bad('timeout-ms', timeout, 'must be at least 0.000001 (1 ns)');
    }
    if (ms > 86_400_000) throw bad('timeout-ms', timeout, 'must be at most 86400000 (one day)');
    options.sloTimeoutMs = ms;
  }

  let jobs = ctx.maxJobs;
  const jobsValue = sharedValue('jobs');
  if (jobsValue !== undefined) {
    jobs = parseValue('jobs', jobsValue, (v) => unsignedInt(v, 'a positive integer'));
    if (jobs < 1 || jobs > ctx.maxJobs) {
      throw bad('jobs', jobsValue, `must be between 1 and ${ctx.maxJobs} (the number of cores)`);
    }
  }

  const run: RunCommand = { kind: 'run', suite: command, options, jobs };
  if (suites !== undefined) run.suites = suites;
  const json = sharedValue('json');
  const out = sharedValue('out');
  if (json !== undefined) run.json = checkFilePath('json', json, cwd);
  if (out !== undefined) run.out = checkDirPath(out, cwd);
  if (values.report !== undefined) run.report = checkFilePath('report', values.report, cwd);
  const cache = values.cache;
  if (cache !== undefined) {
    if (values['no-cache'] === true) {
      throw new UsageError('options --cache and --no-cache cannot be used together');
    }
    if (cache.trim() === '') throw bad('cache', cache, 'expected a directory name');
    run.cache = resolve(cwd, cache);
    if (existsSync(run.cache) && !statSync(run.cache).isDirectory()) {
      throw bad('cache', cache, 'exists and is not a directory');
    }
  }
  if (values['no-cache'] === true) run.noCache = true;
  return run;
}

function parseFlags(args: string[], own: readonly SuiteOption[]) {
  const options: Record<string, { type: 'string' | 'boolean'; short?: string }> = { ...FLAGS };
  for (const option of own) options[option.flag] = { type: 'string' };
  const parsed = parseArgs({ args, strict: true, allowPositionals: true, options });
  return {
    values: parsed.values as Record<string, string | undefined> & {
      help?: boolean;
      'no-cache'?: boolean;
    },
    positionals: parsed.positionals,
  };
}
