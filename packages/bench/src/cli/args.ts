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
import { existsSync, readFileSync, statSync } from 'node:fs';
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
import { didYouMean } from './suggest.js';

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

export type ParsedCommand = { kind: 'help'; text: string } | { kind: 'version' } | RunCommand;

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
  suggestListEntry('candidates', value, [...known, ...groupNames], 'candidate');
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

/**
 * Rejects the first entry of the list `value` that is not in `known` when a
 * known name is close to it, with the suggestion (`unknown suite "slo-swep";
 * did you mean "slo-sweep"? known: …`); entries with no close name are left to
 * `nameList`, which names them and lists the known ones.
 */
function suggestListEntry(
  flag: string,
  value: string,
  known: readonly string[],
  what: string,
): void {
  for (const entry of value.split(',').map((s) => s.trim())) {
    if (entry === '' || known.some((k) => k.toLowerCase() === entry.toLowerCase())) continue;
    const hint = didYouMean(entry, known);
    if (hint !== '') {
      throw bad(flag, value, `unknown ${what} "${entry}"${hint} Known: ${known.join(', ')}`);
    }
  }
}

/**
 * Deepest nesting of arrays and objects accepted in a workload or backend
 * file. A valid workload file nests three levels (the object, its `specs`
 * array, each spec) and a backend file one, so anything deeper is wrong in
 * shape anyway; the limit only has to stay far below the depth (a few
 * thousand levels) at which recursive code such as `JSON.stringify`, used to
 * quote a bad value in an error message, runs out of stack.
 */
export const MAX_FILE_DEPTH = 64;

/**
 * How deeply arrays and objects nest in the JSON text `text` (0 for a
 * scalar), counted without recursion; brackets inside strings do not count.
 * Stops counting at `limit + 1`.
 */
export function jsonNesting(text: string, limit = MAX_FILE_DEPTH): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      depth++;
      if (depth > deepest) {
        deepest = depth;
        if (deepest > limit) return deepest;
      }
    } else if (c === 0x5d || c === 0x7d) depth = Math.max(0, depth - 1);
  }
  return deepest;
}

/**
 * Reads a `--workload` / `--backend` file with `load` (which reports a missing,
 * unreadable, non-JSON or wrongly shaped file with its own error, `known`),
 * after checking that its arrays and objects do not nest deeper than
 * `MAX_FILE_DEPTH`. Any error is a usage error naming the file.
 */
