import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  closedLoopHelp,
  DEFAULT_SEED,
  type ParseContext,
  parseCommandLine,
  parseSpecRange,
  UsageError,
} from '../src/cli/args.js';

const ctx: ParseContext = {
  knownCandidates: ['no-cb', 'levee', 'static-bau', 'static-peak'],
  specCount: 122,
  maxJobs: 2,
  cwd: tmpdir(),
};

function options(...argv: string[]) {
  const cmd = parseCommandLine(['closed-loop', ...argv], ctx);
  if (cmd.kind !== 'closed-loop') throw new Error('expected a closed-loop command');
  return cmd.options;
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

describe('closed-loop defaults', () => {
  it('runs every candidate on all 122 specs with seed 20241225 and SLO 0.90/1500 ms', () => {
    expect(options()).toEqual({
      candidates: ['no-cb', 'levee', 'static-bau', 'static-peak'],
      specs: { first: 0, last: 121 },
      seed: 20241225,
      slo: { successRate: 0.9, timeoutMs: 1500 },
      jobs: 2,
    });
    expect(DEFAULT_SEED).toBe(20241225);
  });
});

describe('closed-loop options', () => {
  it('parses every option', () => {
    const dir = mkdtempSync(join(tmpdir(), 'levee-bench-args-'));
    expect(
      options(
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
        join(dir, 'out.json'),
      ),
    ).toEqual({
      candidates: ['static-peak', 'levee'],
      specs: { first: 0, last: 7 },
      seed: 42,
      slo: { successRate: 0.95, timeoutMs: 2500 },
      jobs: 1,
      json: join(dir, 'out.json'),
    });
    rmSync(dir, { recursive: true, force: true });
  });

  it('accepts --opt=value, a single spec index and the last index', () => {
    expect(options('--specs=5').specs).toEqual({ first: 5, last: 5 });
    expect(options('--specs', '121-121').specs).toEqual({ first: 121, last: 121 });
    expect(options('--seed=0').seed).toBe(0);
    expect(options('--slo', '.8').slo.successRate).toBe(0.8);
  });

  it('resolves a relative --json path against the working directory', () => {
    expect(options('--json', 'r.json').json).toBe(join(tmpdir(), 'r.json'));
  });

  it('keeps the requested candidate order', () => {
    expect(options('--candidates', 'levee,no-cb').candidates).toEqual(['levee', 'no-cb']);
  });
});

describe('argument errors name the option and the value', () => {
  it.each([
    [['--seed', 'abc'], /--seed: "abc".*non-negative integer/],
    [['--seed', '-1'], /--seed/],
    [['--seed', '1.5'], /--seed: "1.5"/],
    [['--seed', '1e3'], /--seed: "1e3"/],
    [['--seed', '99999999999999999999'], /--seed: "99999999999999999999".*at most/],
    [['--specs', '7-3'], /--specs: "7-3".*start 7 is after end 3/],
    [['--specs', '0-122'], /--specs: "0-122".*122 specs, indices 0-121/],
    [['--specs', 'a-b'], /--specs: "a-b"/],
    [['--specs', '-3'], /--specs/],
    [['--specs', '1-2-3'], /--specs: "1-2-3"/],
    [
      ['--candidates', 'levee,bogus'],
      /--candidates: "levee,bogus".*unknown candidate "bogus"; known: no-cb, levee, static-bau, static-peak/,
    ],
    [['--candidates', 'levee,,no-cb'], /--candidates.*empty candidate name/],
    [['--candidates', 'levee,levee'], /--candidates.*"levee" is listed twice/],
    [['--slo', '1'], /--slo: "1".*strictly between 0 and 1/],
    [['--slo', '0'], /--slo: "0".*strictly between 0 and 1/],
    [['--slo', '1.5'], /--slo: "1.5"/],
    [['--slo', 'ninety'], /--slo: "ninety"/],
    [['--timeout-ms', '0'], /--timeout-ms: "0".*greater than 0/],
    [['--timeout-ms', 'x'], /--timeout-ms: "x"/],
    [['--timeout-ms', '0.0000001'], /--timeout-ms: "0.0000001".*at least/],
    [['--jobs', '0'], /--jobs: "0".*between 1 and 2/],
    [['--jobs', '3'], /--jobs: "3".*between 1 and 2/],
    [['--json', ''], /--json: "".*file name/],
    [['--json', '/nonexistent-dir-levee/x.json'], /--json.*does not exist/],
    [['--json', '.'], /--json: ".".*directory/],
    [['--bogus'], /--bogus/],
    [['--seed'], /--seed/],
    [['extra'], /unexpected argument "extra"/],
  ])('%j', (argv, message) => {
    expect(usageError(['closed-loop', ...argv])).toMatch(message);
  });

  it('rejects a missing or unknown command', () => {
    expect(usageError([])).toMatch(/missing command/);
    expect(usageError(['open-loop'])).toMatch(/unknown command "open-loop"; known: closed-loop/);
  });
});

describe('help', () => {
  it('documents every option of closed-loop', () => {
    const cmd = parseCommandLine(['closed-loop', '--help'], ctx);
    expect(cmd.kind).toBe('help');
    const text = cmd.kind === 'help' ? cmd.text : '';
    for (const opt of [
      '--candidates',
      '--specs',
      '--seed',
      '--slo',
      '--timeout-ms',
      '--jobs',
      '--json',
      '--help',
    ]) {
      expect(text).toContain(opt);
    }
    expect(text).toContain('no-cb, levee, static-bau, static-peak');
    expect(text).toContain('0-121');
    expect(text).toContain('20241225');
    expect(text).toBe(closedLoopHelp(ctx));
  });

  it('has a top-level help', () => {
    const cmd = parseCommandLine(['--help'], ctx);
    expect(cmd.kind === 'help' && cmd.text.includes('closed-loop')).toBe(true);
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
