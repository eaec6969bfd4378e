/**
 * Command-line parsing and validation for `levee-bench <suite> [options]`.
 *
 * Every suite accepts only the options it lists (`Suite.options`): the
 * shared ones, parsed and documented here, and its own, which it declares
 * with their flag, help and parser. Each value is checked, and `--workload` /
 * `--backend` files are read and validated, so a bad command line is
 * rejected (`UsageError`, exit 2) before any simulation starts. The help of a
 * suite is assembled from its declarations.
 */
import { existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { BackendConfig } from '../sim/backend/backend-config.js';
import {
  BACKEND_PARAMETERS,
  BackendFileError,
  loadBackendFile,
} from '../sim/backend/backend-file.js';
import { BENCH_SEED, cyberMonday } from '../sim/workload/cyber-monday.js';
import { loadWorkloadFile } from '../sim/workload/load-file.js';
import { WorkloadError } from '../sim/workload/load-spec.js';
import type { AnySuite } from '../suites/index.js';
import { decimal, nameList, successRate, unsignedInt } from '../suites/shared/option-values.js';
import {
  acceptsShared,
  type OptionEntry,
  OptionValueError,
  ownOptions,
  type SharedOptionName,
  type SuiteOption,
  type SuiteOptions,
  type WorkloadChoice,
} from '../suites/shared/suite.js';

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
}

export type ParsedCommand = { kind: 'help'; text: string } | RunCommand;

export interface ParseContext {
  /** The suites, in `all` order. */
  suites: readonly AnySuite[];
  /** Candidate registry keys, in default order, with descriptions for the help. */
  candidates: ReadonlyArray<{ key: string; description: string }>;
  /** Group names `--candidates` also accepts, with their members (registry `CANDIDATE_GROUPS`). */
  candidateGroups?: Readonly<Record<string, readonly string[]>>;
  /** Default and upper bound for `--jobs` (the number of cores). */
  maxJobs: number;
  /** Base for relative paths; defaults to the process's directory. */
  cwd?: string;
}

const PROGRAM = 'levee-bench';

/** The options the CLI parses: the shared ones and `all`'s `--suites`. */
type CliOptionName = SharedOptionName | 'suites';

/** Options of `all` (what the suites share). */
const ALL_OPTIONS: readonly CliOptionName[] = [
  'suites',
  'candidates',
  'seed',
  'specs',
  'workload',
  'backend',
  'json',
  'out',
  'jobs',
];

export function mainHelp(suites: readonly AnySuite[]): string {
  const width = Math.max(...suites.map((s) => s.name.length), 3) + 2;
  const lines = suites.map((s) => `  ${s.name.padEnd(width)}${s.summary}`);
  return `Usage: ${PROGRAM} <suite> [options]

Deterministic benchmark suites for @leveejs/levee (virtual time; results depend
only on the options).

Suites:
${lines.join('\n')}
  ${'all'.padEnd(width)}every suite above, identical simulations run once, then a scoreboard

Run "${PROGRAM} <suite> --help" for a suite's model and options.
`;
}

interface OptionDoc {
  flag: string;
  text: (ctx: ParseContext, suite: AnySuite | undefined) => string;
}

function defaultOf(suite: AnySuite | undefined, name: SharedOptionName, fallback: string): string {
  return suite?.defaults?.[name] ?? fallback;
}

/** The help sentence on candidate groups (empty without groups). */
function groupsHelp(ctx: ParseContext): string {
  const groups = ctx.candidateGroups ?? {};
  const names = Object.keys(groups);
  if (names.length === 0) return '';
  // A group that is the union of earlier groups is described by their names.
  const described = names.map((g, i) => {
    const members = groups[g] ?? [];
    const parts = names
      .slice(0, i)
      .filter((h) => (groups[h] ?? []).every((m) => members.includes(m)));
    // Drop a part that the other parts already cover (e.g. peers inside all).
    for (let j = parts.length - 1; j >= 0; j--) {
      const others = new Set(parts.filter((_, k) => k !== j).flatMap((h) => groups[h] ?? []));
      if ((groups[parts[j] as string] ?? []).every((m) => others.has(m))) parts.splice(j, 1);
    }
    const covered = new Set(parts.flatMap((h) => groups[h] ?? []));
    const whole = parts.length > 1 && covered.size === members.length;
    return `${g} (${whole ? parts.join(' + ') : members.join(', ')})`;
  });
  return ` Groups: ${described.join('; ')}.`;
}

