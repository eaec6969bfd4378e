/**
 * The result cache (src/cli/cache.ts): what the key depends on — proven on a
 * synthetic code tree (a candidate's code or any parameter changes the key,
 * nothing else does) and on the bench's own tree (changing Levee's code
 * changes exactly the keys of Levee's simulations) — the file format's checks,
 * and the CLI: byte-identical output with and without the cache, traced and
 * untraced runs, `--no-cache`, `all`'s default folder, corrupt files.
 */
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CANDIDATE_GROUPS, CANDIDATES } from '../../src/candidates/registry.js';
import { parseCommandLine, type RunCommand } from '../../src/cli/args.js';
import {
  benchRoot,
  CodeFingerprint,
  type CodeReader,
  canonicalJson,
  defaultCacheDir,
  importSpecifiers,
  ResultCache,
} from '../../src/cli/cache.js';
import { inlineExecutor, type JobExecutor } from '../../src/cli/executor.js';
import { main, resolveEnvironment } from '../../src/cli/main.js';
import { SUITES } from '../../src/suites/index.js';
import { acceptsShared, type Job } from '../../src/suites/shared/suite.js';

const tmp = mkdtempSync(join(tmpdir(), 'levee-bench-cache-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const write = (path: string, text: string): void => {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
};

describe('cache helpers', () => {
  it('default folder: $XDG_CACHE_HOME/levee-bench, else ~/.cache/levee-bench', () => {
    expect(defaultCacheDir({ XDG_CACHE_HOME: '/var/cache/u' }, '/home/u')).toBe(
      '/var/cache/u/levee-bench',
    );
    expect(defaultCacheDir({}, '/home/u')).toBe('/home/u/.cache/levee-bench');
    expect(defaultCacheDir({ XDG_CACHE_HOME: '' }, '/home/u')).toBe('/home/u/.cache/levee-bench');
    // The XDG spec ignores a relative path.
    expect(defaultCacheDir({ XDG_CACHE_HOME: 'rel' }, '/home/u')).toBe(
      '/home/u/.cache/levee-bench',
    );
  });

  it('canonical JSON sorts object keys at every level, keeps array order', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, 1], c: null } })).toBe(
      '{"a":{"c":null,"d":[2,1]},"b":1}',
    );
    expect(canonicalJson({ a: 1, b: 2 })).toBe(canonicalJson({ b: 2, a: 1 }));
  });

  it('finds the run-time imports of a module, not its type-only ones', () => {
    const source = [
      "import { a } from './a.js';",
      "import type { T } from './types.js';",
      'import {',
      '  b,',
      '  type U,',
      "} from '../b.js';",
      "export { c } from './c.js';",
      "export type { V } from './v.js';",
      "export * from './d.js';",
      "import './side-effect.js';",
      "import Pkg from '@scope/pkg/sub';",
      " * import { fake } from './comment.js';",
      "const lazy = () => import('./lazy.js');",
    ].join('\n');
    expect(importSpecifiers(source).sort()).toEqual(
      [
        './a.js',
        '../b.js',
        './c.js',
        './d.js',
        './side-effect.js',
        '@scope/pkg/sub',
        './lazy.js',
      ].sort(),
    );
  });
});

/**
 * A small tree shaped like the bench's: suites/index → a runner → the
 * registry (three candidate modules, one with two entries) and the simulator;
 * a package linked from the workspace (imported by candidate a and directly
 * by the runner), one installed from the registry with a dependency
 * (candidate c); and CLI and report modules nothing imports.
 */
