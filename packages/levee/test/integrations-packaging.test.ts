import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  exports: Record<string, string | Record<string, string>>;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
};

const SUBPATHS = ['registry', 'fetch', 'undici', 'http', 'express', 'fastify'];
const INTEGRATION_FILES = [...SUBPATHS, 'shared'];

/** Relative modules imported (statically or dynamically) by a source file. */
function imports(file: string): string[] {
  const text = readFileSync(join(root, 'src', file), 'utf8');
  const out: string[] = [];
  for (const m of text.matchAll(/(?:from|import)\s*\(?\s*'(\.\/[^']+)'/g)) out.push(m[1]!);
  return out;
}

/** Every source file reachable from `entry` through relative imports. */
function closure(entry: string): Set<string> {
  const seen = new Set<string>();
  const todo = [entry];
  while (todo.length > 0) {
    const file = todo.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    for (const spec of imports(file)) todo.push(spec.replace(/^\.\//, '').replace(/\.js$/, '.ts'));
  }
  return seen;
}

describe('integration subpaths: packaging', () => {
  it('exports every integration as a subpath, types condition first', () => {
    for (const name of SUBPATHS) {
      const entry = pkg.exports[`./${name}`];
      expect(entry, name).toEqual({
        types: `./dist/${name}.d.ts`,
        default: `./dist/${name}.js`,
      });
      expect(Object.keys(entry as object)[0]).toBe('types');
      expect(existsSync(join(root, 'src', `${name}.ts`))).toBe(true);
    }
  });

  it('keeps third-party packages as optional peers, never dependencies', () => {
    expect(pkg.dependencies ?? {}).toEqual({});
    for (const name of ['express', 'fastify', 'undici']) {
      expect(pkg.peerDependencies?.[name], name).toBeTypeOf('string');
      expect(pkg.peerDependenciesMeta?.[name]?.optional, name).toBe(true);
    }
  });

  it('the core entry point imports none of the integration files', () => {
    const core = closure('index.ts');
    for (const name of INTEGRATION_FILES) expect(core.has(`${name}.ts`), name).toBe(false);
  });

  it('integration files import third-party packages for types only', () => {
    let seen = 0;
    for (const name of INTEGRATION_FILES) {
      const text = readFileSync(join(root, 'src', `${name}.ts`), 'utf8');
      for (const m of text.matchAll(/^import\s+(type\s+)?[^;]*?from\s+'([^'.][^']*)'/gm)) {
        expect(m[1], `${name}.ts imports ${m[2]} at runtime`).toBe('type ');
        seen++;
      }
    }
    expect(seen).toBeGreaterThanOrEqual(4); // node:http ×2, fastify, undici
  });
});
