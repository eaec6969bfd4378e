/**
 * The help texts of `levee-bench`: the main help, one per suite and one for
 * `all`. The shared options are documented here; a suite's own options bring
 * their help with their declaration (`Suite.options`), and the suite its
 * description and defaults.
 */
import { BACKEND_PARAMETERS } from '../sim/backend/backend-file.js';
import { BENCH_SEED } from '../sim/workload/cyber-monday.js';
import type { AnySuite } from '../suites/index.js';
import type { OptionEntry, SharedOptionName, SuiteOption } from '../suites/shared/suite.js';

/** What the help shows besides the suites' own declarations. */
export interface HelpContext {
  /** The suites, in `all` order. */
  suites: readonly AnySuite[];
  /** Candidate registry keys, in default order, with descriptions for the help. */
  candidates: ReadonlyArray<{ key: string; description: string }>;
  /** Group names `--candidates` also accepts, with their members (registry `CANDIDATE_GROUPS`). */
  candidateGroups?: Readonly<Record<string, readonly string[]>>;
  /** Default and upper bound for `--jobs` (the number of cores). */
  maxJobs: number;
}

const PROGRAM = 'levee-bench';

/** The options the CLI parses: the shared ones and `all`'s `--suites`. */
export type CliOptionName = SharedOptionName | 'suites';

/** Options of `all` (what the suites share). */
export const ALL_OPTIONS: readonly CliOptionName[] = [
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
  const line = (s: AnySuite): string => `  ${s.name.padEnd(width)}${s.summary}`;
  const live = suites.filter((s) => s.standalone === true);
  const realTime =
    live.length === 0
      ? ''
      : `\nOn real time and sockets (not reproducible; not part of all):\n${live.map(line).join('\n')}\n`;
  return `Usage: ${PROGRAM} <suite> [options]

Deterministic benchmark suites for @leveejs/levee (virtual time; results depend
only on the options).

Suites:
${suites
  .filter((s) => s.standalone !== true)
  .map(line)
  .join('\n')}
  ${'all'.padEnd(width)}every suite above, identical simulations run once, then a scoreboard
${realTime}
Run "${PROGRAM} <suite> --help" for a suite's model and options, and
"${PROGRAM} --version" for the versions of the bench and of @leveejs/levee.
`;
}

interface OptionDoc {
  flag: string;
  text: (ctx: HelpContext, suite: AnySuite | undefined) => string;
}

function defaultOf(suite: AnySuite | undefined, name: SharedOptionName, fallback: string): string {
  return suite?.defaults?.[name] ?? fallback;
}

/** The help sentence on candidate groups (empty without groups). */
function groupsHelp(ctx: HelpContext): string {
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
      `Comma-separated suites to run. Known: ${ctx.suites
        .filter((s) => s.standalone !== true)
        .map((s) => s.name)
        .join(', ')}.
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
        String(BENCH_SEED),
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
  ctx: HelpContext,
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
  entry(
    '--cache DIR',
    `Reuse the results stored in DIR and store new ones (src/cli/cache.ts): each simulation is keyed on its parameters and a hash of the code it runs (the simulator, the candidate, dependency versions), so only simulations whose code or parameters changed run again. Default: ${
      suite === undefined
        ? 'on, in $XDG_CACHE_HOME/levee-bench or ~/.cache/levee-bench'
        : 'off (`all` caches by default)'
    }.`,
  );
  entry('--no-cache', 'Run every simulation; read and write no cache.');
  entry('-h, --help', 'Show this help.');
  entry('--version', 'Print the versions of levee-bench, @leveejs/levee and Node, and exit.');
  return out.join('\n');
}

/** Paragraphs (separated by blank lines) re-wrapped at the help width. */
function paragraphs(text: string): string {
  return text
    .split(/\n\s*\n/)
    .map((p) => wrap(p, HELP_WIDTH).join('\n'))
    .join('\n\n');
}

export function suiteHelp(suite: AnySuite, ctx: HelpContext): string {
  return `Usage: ${PROGRAM} ${suite.name} [options]

${paragraphs(suite.description)}

Options:
${optionsHelp(suite.options as readonly OptionEntry[], ctx, suite)}

Progress goes to stderr (bars on a terminal, a few lines per simulation
otherwise, with the time left once it can be estimated), then the elapsed
wall-clock time. Tables go to stdout.
Exit codes: 0 done, 1 the run failed, 2 bad arguments or files.
`;
}

export function allHelp(ctx: HelpContext): string {
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

/** Every option the CLI parses itself: the shared ones and `all`'s `--suites`. */
export const CLI_OPTION_NAMES = Object.keys(OPTION_DOCS) as CliOptionName[];