function loadInputFile<T>(
  what: 'workload' | 'backend',
  path: string,
  load: (path: string) => T,
  known: (err: unknown) => boolean,
): T {
  let text: string | undefined;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    // `load` reports the file as unreadable.
  }
  if (text !== undefined) {
    const depth = jsonNesting(text);
    if (depth > MAX_FILE_DEPTH) {
      throw new UsageError(
        `${path}: arrays and objects nested more than ${MAX_FILE_DEPTH} levels deep; ` +
          `a ${what} file needs ${what === 'workload' ? 'three' : 'one'}`,
      );
    }
  }
  try {
    return load(path);
  } catch (err) {
    if (known(err)) throw new UsageError((err as Error).message);
    throw new UsageError(
      `${path}: cannot use this ${what} file (${err instanceof Error ? err.message : String(err)})`,
    );
  }
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
  version: { type: 'boolean' },
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
  if (command === '--version') return { kind: 'version' };
  const suite = ctx.suites.find((s) => s.name === command);
  if (suite === undefined && command !== 'all') {
    if (command.startsWith('-')) {
      throw new UsageError(
        `expected a suite first, got the option ${command.split('=')[0]}; known suites: ${known.join(', ')}`,
      );
    }
    const hint = didYouMean(command, known);
    const list = `${hint === '' ? '; known' : `${hint} Known`}: ${known.join(', ')}`;
    throw new UsageError(`unknown suite ${JSON.stringify(command)}${list}`);
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
  if (values.version === true) return { kind: 'version' };
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
    if (
      flag !== 'help' &&
      flag !== 'version' &&
      values[flag] !== undefined &&
      !acceptedFlags.has(flag)
    ) {
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
    workload = {
      name: workloadFile,
      builtin: false,
      specs: loadInputFile(
        'workload',
        resolve(cwd, workloadFile),
        loadWorkloadFile,
        (err) => err instanceof WorkloadError,
      ),
    };
  } else {
    workload = { name: 'cyber-monday', builtin: true, specs: cyberMonday() };
  }

  let backend: Partial<BackendConfig> = {};
  const backendFile = sharedValue('backend');
  if (backendFile !== undefined) {
    if (backendFile.trim() === '') throw bad('backend', backendFile, 'expected a file name');
    backend = loadInputFile(
      'backend',
      resolve(cwd, backendFile),
      loadBackendFile,
      (err) => err instanceof BackendFileError,
    );
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
    const inAll = ctx.suites.filter((s) => s.standalone !== true).map((s) => s.name);
    for (const name of suiteList.split(',')) {
      if (ctx.suites.some((s) => s.name === name.trim() && s.standalone === true)) {
        throw new UsageError(
          `--suites: ${name.trim()} runs on real time and is not part of all; run levee-bench ${name.trim()}`,
        );
      }
    }
    suggestListEntry('suites', suiteList, inAll, 'suite');
    suites = parseValue('suites', suiteList, (v) => nameList(v, inAll, 'suite'));
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

/**
 * Checks the options in `args` before `parseArgs` sees them, so a mistake
 * gets a message of ours: an unknown option with the closest known one
 * (`unknown option --spec; did you mean --specs?`), a value missing after an
 * option that takes one, a value given to one that takes none. Values (the
 * argument after an option that takes one) and everything after `--` are not
 * options. Returns `args` with each value that starts with a dash joined to
 * its option (`--seed=-5`), which `parseArgs` would otherwise refuse as
 * ambiguous; the value's parser then says what is wrong with it.
 */
export function checkOptionNames(
  args: readonly string[],
  options: Readonly<Record<string, { type: 'string' | 'boolean'; short?: string }>>,
): string[] {
  const out: string[] = [];
  const names = Object.keys(options);
  const shorts = new Map(
    Object.entries(options).flatMap(([name, o]) =>
      o.short === undefined ? [] : [[o.short, name] as const],
    ),
  );
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--') {
      out.push(...args.slice(i));
      break;
    }
    out.push(arg);
    if (!arg.startsWith('-') || arg === '-') continue;
    let name: string;
    let inline = false;
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      name = eq < 0 ? arg.slice(2) : arg.slice(2, eq);
      inline = eq >= 0;
      if (!(name in options)) {
        throw new UsageError(`unknown option --${name}${didYouMean(name, names, (n) => `--${n}`)}`);
      }
    } else {
      const long = shorts.get(arg.slice(1));
      if (long === undefined) {
        const hint = didYouMean(arg.replace(/^-+/, ''), names, (n) => `--${n}`);
        throw new UsageError(`unknown option ${arg}${hint}`);
      }
      name = long;
    }
    const type = options[name]!.type;
    if (type === 'boolean') {
      if (inline) throw new UsageError(`option --${name} takes no value`);
      continue;
    }
    if (inline) continue;
    const next = args[i + 1];
    if (next === undefined || (next.startsWith('--') && next.length > 2)) {
      throw new UsageError(`option --${name} needs a value`);
    }
    if (next.startsWith('-')) out[out.length - 1] = `--${name}=${next}`;
    else out.push(next);
    i++; // the value
  }
  return out;
}

function parseFlags(args: string[], own: readonly SuiteOption[]) {
  const options: Record<string, { type: 'string' | 'boolean'; short?: string }> = { ...FLAGS };
  for (const option of own) options[option.flag] = { type: 'string' };
  const checked = checkOptionNames(args, options);
  const parsed = parseArgs({ args: checked, strict: true, allowPositionals: true, options });
  return {
    values: parsed.values as Record<string, string | undefined> & {
      help?: boolean;
      'no-cache'?: boolean;
      version?: boolean;
    },
    positionals: parsed.positionals,
  };
}