function buildTree(base: string): string {
  write(join(base, 'package.json'), '{ "type": "module", "private": true }\n');
  const dist = join(base, 'bench', 'dist');
  write(
    join(dist, 'suites', 'index.js'),
    "import { run } from './runner.js';\nexport const RUNNERS = { run };\n",
  );
  write(
    join(dist, 'suites', 'runner.js'),
    [
      "import { CANDIDATES } from '../candidates/registry.js';",
      "import { step } from '../sim/step.js';",
      "import { helper } from 'linked';",
      'export function run(p) { return [CANDIDATES.length, step, helper(), p]; }',
    ].join('\n'),
  );
  write(join(dist, 'sim', 'step.js'), 'export const step = 1;\n');
  write(
    join(dist, 'candidates', 'registry.js'),
    [
      "import { A_ENTRIES } from './a.js';",
      "import { B_ENTRIES } from './b.js';",
      "import { C_ENTRIES } from './c.js';",
      "import { check } from './entry.js';",
      'export const CANDIDATES = check([...A_ENTRIES, ...B_ENTRIES, ...C_ENTRIES]);',
    ].join('\n'),
  );
  write(join(dist, 'candidates', 'entry.js'), 'export function check(e) { return e; }\n');
  write(
    join(dist, 'candidates', 'a.js'),
    [
      "import { helper } from 'linked';",
      "import { shared } from './peers/shared.js';",
      "export const A_ENTRIES = [{ key: 'a', create: () => ({ helper, shared }) }];",
    ].join('\n'),
  );
  write(
    join(dist, 'candidates', 'b.js'),
    "import { shared } from './peers/shared.js';\nexport const B_ENTRIES = [{ key: 'b', create: () => shared }];\n",
  );
  write(
    join(dist, 'candidates', 'c.js'),
    [
      "import pub from 'published';",
      "export const C_ENTRIES = [{ key: 'c', create: () => pub }, { key: 'c2', create: () => pub }];",
    ].join('\n'),
  );
  write(join(dist, 'candidates', 'peers', 'shared.js'), 'export const shared = 2;\n');
  write(join(dist, 'cli', 'main.js'), "import '../suites/index.js';\n");
  write(join(dist, 'report', 'page.js'), 'export const page = 3;\n');
  write(join(dist, 'README.md'), 'notes\n');
  // The workspace package, linked into node_modules.
  write(
    join(base, 'linked', 'package.json'),
    '{ "name": "linked", "version": "1.0.0", "type": "module", "exports": { ".": { "types": "./dist/index.d.ts", "default": "./dist/index.js" } } }\n',
  );
  write(
    join(base, 'linked', 'dist', 'index.js'),
    "import { u } from './util.js';\nexport const helper = () => u;\n",
  );
  write(join(base, 'linked', 'dist', 'util.js'), 'export const u = 4;\n');
  write(join(base, 'linked', 'src', 'index.ts'), 'export const helper = () => 4;\n');
  mkdirSync(join(base, 'node_modules'), { recursive: true });
  symlinkSync('../linked', join(base, 'node_modules', 'linked'));
  // A package from the registry, with a dependency.
  write(
    join(base, 'node_modules', 'published', 'package.json'),
    '{ "name": "published", "version": "2.0.0", "main": "index.js", "dependencies": { "dep": "^1.0.0" } }\n',
  );
  write(join(base, 'node_modules', 'published', 'index.js'), 'module.exports = 5;\n');
  write(
    join(base, 'node_modules', 'dep', 'package.json'),
    '{ "name": "dep", "version": "1.2.3", "main": "index.js" }\n',
  );
  write(join(base, 'node_modules', 'dep', 'index.js'), 'module.exports = 6;\n');
  return dist;
}

const JOBS = [
  { runner: 'run', params: { candidate: 'a', seed: 1 } },
  { runner: 'run', params: { candidate: 'b', seed: 1 } },
  { runner: 'run', params: { candidate: 'c', seed: 1 } },
  { runner: 'run', params: { candidate: 'c2', seed: 1 } },
  { runner: 'run', params: { governor: 'a' } },
  { runner: 'run', params: { governor: 'own-governor' } },
  { runner: 'run', params: { candidates: ['b', 'c'] } },
  { runner: 'run', params: { seed: 1 } },
  { runner: 'run', params: { candidate: 'unknown' } },
] as const;
/** Indices of JOBS that depend on each candidate (naming none or an unknown one: all). */
const USES = {
  a: [0, 4, 7, 8],
  b: [1, 6, 7, 8],
  c: [2, 6, 7, 8],
  c2: [3, 7, 8],
};
const ALL = JOBS.map((_, i) => i);
const NONE: number[] = [];
const union = (...sets: number[][]) => [...new Set(sets.flat())].sort((x, y) => x - y);

