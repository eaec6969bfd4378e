/**
 * The floor plan of src/: folders import each other in one direction only.
 * The relative import specifiers of every source file are read (static,
 * type-only, re-exports and dynamic imports alike), resolved to files, and
 * folded into a graph of folders, which must have no cycle: at the top
 * (sim, candidates, report, suites, cli) and inside sim/ and suites/ (each
 * part of the simulation, each suite, the suites' shared helpers, and the
 * files directly in the folder as one more node). report/ renders pages and
 * must not know the suites or the CLI. Files do not import in a circle either.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = resolve(dirname(fileURLToPath(import.meta.url)), '../src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.(ts|js|mjs)$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

/** Relative specifiers of `import … from`, `export … from`, `import '…'` and `import('…')`. */
export function importSpecifiers(text: string): string[] {
  const out: string[] = [];
  const patterns = [
    /^\s*(?:import|export)\b[^;'"]*?\bfrom\s*['"](\.{1,2}\/[^'"]+)['"]/gm,
    /^\s*import\s*['"](\.{1,2}\/[^'"]+)['"]/gm,
    /\bimport\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)/g,
  ];
  for (const pattern of patterns) for (const m of text.matchAll(pattern)) out.push(m[1]!);
  return out;
}

/** File → the files it imports (paths relative to src/, `/`-separated). */
function fileGraph(): Map<string, string[]> {
  const files = sourceFiles(SRC);
  const known = new Set(files);
  const graph = new Map<string, string[]>();
  for (const file of files) {
    const targets = importSpecifiers(readFileSync(file, 'utf8')).map((spec) => {
      const target = resolve(dirname(file), spec);
      const asTs = target.replace(/\.js$/, '.ts');
      return known.has(asTs) ? asTs : target;
    });
    const rel = (p: string): string => relative(SRC, p).split(sep).join('/');
    graph.set(rel(file), targets.map(rel));
  }
  return graph;
}

/**
 * The folder graph below `root` ('' for src/ itself): a file's node is its
 * first folder below `root`, or `.` for a file directly in `root`; imports
 * leaving `root` are ignored.
 */
export function folderGraph(files: Map<string, string[]>, root: string): Map<string, Set<string>> {
  const prefix = root === '' ? '' : `${root}/`;
  const node = (file: string): string | undefined => {
    if (!file.startsWith(prefix)) return undefined;
    const rest = file.slice(prefix.length).split('/');
    return rest.length === 1 ? '.' : rest[0];
  };
  const graph = new Map<string, Set<string>>();
  for (const [file, targets] of files) {
    const from = node(file);
    if (from === undefined) continue;
    if (!graph.has(from)) graph.set(from, new Set());
    for (const target of targets) {
      const to = node(target);
      if (to !== undefined && to !== from) graph.get(from)!.add(to);
    }
  }
  return graph;
}

/** A cycle of `graph` as a path (first node repeated at the end), or undefined. */
export function findCycle(graph: ReadonlyMap<string, ReadonlySet<string>>): string[] | undefined {
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  const visit = (n: string): string[] | undefined => {
    if (state.get(n) === 'done') return undefined;
    if (state.get(n) === 'open') return [...path.slice(path.indexOf(n)), n];
    state.set(n, 'open');
    path.push(n);
    for (const m of [...(graph.get(n) ?? [])].sort()) {
      const cycle = visit(m);
      if (cycle !== undefined) return cycle;
    }
    path.pop();
    state.set(n, 'done');
    return undefined;
  };
  for (const n of [...graph.keys()].sort()) {
    const cycle = visit(n);
    if (cycle !== undefined) return cycle;
  }
  return undefined;
}

describe('the graph check itself', () => {
  it('reads every kind of relative import, and no package or commented-out one', () => {
    const text = `import { a } from './a.js';
import type {
  B,
  C,
} from "../b/c.js";
export { d } from './d.js';
export * from './e.js';
import './side-effect.js';
const f = await import('./f.js');
import { readFileSync } from 'node:fs';
// import { g } from './g.js';
 * import { h } from './h.js'`;
    expect(importSpecifiers(text)).toEqual([
      './a.js',
      '../b/c.js',
      './d.js',
      './e.js',
      './side-effect.js',
      './f.js',
    ]);
  });

  it('finds a cycle through folders, and none in a layered graph', () => {
    const files = new Map([
      ['x/one.ts', ['y/two.ts']],
      ['y/two.ts', ['z/three.ts']],
      ['z/three.ts', ['x/deep/four.ts']],
      ['x/deep/four.ts', []],
    ]);
    expect(findCycle(folderGraph(files, ''))).toEqual(['x', 'y', 'z', 'x']);
    expect(findCycle(folderGraph(files, 'x'))).toBeUndefined();
    files.set('z/three.ts', ['x/deep/four.ts']);
    files.set('x/deep/four.ts', ['z/five.ts']);
    expect(findCycle(folderGraph(files, 'x'))).toBeUndefined();
    files.set('z/three.ts', []);
    expect(findCycle(folderGraph(files, ''))).toBeUndefined();
  });
});

describe('src/ folders', () => {
  const files = fileGraph();

  it('finds the source and its imports', () => {
    expect(files.size).toBeGreaterThan(50);
    expect(files.get('cli/main.ts')).toContain('suites/index.ts');
  });

  it.each(['', 'sim', 'suites'])('import each other without a cycle (in src/%s)', (root) => {
    const graph = folderGraph(files, root);
    expect(graph.size).toBeGreaterThan(3);
    expect(findCycle(graph)).toBeUndefined();
  });

  it('no file imports itself through others', () => {
    const graph = new Map([...files].map(([file, targets]) => [file, new Set(targets)]));
    expect(findCycle(graph)).toBeUndefined();
  });

  it('report/ imports neither the suites nor the CLI', () => {
    const report = [...(folderGraph(files, '').get('report') ?? [])];
    expect(report).not.toContain('suites');
    expect(report).not.toContain('cli');
  });

  it('the suites do not import the CLI, nor the simulation the suites', () => {
    const top = folderGraph(files, '');
    expect([...(top.get('suites') ?? [])]).not.toContain('cli');
    for (const low of ['sim', 'candidates', 'report']) {
      expect([...(top.get(low) ?? [])], low).not.toContain('suites');
    }
  });
});