const OPTION_DOCS: Record<CliOptionName, OptionDoc> = {
  suites: {
    flag: '--suites LIST',
    text: (ctx) =>
      `Comma-separated suites to run. Known: ${ctx.suites.map((s) => s.name).join(', ')}.
Default: all of them, in that order.`,
  },
  candidates: {
    flag: '--candidates LIST',
    text: (ctx, suite) =>
      `Comma-separated candidates, printed in this order. Known: ${ctx.candidates
        .map((c) => c.key)
        .join(', ')}.${groupsHelp(ctx)} Default: ${
        suite === undefined ? "each suite's own set" : suite.defaultCandidates.join(',')
      }.`,
  },
  seed: {
    flag: '--seed N',
    text: (_ctx, suite) =>
      `Seed of the simulation's random generators, a non-negative integer. Default: ${defaultOf(
        suite,
        'seed',
        String(DEFAULT_SEED),
      )}.`,
  },
  specs: {
    flag: '--specs RANGE',
    text: () =>
      `Spec indices to run, "A-B" (inclusive) or "A". Default: all. With the built-in
workload (122 specs, 0-121) "0" is the 4 calm hours and "0-7" adds the first
incident (5 simulated hours). Baselines and worker slots stay those of the full
workload.`,
  },
  workload: {
    flag: '--workload FILE',
    text: () =>
      `JSON workload instead of the built-in Cyber Monday scenario: an array of load
specs or {"specs": [...]}, each {rpm, errorRate, durationS, p50Ms, p99Ms,
timeoutMs, baselineErrorRate?}. Baseline errors: baselineErrorRate if given,
else errorRate for a calm spec (errorRate <= 0.10), else (an incident) the
next calm spec's baseline (README "Baseline errors").`,
  },
  backend: {
    flag: '--backend FILE',
    text: () =>
      `JSON object overriding backend parameters: ${BACKEND_PARAMETERS.join(', ')}.
Unknown keys and bad values are rejected.`,
  },
  slo: {
    flag: '--slo RATE',
    text: (_ctx, suite) =>
      `Target success rate of the SLO given to candidates that take one (Levee),
strictly between 0 and 1. Default: ${defaultOf(suite, 'slo', '0.90')}. Static breakers and no-cb ignore it.`,
  },
  'timeout-ms': {
    flag: '--timeout-ms MS',
    text: (_ctx, suite) =>
      `Latency limit of that SLO in milliseconds (> 0). Default: ${defaultOf(
        suite,
        'timeout-ms',
        '1500',
      )}. Request timeouts come from the workload and do not change.`,
  },
  json: {
    flag: '--json FILE',
    text: () =>
      `Also write the results as JSON to FILE (scores rounded to 2 decimals; no
timestamps, so identical runs give identical files).`,
  },
  out: {
    flag: '--out DIR',
    text: (_ctx, suite) =>
      `Write ${
        suite === undefined
          ? "each suite's JSON (DIR/<suite>.json) and files, and the scoreboard (DIR/scoreboard.json),"
          : `the JSON (DIR/${suite.name}.json) and any other output files`
      } into DIR (created if missing).`,
  },
  jobs: {
    flag: '--jobs N',
    text: (ctx) =>
      `Simulations run at the same time, one worker thread each, 1-${ctx.maxJobs} (the
number of cores). Default: ${ctx.maxJobs}.`,
  },
};