describe('the cache key, on a synthetic tree', () => {
  const base = join(tmp, 'tree');
  let dist: string;
  beforeAll(() => {
    dist = buildTree(base);
  });

  /** The keys of JOBS with `edit` applied to the files it names (a fresh fingerprint each time). */
  const keys = async (edits: Record<string, (text: string) => string> = {}, root = dist) => {
    const reader: CodeReader = {
      readFile: (path) => {
        const text = readFileSync(path);
        const rel = path.startsWith(`${dirname(dirname(root))}/`)
          ? path.slice(dirname(dirname(root)).length + 1)
          : path;
        const edit = edits[rel];
        return edit === undefined ? text : Buffer.from(edit(text.toString('utf8')));
      },
      importModule: (path) => import(path) as Promise<Record<string, unknown>>,
    };
    const cache = new ResultCache(join(tmp, 'unused'), new CodeFingerprint(root, reader));
    return Promise.all(JOBS.map((job) => cache.key(job)));
  };
  const changed = async (edits: Record<string, (text: string) => string>) => {
    const [before, after] = [await keys(), await keys(edits)];
    return ALL.filter((i) => before[i] !== after[i]);
  };
  const append = (text: string) => `${text}// edited\n`;

  it('is stable, distinct per job, and independent of where the tree lives', async () => {
    const first = await keys();
    expect(await keys()).toEqual(first);
    expect(new Set(first).size).toBe(JOBS.length);
    const moved = join(tmp, 'moved');
    cpSync(base, moved, { recursive: true, verbatimSymlinks: true });
    expect(await keys({}, join(moved, 'bench', 'dist'))).toEqual(first);
  });

  it('misses for exactly the jobs of a candidate whose code changed (its module and local imports)', async () => {
    expect(await changed({ 'bench/dist/candidates/a.js': append })).toEqual(USES.a);
    expect(await changed({ 'bench/dist/candidates/b.js': append })).toEqual(USES.b);
    // One module, two entries.
    expect(await changed({ 'bench/dist/candidates/c.js': append })).toEqual(union(USES.c, USES.c2));
    // A helper two candidates import.
    expect(await changed({ 'bench/dist/candidates/peers/shared.js': append })).toEqual(
      union(USES.a, USES.b),
    );
  });

  it('misses for the jobs of the candidates using a package whose code or version changed', async () => {
    // The linked package by its files (the runner imports it too: it counts for candidate a).
    expect(await changed({ 'linked/dist/util.js': append })).toEqual(USES.a);
    expect(
      await changed({ 'linked/package.json': (t) => t.replace('"1.0.0"', '"1.0.1"') }),
    ).toEqual(USES.a);
    // A registry package by its version and its dependencies' versions, not by its files.
    const cJobs = union(USES.c, USES.c2);
    expect(
      await changed({
        'node_modules/published/package.json': (t) => t.replace('"2.0.0"', '"2.0.1"'),
      }),
    ).toEqual(cJobs);
    expect(
      await changed({ 'node_modules/dep/package.json': (t) => t.replace('"1.2.3"', '"1.2.4"') }),
    ).toEqual(cJobs);
    expect(await changed({ 'node_modules/published/index.js': append })).toEqual(NONE);
  });

  it('misses for every job when the simulator changed', async () => {
    for (const file of [
      'bench/dist/sim/step.js',
      'bench/dist/suites/runner.js',
      'bench/dist/suites/index.js',
      'bench/dist/candidates/registry.js',
      'bench/dist/candidates/entry.js',
    ]) {
      expect(await changed({ [file]: append })).toEqual(ALL);
    }
  });

  it('hits when nothing the jobs run changed', async () => {
    for (const file of [
      'bench/dist/cli/main.js',
      'bench/dist/report/page.js',
      'bench/dist/README.md',
      'linked/src/index.ts',
    ]) {
      expect(await changed({ [file]: append })).toEqual(NONE);
    }
  });

  it('misses when any parameter or the runner changes; not for the order of keys', async () => {
    const cache = new ResultCache(join(tmp, 'unused'), new CodeFingerprint(dist));
    const params = {
      candidate: 'a',
      seed: 20241225,
      specs: [
        { rpm: 6000, errorRate: 0.005, durationS: 60, p50Ms: 50, p99Ms: 150, timeoutMs: 1500 },
        { rpm: 90000, errorRate: 0.6, durationS: 120, p50Ms: 500, p99Ms: 1200, timeoutMs: 1500 },
      ],
      backend: { replicas: { min: 1, max: 8 }, queueDepthPerReplica: 50, crash: true },
      slo: { successRate: 0.9, timeoutMs: 1500 },
    };
    const base = await cache.key({ runner: 'run', params });
    const reverse = (v: unknown): unknown =>
      v === null || typeof v !== 'object'
        ? v
        : Array.isArray(v)
          ? v.map(reverse)
          : Object.fromEntries(
              Object.entries(v)
                .reverse()
                .map(([k, x]) => [k, reverse(x)]),
            );
    const reversed = reverse(params);
    expect(JSON.stringify(reversed)).not.toBe(JSON.stringify(params));
    expect(await cache.key({ runner: 'run', params: reversed })).toBe(base);
    expect(await cache.key({ runner: 'other', params })).not.toBe(base);
    // Every leaf, changed on its own.
    const leaves: string[][] = [];
    const visit = (v: unknown, path: string[]): void => {
      if (v !== null && typeof v === 'object') {
        for (const [k, x] of Object.entries(v)) visit(x, [...path, k]);
      } else leaves.push(path);
    };
    visit(params, []);
    expect(leaves.length).toBeGreaterThan(15);
    const seen = new Set([base]);
    for (const path of leaves) {
      const copy = structuredClone(params) as Record<string, unknown>;
      let node = copy as Record<string, unknown>;
      for (const k of path.slice(0, -1)) node = node[k] as Record<string, unknown>;
      const last = path.at(-1) as string;
      const v = node[last];
      node[last] = typeof v === 'number' ? v + 1 : typeof v === 'boolean' ? !v : `${v}x`;
      if (path[0] === 'candidate') node[last] = 'b';
      const k = await cache.key({ runner: 'run', params: copy });
      expect(seen.has(k), path.join('.')).toBe(false);
      seen.add(k);
    }
    // An added or a removed field misses too.
    expect(await cache.key({ runner: 'run', params: { ...params, extra: 0 } })).not.toBe(base);
    const { slo: _slo, ...noSlo } = params;
    expect(await cache.key({ runner: 'run', params: noSlo })).not.toBe(base);
  });
});

