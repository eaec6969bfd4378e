/**
 * The import graph of src/candidates: no cycles (type-only imports count
 * too), and no relative import leaving the folder (a cycle through another
 * folder would otherwise go unseen).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../src/candidates');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
    d.isDirectory()
      ? sourceFiles(join(dir, d.name))
      : d.name.endsWith('.ts')
        ? [join(dir, d.name)]
        : [],
  );
}

/** Module specifiers of `import … from`, `export … from` and bare `import '…'` statements. */
function specifiers(source: string): string[] {
  const out: string[] = [];
  const re = /^\s*(?:import|export)\s(?:[^'";]*?\sfrom\s)?\s*['"]([^'"]+)['"]/gm;
  for (const m of source.matchAll(re)) out.push(m[1]!);
  return out;
}

/** The relative imports of each file, as paths relative to `root` (`.js` specifiers name `.ts` files). */
function importGraph(root: string): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of sourceFiles(root)) {
    const deps = specifiers(readFileSync(file, 'utf8'))
      .filter((s) => s.startsWith('.'))
      .map((s) => relative(root, resolve(dirname(file), s.replace(/\.js$/, '.ts'))));
    graph.set(relative(root, file), deps);
  }
  return graph;
}

/** One cycle of `graph` as a path that starts and ends at the same node, or undefined. */
function findCycle(graph: ReadonlyMap<string, readonly string[]>): string[] | undefined {
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  const visit = (node: string): string[] | undefined => {
    if (state.get(node) === 'done') return undefined;
    if (state.get(node) === 'open') return [...path.slice(path.indexOf(node)), node];
    state.set(node, 'open');
    path.push(node);
    for (const next of graph.get(node) ?? []) {
      const cycle = visit(next);
      if (cycle !== undefined) return cycle;
    }
    path.pop();
    state.set(node, 'done');
    return undefined;
  };
  for (const node of [...graph.keys()].sort()) {
    const cycle = visit(node);
    if (cycle !== undefined) return cycle;
  }
  return undefined;
}

describe('src/candidates imports', () => {
  const graph = importGraph(ROOT);

  it('reads the import statements of the real files', () => {
    expect(graph.get('registry.ts')).toContain('entry.ts');
    expect(graph.get('registry.ts')).toContain('peers/aimd.ts');
    expect(graph.get('peers/aimd.ts')).toEqual(['entry.ts', 'peers/limiter.ts']);
    expect(
      specifiers(
        "import type { A } from './a.js';\nimport {\n  b,\n  c,\n} from '../b.js';\nexport { d } from './d.js';\nimport './e.js';\nconst s = 'import x from \"./no.js\"';\n",
      ),
    ).toEqual(['./a.js', '../b.js', './d.js', './e.js']);
  });

  it('stay inside the folder', () => {
    const outside = [...graph].flatMap(([file, deps]) =>
      deps.filter((d) => d.startsWith('..')).map((d) => `${file} -> ${d}`),
    );
    expect(outside).toEqual([]);
  });

  it('have no cycle', () => {
    expect(findCycle(graph)).toBeUndefined();
  });

  it('the cycle check finds a cycle, type-only or not', () => {
    const cyclic = new Map([
      ['registry.ts', ['entry.ts', 'peers/index.ts']],
      ['peers/index.ts', ['peers/aimd.ts', 'registry.ts']],
      ['peers/aimd.ts', ['entry.ts']],
      ['entry.ts', []],
    ]);
    expect(findCycle(cyclic)).toEqual(['peers/index.ts', 'registry.ts', 'peers/index.ts']);
    expect(findCycle(new Map([['a.ts', ['a.ts']]]))).toEqual(['a.ts', 'a.ts']);
    cyclic.set('peers/index.ts', ['peers/aimd.ts']);
    expect(findCycle(cyclic)).toBeUndefined();
  });
});