/** Words of `text` in lines of at most `width` characters. */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter((w) => w !== '')) {
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  if (line !== '') lines.push(line);
  return lines;
}

const HELP_INDENT = 21;
const HELP_WIDTH = 79;

function optionsHelp(
  entries: readonly (CliOptionName | SuiteOption)[],
  ctx: ParseContext,
  suite?: AnySuite,
): string {
  const out: string[] = [];
  const pad = ' '.repeat(HELP_INDENT);
  const entry = (flag: string, text: string): void => {
    const desc = wrap(text, HELP_WIDTH - HELP_INDENT);
    const head = `  ${flag}`;
    if (head.length < HELP_INDENT) out.push(head.padEnd(HELP_INDENT) + (desc[0] ?? ''));
    else out.push(head, pad + (desc[0] ?? ''));
    for (const line of desc.slice(1)) out.push(pad + line);
  };
  for (const e of entries) {
    if (typeof e === 'string') entry(OPTION_DOCS[e].flag, OPTION_DOCS[e].text(ctx, suite));
    else entry(`--${e.flag} ${e.value}`, e.help);
  }
  if (suite !== undefined) {
    entry(
      '--report FILE',
      'Also write an HTML report to FILE: the tables and per-second charts of every simulation (one self-contained page; `all --out DIR` writes DIR/index.html and DIR/<suite>.html).',
    );
  }
  entry('-h, --help', 'Show this help.');
  return out.join('\n');
}

/** Paragraphs (separated by blank lines) re-wrapped at the help width. */
function paragraphs(text: string): string {
  return text
    .split(/\n\s*\n/)
    .map((p) => wrap(p, HELP_WIDTH).join('\n'))
    .join('\n\n');
}

export function suiteHelp(suite: AnySuite, ctx: ParseContext): string {
  return `Usage: ${PROGRAM} ${suite.name} [options]

${paragraphs(suite.description)}

Options:
${optionsHelp(suite.options as readonly OptionEntry[], ctx, suite)}

Progress goes to stderr (bars on a terminal, a few lines per simulation
otherwise), then the elapsed wall-clock time. Tables go to stdout.
Exit codes: 0 done, 1 the run failed, 2 bad arguments or files.
`;
}

export function allHelp(ctx: ParseContext): string {
  return `Usage: ${PROGRAM} all [options]

${paragraphs(`Runs every suite (${ctx.suites.map((s) => s.name).join(', ')}) and ends
with a scoreboard: for each configuration Levee's figure, the best
competitor's (name and value), the margin, and the published reference next to
ours (when the run uses the published setup), then the number of
configurations Levee wins — a configuration is won only if Levee beats every
competitor in it. Simulations that several suites need (the reference run is
also the load-variation baseline, SLO 0.90 and queue depth 50; the static
breakers of the SLO sweep) run once. Suites print their tables as soon as all
their simulations are done, each with its elapsed time.`)}

Options:
${optionsHelp(ALL_OPTIONS, ctx)}

Exit codes: 0 done, 1 a run failed, 2 bad arguments or files.
`;
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
      : (Object.keys(OPTION_DOCS) as CliOptionName[]).filter(
          (name) => name !== 'suites' && acceptsShared(suite, name),
        ),
  );
  const acceptedFlags = new Set<string>([...shared, ...own.map((o) => o.flag)]);
  if (suite !== undefined) acceptedFlags.add('report'); // every suite (src/report/suite-page.ts)
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
  return run;
}

function parseFlags(args: string[], own: readonly SuiteOption[]) {
  const options: Record<string, { type: 'string' | 'boolean'; short?: string }> = { ...FLAGS };
  for (const option of own) options[option.flag] = { type: 'string' };
  const parsed = parseArgs({ args, strict: true, allowPositionals: true, options });
  return {
    values: parsed.values as Record<string, string | undefined> & { help?: boolean },
    positionals: parsed.positionals,
  };
}