/** Every job `levee-bench all --candidates all --specs 0-7` plans, deduplicated. */
function allJobs(): Job[] {
  const ctx = {
    suites: SUITES,
    candidates: CANDIDATES.map((c) => ({ key: c.key, description: c.description })),
    candidateGroups: CANDIDATE_GROUPS,
    maxJobs: 2,
  };
  const command = parseCommandLine(
    ['all', '--candidates', 'all', '--specs', '0-7'],
    ctx,
  ) as RunCommand;
  const jobs = new Map<string, Job>();
  for (const suite of SUITES.filter((s) => s.standalone !== true)) {
    const options = { ...command.options };
    if (!acceptsShared(suite, 'candidates')) delete options.candidates;
    for (const job of suite.jobs(suite.plan(options))) {
      jobs.set(`${job.runner}\u0000${JSON.stringify(job.params)}`, job);
    }
  }
  return [...jobs.values()];
}

describe('the cache key, on the bench itself', () => {
  const jobs = allJobs();
  const root = benchRoot();
  const workspace = dirname(dirname(dirname(root)));
  const keysWith = async (edit: (path: string) => boolean) => {
    const reader: CodeReader = {
      readFile: (path) => {
        const bytes = readFileSync(path);
        return edit(path) ? Buffer.concat([bytes, Buffer.from('\n// edited\n')]) : bytes;
      },
      importModule: (path) => import(path) as Promise<Record<string, unknown>>,
    };
    const cache = new ResultCache(join(tmp, 'unused'), new CodeFingerprint(root, reader));
    return Promise.all(jobs.map((job) => cache.key(job)));
  };
  const names = (job: Job): string[] => {
    const p = job.params as { candidate?: string; governor?: string };
    return [p.candidate, p.governor].filter((x): x is string => x !== undefined);
  };
  // A job naming a candidate the registry does not know (the faults suite's
  // schedule oracle) conservatively depends on every candidate.
  const known = new Set(CANDIDATES.map((c) => c.key));
  const unknownCandidate = (job: Job): boolean => {
    const c = (job.params as { candidate?: unknown }).candidate;
    return typeof c === 'string' && !known.has(c);
  };
  let plain: string[];
  beforeAll(async () => {
    plain = await keysWith(() => false);
  });

  it('plans jobs of every runner, Levee and others among them', () => {
    expect(new Set(jobs.map((j) => j.runner))).toEqual(
      new Set(['closed-loop', 'cooperation', 'prescient', 'mesh', 'faults']),
    );
    expect(jobs.filter((j) => names(j).includes('levee')).length).toBeGreaterThan(10);
    expect(new Set(plain).size).toBe(jobs.length);
  });

  it("changing only Levee's code changes only the keys of Levee's simulations", async () => {
    const levee = join(workspace, 'packages', 'levee', 'dist');
    const after = await keysWith((path) => path.startsWith(levee));
    const changed = jobs.filter((_, i) => after[i] !== plain[i]);
    const leveeJobs = jobs.filter((j) => names(j).includes('levee') || unknownCandidate(j));
    expect(changed).toEqual(leveeJobs);
    // The same for the bench's Levee adapter.
    const adapter = await keysWith((path) => /candidates[/\\]levee\.[jt]s$/.test(path));
    expect(jobs.filter((_, i) => adapter[i] !== plain[i])).toEqual(leveeJobs);
  });

  it("changing one peer changes only that peer's keys; the simulator, all of them", async () => {
    const aimd = await keysWith((path) => /peers[/\\]aimd\.[jt]s$/.test(path));
    expect(jobs.filter((_, i) => aimd[i] !== plain[i])).toEqual(
      jobs.filter((j) => names(j).includes('aimd') || unknownCandidate(j)),
    );
    const backend = await keysWith((path) => /sim[/\\]backend[/\\]backend\.[jt]s$/.test(path));
    expect(backend.every((k, i) => k !== plain[i])).toBe(true);
    const cli = await keysWith((path) => /[/\\](cli|report)[/\\](main|page)\.[jt]s$/.test(path));
    expect(cli).toEqual(plain);
  });
});

