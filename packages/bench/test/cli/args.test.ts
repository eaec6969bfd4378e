import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CANDIDATE_GROUPS, CANDIDATES } from '../../src/candidates/registry.js';
import {
  DEFAULT_SEED,
  jsonNesting,
  MAX_FILE_DEPTH,
  type ParseContext,
  parseCommandLine,
  parseSpecRange,
  type RunCommand,
  UsageError,
} from '../../src/cli/args.js';
import { suiteHelp } from '../../src/cli/help.js';
import { SUITES } from '../../src/suites/index.js';

const dir = mkdtempSync(join(tmpdir(), 'levee-bench-args-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const ctx: ParseContext = {
  suites: SUITES,
  candidates: CANDIDATES.map((c) => ({ key: c.key, description: c.description })),
  candidateGroups: CANDIDATE_GROUPS,
  maxJobs: 2,
  cwd: dir,
};

function run(...argv: string[]): RunCommand {
  const cmd = parseCommandLine(argv, ctx);
  if (cmd.kind !== 'run') throw new Error('expected a run command');
  return cmd;
}

function usageError(argv: string[]): string {
  try {
    parseCommandLine(argv, ctx);
  } catch (err) {
    expect(err).toBeInstanceOf(UsageError);
    return (err as Error).message;
  }
  throw new Error(`no error for ${argv.join(' ')}`);
}

describe('defaults', () => {
  it('closed-loop: the built-in workload, all 122 specs, seed 20241225, reference backend', () => {
    const cmd = run('closed-loop');
    expect(cmd.suite).toBe('closed-loop');
    expect(cmd.jobs).toBe(2);
    expect(cmd.json).toBeUndefined();
    expect(cmd.out).toBeUndefined();
    const { workload, ...rest } = cmd.options;
    expect(workload.name).toBe('cyber-monday');
    expect(workload.builtin).toBe(true);
    expect(workload.specs).toHaveLength(122);
    expect(rest).toEqual({ seed: 20241225, specs: { first: 0, last: 121 }, backend: {} });
    expect(DEFAULT_SEED).toBe(20241225);
  });
});

describe('options', () => {
  it('expands candidate groups, each candidate once, in order of first mention', () => {
    const pick = (list: string) => run('closed-loop', '--candidates', list).options.candidates;
    expect(pick('published')).toEqual(['no-cb', 'levee', 'static-bau', 'static-peak']);
    expect(pick('aimd,limiters')).toEqual([
      'aimd',
      'gradient2',
      'vegas',
      'envoy-gradient',
      'sre-throttle',
      'failsafe-limiter',
      'failsafe-throttler',
      'brpc-auto',
    ]);
    expect(pick('levee,Libraries')).toEqual([
      'levee',
      'opossum-default',
      'opossum-tuned',
      'cockatiel-default',
      'cockatiel-tuned',
    ]);
    expect(pick('published,peers')).toEqual(CANDIDATES.map((c) => c.key));
    expect(pick('all')).toEqual(CANDIDATES.map((c) => c.key));
    expect(new Set(CANDIDATE_GROUPS.peers).size).toBe(12);
  });

  it('parses the common options', () => {
    const cmd = run(
      'closed-loop',
      '--candidates',
      'static-peak,Levee',
      '--specs',
      '0-7',
      '--seed',
      '42',
      '--slo',
      '0.95',
      '--timeout-ms',
      '2500',
      '--jobs',
      '1',
      '--json',
      'out.json',
      '--out',
      'results',
    );
    expect(cmd.options.candidates).toEqual(['static-peak', 'levee']);
    expect(cmd.options.specs).toEqual({ first: 0, last: 7 });
    expect(cmd.options.seed).toBe(42);
    expect(cmd.options.sloRate).toBe(0.95);
    expect(cmd.options.sloTimeoutMs).toBe(2500);
    expect(cmd.jobs).toBe(1);
    expect(cmd.json).toBe(join(dir, 'out.json'));
    expect(cmd.out).toBe(join(dir, 'results'));
  });

  it('accepts --opt=value, a single spec index and the last index', () => {
    expect(run('closed-loop', '--specs=5').options.specs).toEqual({ first: 5, last: 5 });
    expect(run('closed-loop', '--specs', '121-121').options.specs).toEqual({
      first: 121,
      last: 121,
    });
    expect(run('closed-loop', '--seed=0').options.seed).toBe(0);
    expect(run('closed-loop', '--slo', '.8').options.sloRate).toBe(0.8);
  });

  it('takes suite-specific lists', () => {
    const own = (...argv: string[]) => run(...argv).options as unknown as Record<string, unknown>;
    expect(own('slo-sweep', '--slo', '0.99,0.5').successRates).toEqual([0.99, 0.5]);
    expect(own('slo-sweep', '--slo', '0.99,0.5').sloRate).toBeUndefined();
    expect(own('queue-depth', '--multipliers', '0.2,3').multipliers).toEqual([0.2, 3]);
    expect(own('load-variation', '--variations', 'double-rpm,baseline').variations).toEqual([
      'double-RPM',
      'baseline',
    ]);
    expect(own('cooperation', '--instances', '10').instances).toBe(10);
    expect(run('all', '--suites', 'cooperation,closed-loop').suites).toEqual([
      'cooperation',
      'closed-loop',
    ]);
  });

  it('reads and validates a workload file and checks --specs against it', () => {
    const file = join(dir, 'w.json');
    const spec = { rpm: 600, errorRate: 0.01, durationS: 60, p50Ms: 10, p99Ms: 20, timeoutMs: 100 };
    writeFileSync(file, JSON.stringify({ specs: [spec, spec] }));
    const cmd = run('closed-loop', '--workload', 'w.json', '--specs', '1');
    expect(cmd.options.workload).toEqual({ name: 'w.json', builtin: false, specs: [spec, spec] });
    expect(cmd.options.specs).toEqual({ first: 1, last: 1 });
    expect(usageError(['closed-loop', '--workload', 'w.json', '--specs', '0-2'])).toMatch(
      /--specs: "0-2".*2 specs, indices 0-1/,
    );
  });

  it('reads and validates a backend file', () => {
    writeFileSync(join(dir, 'b.json'), '{"queueDepthPerReplica": 20, "maxReplicas": 4}');
    expect(run('queue-depth', '--backend', 'b.json').options.backend).toEqual({
      queueDepthPerReplica: 20,
      maxReplicas: 4,
    });
  });
});

describe('argument errors name the option and the value', () => {
  it.each([
    [['--seed', 'abc'], /--seed: "abc".*non-negative integer/],
    [['--seed', '-1'], /--seed/],
    [['--seed', '1.5'], /--seed: "1.5"/],
    [['--seed', '99999999999999999999'], /--seed: "99999999999999999999".*at most/],
    [['--specs', '7-3'], /--specs: "7-3".*start 7 is after end 3/],
    [['--specs', '0-122'], /--specs: "0-122".*122 specs, indices 0-121/],
    [['--specs', 'a-b'], /--specs: "a-b"/],
    [
      ['--candidates', 'levee,bogus'],
      /--candidates: "levee,bogus".*unknown candidate "bogus"; known: no-cb, levee, static-bau, static-peak/,
    ],
    [['--candidates', 'levee,,no-cb'], /--candidates.*empty candidate name/],
    [['--candidates', 'levee,LEVEE'], /--candidates.*"LEVEE" is listed twice/],
    [['--candidates', 'aimd,peers,aimd'], /--candidates.*"aimd" is listed twice/],
    [['--slo', '1'], /--slo: "1".*strictly between 0 and 1/],
    [['--slo', '0'], /--slo: "0".*strictly between 0 and 1/],
    [['--slo', 'ninety'], /--slo: "ninety"/],
    [['--slo', '0.9,0.8'], /--slo: "0.9,0.8".*takes one success rate/],
    [['--timeout-ms', '0'], /--timeout-ms: "0".*greater than 0/],
    [['--timeout-ms', '0.0000001'], /--timeout-ms: "0.0000001".*at least/],
    [['--jobs', '0'], /--jobs: "0".*between 1 and 2/],
    [['--jobs', '3'], /--jobs: "3".*between 1 and 2/],
    [['--json', ''], /--json: "".*file name/],
    [['--json', '/nonexistent-dir-levee/x.json'], /--json.*does not exist/],
    [['--json', '.'], /--json: ".".*directory/],
    [['--workload', 'missing.json'], /missing\.json: cannot read workload file \(no such file\)/],
    [['--backend', 'missing.json'], /missing\.json: cannot read backend file \(no such file\)/],
    [['--instances', '5'], /option --instances does not apply to closed-loop/],
    [['--bogus'], /--bogus/],
    [['--seed'], /--seed/],
    [['extra'], /unexpected argument "extra"/],
  ])('closed-loop %j', (argv, message) => {
    expect(usageError(['closed-loop', ...argv])).toMatch(message);
  });

  it.each([
    [['slo-sweep', '--slo', '0.9,0.9'], /--slo: "0.9,0.9".*0.9 is listed twice/],
    [['slo-sweep', '--slo', '0.9,1.2'], /--slo: "0.9,1.2".*1.2 is not strictly between 0 and 1/],
    [['queue-depth', '--multipliers', '0'], /--multipliers: "0".*not in \(0, 1000\]/],
    [['queue-depth', '--multipliers', '1,,2'], /--multipliers.*empty entry/],
    [['load-variation', '--variations', 'triple'], /unknown variation "triple"; known: baseline/],
    [['cooperation', '--instances', '0'], /--instances: "0".*between 1 and 10000/],
    [['all', '--slo', '0.9'], /option --slo does not apply to all/],
    [['all', '--suites', 'nope'], /unknown suite "nope"/],
    [['load-variation', '--multipliers', '1'], /--multipliers does not apply to load-variation/],
  ])('%j', (argv, message) => {
    expect(usageError(argv)).toMatch(message);
  });

  it('rejects a missing or unknown suite', () => {
    expect(usageError([])).toMatch(/missing suite/);
    expect(usageError(['open-loop'])).toMatch(
      /unknown suite "open-loop"; known: closed-loop, load-variation, cooperation, slo-sweep, queue-depth, prescient, mesh, faults, live, all/,
    );
  });

  it('rejects an --out path that is a file', () => {
    writeFileSync(join(dir, 'plain-file'), '');
    expect(usageError(['closed-loop', '--out', 'plain-file'])).toMatch(
      /--out: "plain-file".*not a directory/,
    );
  });
});

describe('mistyped names get the closest known one', () => {
  it.each([
    [['closed-loop', '--spec', '0-7'], 'unknown option --spec; did you mean --specs?'],
    [['closed-loop', '--sepcs=0-7'], 'unknown option --sepcs; did you mean --specs?'],
    [['closed-loop', '--cand', 'levee'], 'unknown option --cand; did you mean --candidates?'],
    [['mesh', '--phase', 'A-B'], 'unknown option --phase; did you mean --phases?'],
    [['closed-loop', '--frobnicate'], 'unknown option --frobnicate'],
    [['closed-loop', '-x'], 'unknown option -x'],
    [
      ['closed-lop'],
      'unknown suite "closed-lop"; did you mean "closed-loop"? Known: closed-loop, load-variation,',
    ],
    [['prescent', '--specs', '0'], 'unknown suite "prescent"; did you mean "prescient"?'],
    [
      ['all', '--suites', 'mesh,slo-swep'],
      'invalid value for --suites: "mesh,slo-swep" (unknown suite "slo-swep"; did you mean "slo-sweep"? Known: closed-loop,',
    ],
    [
      ['closed-loop', '--candidates', 'levee,statc-peak'],
      'invalid value for --candidates: "levee,statc-peak" (unknown candidate "statc-peak"; did you mean "static-peak"? Known: no-cb,',
    ],
    [['closed-loop', '--candidates', 'limiter'], 'did you mean "limiters"?'],
  ])('%j', (argv, message) => {
    expect(usageError(argv)).toContain(message);
  });

  it('names with nothing close keep the plain message', () => {
    expect(usageError(['nosuchsuite'])).toBe(
      'unknown suite "nosuchsuite"; known: closed-loop, load-variation, cooperation, slo-sweep, queue-depth, prescient, mesh, faults, live, all',
    );
    expect(usageError(['closed-loop', '--candidates', 'nobody'])).toMatch(
      /\(unknown candidate "nobody"; known: no-cb,/,
    );
  });

  it('an option missing its value, or given one it does not take, is named', () => {
    expect(usageError(['closed-loop', '--specs'])).toBe('option --specs needs a value');
    expect(usageError(['closed-loop', '--specs', '--seed', '1'])).toBe(
      'option --specs needs a value',
    );
    expect(usageError(['closed-loop', '--help=yes'])).toBe('option --help takes no value');
    expect(usageError(['--specs', '0-7'])).toMatch(
      /^expected a suite first, got the option --specs; known suites: closed-loop,/,
    );
    // What follows an option that takes a value is its value, even if it starts with a dash.
    expect(usageError(['closed-loop', '--seed', '-5'])).toMatch(/--seed: "-5"/);
  });

  it('--version anywhere asks for the version', () => {
    expect(parseCommandLine(['--version'], ctx)).toEqual({ kind: 'version' });
    expect(parseCommandLine(['mesh', '--phases', 'A-B', '--version'], ctx)).toEqual({
      kind: 'version',
    });
  });
});

describe('malformed workload and backend files are usage errors naming the file', () => {
  const write = (name: string, text: string): string => {
    writeFileSync(join(dir, name), text);
    return join(dir, name);
  };
  const deep = (n: number, open = '[', close = ']'): string => open.repeat(n) + close.repeat(n);

  it.each(['--workload', '--backend'])('%s: 5,000 levels of nesting', (flag) => {
    const path = write(`deep${flag}.json`, deep(5000));
    expect(usageError(['closed-loop', flag, path])).toBe(
      `${path}: arrays and objects nested more than ${MAX_FILE_DEPTH} levels deep; a ${
        flag === '--workload' ? 'workload file needs three' : 'backend file needs one'
      }`,
    );
  });

  it.each([
    ['deep inside a spec', `{"specs": [{"rpm": ${deep(5000)}}]}`, /nested more than 64 levels/],
    ['deep objects', `${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}`, /nested more than 64 levels/],
    ['not JSON', '{"specs": [', /not valid JSON/],
    ['empty', '', /not valid JSON/],
    ['binary', '\u0000\u0001\u00ff', /not valid JSON/],
    ['a string', '"specs"', /expected an object with a "specs" array.*got "specs"/],
    ['null', 'null', /expected an object with a "specs" array.*got null/],
    ['specs not an array', '{"specs": 5}', /specs must be an array \(got 5\)/],
    ['a spec not an object', `[${deep(40)}]`, /spec 0/],
    ['an unknown field', '{"specs": [], "extra": 1}', /unknown top-level field "extra"/],
  ])('workload: %s', (name, text, message) => {
    const path = write(`w-${name.replace(/\W+/g, '-')}.json`, text);
    const err = usageError(['closed-loop', '--workload', path]);
    expect(err.startsWith(`${path}: `)).toBe(true);
    expect(err).toMatch(message);
  });

  it.each([
    ['deep value', `{"maxReplicas": ${deep(5000)}}`, /nested more than 64 levels/],
    ['a value nested 40 deep', `{"maxReplicas": ${deep(40)}}`, /maxReplicas must be an integer/],
    ['an array', '[1, 2]', /expected a JSON object of backend parameters/],
    ['not JSON', "{'maxReplicas': 3}", /not valid JSON/],
    ['an unknown key', '{"replicas": 3}', /unknown backend parameter "replicas"/],
  ])('backend: %s', (name, text, message) => {
    const path = write(`b-${name.replace(/\W+/g, '-')}.json`, text);
    const err = usageError(['closed-loop', '--backend', path]);
    expect(err.startsWith(`${path}: `)).toBe(true);
    expect(err).toMatch(message);
  });

  it('a directory given as the file', () => {
    expect(usageError(['closed-loop', '--workload', '.'])).toMatch(/cannot read workload file/);
  });

  it('jsonNesting counts brackets outside strings only, without recursion', () => {
    expect(jsonNesting('1')).toBe(0);
    expect(jsonNesting('{"a": [1, {"b": "[[[[{{"}]}')).toBe(3);
    expect(jsonNesting('["\\"", ["]"]]')).toBe(2);
    expect(jsonNesting(deep(1_000_000))).toBe(MAX_FILE_DEPTH + 1); // stops counting
  });
});

describe('help', () => {
  it('documents every option each suite accepts', () => {
    for (const suite of SUITES) {
      const cmd = parseCommandLine([suite.name, '--help'], ctx);
      expect(cmd.kind).toBe('help');
      const text = cmd.kind === 'help' ? cmd.text : '';
      expect(text).toBe(suiteHelp(suite, ctx));
      expect(text).toContain(`Usage: levee-bench ${suite.name} [options]`);
      for (const opt of suite.options) {
        expect(text).toContain(
          typeof opt === 'string' ? `--${opt} ` : `--${opt.flag} ${opt.value}`,
        );
        if (typeof opt !== 'string')
          expect(text.replace(/\s+/g, ' ')).toContain(opt.help.replace(/\s+/g, ' '));
      }
      expect(text).toContain('--help');
      for (const line of text.split('\n')) expect(line.length).toBeLessThanOrEqual(80);
    }
  });

  it('shows each suite its own defaults', () => {
    const coop = parseCommandLine(['cooperation', '-h'], ctx);
    expect(coop.kind === 'help' && coop.text).toMatch(/Default: 0\.80\./);
    expect(coop.kind === 'help' && coop.text).toMatch(/Default:\s+2500\./);
    const sweep = parseCommandLine(['slo-sweep', '-h'], ctx);
    expect(sweep.kind === 'help' && sweep.text).toContain('0.99,0.95,0.90,0.80,0.70');
  });

  it('has a top-level help and one for all', () => {
    const top = parseCommandLine(['--help'], ctx);
    expect(top.kind === 'help' && top.text).toContain('queue-depth');
    const all = parseCommandLine(['all', '--help'], ctx);
    expect(all.kind === 'help' && all.text).toContain('scoreboard');
    expect(all.kind === 'help' && all.text).toContain('--suites LIST');
  });

  it('help wins over other (even invalid) values', () => {
    expect(parseCommandLine(['closed-loop', '--seed', 'x', '-h'], ctx).kind).toBe('help');
  });
});

describe('parseSpecRange', () => {
  it('accepts ranges inside the workload', () => {
    expect(parseSpecRange('0-7', 122)).toEqual({ first: 0, last: 7 });
    expect(parseSpecRange('3', 4)).toEqual({ first: 3, last: 3 });
    expect(() => parseSpecRange('4', 4)).toThrow(UsageError);
  });
});