/** A tiny workload: one calm minute (about 6,000 requests). */
const WORKLOAD = join(tmp, 'minute.json');
write(
  WORKLOAD,
  JSON.stringify([
    { rpm: 6000, errorRate: 0.005, durationS: 60, p50Ms: 50, p99Ms: 150, timeoutMs: 1500 },
    { rpm: 60000, errorRate: 0.6, durationS: 30, p50Ms: 500, p99Ms: 1200, timeoutMs: 1500 },
  ]),
);
const ARGS = ['closed-loop', '--workload', WORKLOAD, '--candidates', 'no-cb,levee,aimd'];

/** Runs the CLI in-process with the real runners, counting the simulations it runs. */
async function cli(argv: string[], env: { defaultCacheDir?: string } = {}) {
  const stdout: string[] = [];
  const stderr: string[] = [];
  let runs = 0;
  const inner = inlineExecutor();
  const executor: JobExecutor = (job, onProgress, signal) => {
    runs++;
    return inner(job, onProgress, signal);
  };
  const code = await main(argv, {
    stdout: { write: (s: string) => stdout.push(s) },
    stderr: { write: (s: string) => stderr.push(s), isTTY: false },
    executor,
    cwd: tmp,
    ...env,
  });
  return { code, runs, out: stdout.join(''), err: stderr.join('') };
}

const cacheFiles = (dir: string): string[] =>
  existsSync(dir)
    ? readdirSync(dir, { recursive: true, withFileTypes: true })
        .filter((d) => d.isFile())
        .map((d) => join(d.parentPath, d.name))
        .sort()
    : [];

describe('levee-bench with the cache', () => {
  const dir = join(tmp, 'cli-cache');
  const json = (name: string) => join(tmp, `${name}.json`);
  const file = (name: string) => readFileSync(join(tmp, name), 'utf8');
  let fresh: Awaited<ReturnType<typeof cli>>;

  beforeAll(async () => {
    fresh = await cli([...ARGS, '--json', json('fresh')]);
  });

  it('gives byte-identical output cold, warm and without the cache; warm runs nothing', async () => {
    expect(fresh.code).toBe(0);
    expect(fresh.runs).toBe(3);
    expect(fresh.err).not.toContain('from the cache');
    const cold = await cli([...ARGS, '--cache', dir, '--json', json('cold')]);
    expect(cold.runs).toBe(3);
    expect(cold.err).toContain(`cache ${dir}: 0 of 3 simulation(s) from the cache, 3 stored`);
    expect(cacheFiles(dir)).toHaveLength(3);
    const warm = await cli([...ARGS, '--cache', dir, '--json', json('warm')]);
    expect(warm.code).toBe(0);
    expect(warm.runs).toBe(0);
    expect(warm.err).toContain(`cache ${dir}: 3 of 3 simulation(s) from the cache, 0 stored`);
    for (const run of [cold, warm]) expect(run.out).toBe(fresh.out);
    expect(file('cold.json')).toBe(file('fresh.json'));
    expect(file('warm.json')).toBe(file('fresh.json'));
  });

  it('reruns only what a parameter change touches', async () => {
    const more = await cli([...ARGS.slice(0, -1), 'no-cb,levee,aimd,static-bau', '--cache', dir]);
    expect(more.runs).toBe(1);
    const seed = await cli([...ARGS, '--seed', '7', '--cache', dir]);
    expect(seed.runs).toBe(3);
  });

  it('--no-cache bypasses the cache; it cannot go with --cache', async () => {
    const bypass = await cli([...ARGS, '--no-cache', '--json', json('bypass')]);
    expect(bypass.runs).toBe(3);
    expect(bypass.err).not.toContain('from the cache');
    expect(file('bypass.json')).toBe(file('fresh.json'));
    const both = await cli([...ARGS, '--cache', dir, '--no-cache']);
    expect(both.code).toBe(2);
    expect(both.err).toContain('options --cache and --no-cache cannot be used together');
    write(join(tmp, 'a-file'), 'x');
    const notDir = await cli([...ARGS, '--cache', 'a-file']);
    expect(notDir.code).toBe(2);
    expect(notDir.err).toContain(
      'invalid value for --cache: "a-file" (exists and is not a directory)',
    );
  });

  it('never serves an untraced result to a traced run; a traced one serves both', async () => {
    const d = join(tmp, 'trace-cache');
    const report = (name: string) => ['--report', join(tmp, `${name}.html`)];
    const reference = await cli([...ARGS, ...report('reference')]);
    expect(reference.runs).toBe(3);
    expect((await cli([...ARGS, '--cache', d])).runs).toBe(3); // untraced entries
    const traced = await cli([...ARGS, '--cache', d, ...report('traced')]);
    expect(traced.runs).toBe(3); // they hold no trace: run again, and store the traces
    expect(traced.err).toContain('0 of 3 simulation(s) from the cache, 3 stored');
    const untraced = await cli([...ARGS, '--cache', d, '--json', json('untraced')]);
    expect(untraced.runs).toBe(0);
    expect(file('untraced.json')).toBe(file('fresh.json'));
    const again = await cli([...ARGS, '--cache', d, ...report('again')]);
    expect(again.runs).toBe(0);
    expect(file('again.html')).toBe(file('reference.html'));
    expect(file('traced.html')).toBe(file('reference.html'));
  });

  it('ignores corrupt files with a warning, reruns their simulations, and repairs them', async () => {
    const d = join(tmp, 'corrupt-cache');
    await cli([...ARGS, '--cache', d]);
    const files = cacheFiles(d);
    expect(files).toHaveLength(3);
    const [garbage, flipped, truncated] = files as [string, string, string];
    writeFileSync(garbage, 'not a cache file at all, but long enough to have a header');
    const bytes = readFileSync(flipped);
    bytes[bytes.length - 1] = (bytes[bytes.length - 1] as number) ^ 0xff;
    writeFileSync(flipped, bytes);
    writeFileSync(truncated, readFileSync(truncated).subarray(0, 20));
    const run = await cli([...ARGS, '--cache', d, '--json', json('repaired')]);
    expect(run.code).toBe(0);
    expect(run.runs).toBe(3);
    expect(file('repaired.json')).toBe(file('fresh.json'));
    expect(run.err).toContain(`ignored cache file ${garbage} (not a levee-bench cache file)`);
    expect(run.err).toContain(`ignored cache file ${flipped} (checksum mismatch)`);
    expect(run.err).toContain(`ignored cache file ${truncated} (truncated)`);
    expect(run.err).toContain('3 corrupt file(s) ignored');
    expect((await cli([...ARGS, '--cache', d])).runs).toBe(0);
    // A valid file under the wrong name is not trusted either.
    writeFileSync(files[1] as string, readFileSync(files[0] as string));
    const swapped = await cli([...ARGS, '--cache', d]);
    expect(swapped.runs).toBe(1);
    expect(swapped.err).toContain(`ignored cache file ${files[1]} (stored under another key)`);
  });

  it('warns and carries on when the cache cannot be written', async () => {
    write(join(tmp, 'a-file'), 'x');
    const run = await cli([...ARGS, '--cache', join(tmp, 'a-file', 'sub'), '--json', json('ro')]);
    expect(run.code).toBe(0);
    expect(run.runs).toBe(3);
    expect(run.err).toMatch(/warning: cannot write to the cache .*a-file\/sub/);
    expect(file('ro.json')).toBe(file('fresh.json'));
  });
});

describe('`all` and the default cache', () => {
  it('caches in the default folder unless --no-cache; suites only with --cache', async () => {
    const d = join(tmp, 'default-cache');
    const all = ['all', '--suites', 'closed-loop', '--workload', WORKLOAD, '--candidates', 'no-cb'];
    const cold = await cli(all, { defaultCacheDir: d });
    expect(cold.runs).toBe(1);
    expect(cold.err).toContain(`cache ${d}: 0 of 1 simulation(s) from the cache, 1 stored`);
    expect((await cli(all, { defaultCacheDir: d })).runs).toBe(0);
    expect((await cli([...all, '--no-cache'], { defaultCacheDir: d })).runs).toBe(1);
    const suite = await cli(['closed-loop', '--workload', WORKLOAD, '--candidates', 'no-cb'], {
      defaultCacheDir: d,
    });
    expect(suite.runs).toBe(1);
    expect(suite.err).not.toContain('from the cache');
  });

  it('defaults to the user folder only for the real executor and suites', () => {
    expect(resolveEnvironment({}).defaultCacheDir).toBe(defaultCacheDir());
    expect(resolveEnvironment({ executor: inlineExecutor() }).defaultCacheDir).toBeUndefined();
    expect(resolveEnvironment({ suites: SUITES }).defaultCacheDir).toBeUndefined();
    expect(resolveEnvironment({ defaultCacheDir: '/x' }).defaultCacheDir).toBe('/x');
  });
});

describe('the cache file', () => {
  it('returns exactly what was stored, in the encoding worker threads use', async () => {
    const fp = new CodeFingerprint(benchRoot());
    const cache = new ResultCache(join(tmp, 'values'), fp);
    const value = { nan: Number.NaN, inf: -Infinity, negZero: -0, none: undefined, list: [1, 2.5] };
    let calls = 0;
    const inner: JobExecutor = async () => {
      calls++;
      return value;
    };
    const job = { runner: 'closed-loop', params: { candidate: 'aimd' }, label: 'x', cost: 1 };
    const run = cache.wrap(inner);
    const signal = new AbortController().signal;
    expect(await run(job, () => {}, signal)).toBe(value);
    const hit = (await run(job, () => {}, signal)) as typeof value;
    expect(calls).toBe(1);
    expect(hit).toStrictEqual(value);
    expect(Object.is(hit.negZero, -0)).toBe(true);
    expect('none' in hit).toBe(true);
    expect(cache.stats).toEqual({ hits: 1, stored: 1, corrupt: 0 });
    expect(cacheFiles(join(tmp, 'values'))).toEqual([cache.path(await cache.key(job))]);
  });
});
