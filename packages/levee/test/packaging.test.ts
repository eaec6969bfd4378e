import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, posix } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  exports: Record<string, string | Record<string, string>>;
  files: string[];
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
};

/** Every subpath export and the source file (under src/) it is built from. */
const SUBPATHS: Record<string, string> = {
  '.': 'index.ts',
  './registry': 'registry.ts',
  './fetch': 'integrations/fetch.ts',
  './undici': 'integrations/undici.ts',
  './http': 'integrations/http.ts',
  './express': 'integrations/express.ts',
  './fastify': 'integrations/fastify.ts',
  './prometheus': 'observability/prometheus.ts',
  './otel': 'observability/otel.ts',
  './dashboard': 'observability/dashboard.ts',
};

/** Source files (relative to src/, posix) of one folder. */
function folder(dir: string): string[] {
  return readdirSync(join(root, 'src', dir))
    .filter((f) => f.endsWith('.ts'))
    .map((f) => `${dir}/${f}`);
}

/** Import specifiers (static, dynamic, `export … from`, `import('…')` types) of a source file. */
function specifiers(file: string): string[] {
  const text = readFileSync(join(root, 'src', file), 'utf8');
  const out: string[] = [];
  for (const m of text.matchAll(/(?:\bfrom|\bimport)\s*\(?\s*'([^']+)'/g)) out.push(m[1]!);
  return out;
}

/** The source file (relative to src/) a relative specifier of `from` names. */
function resolve(from: string, spec: string): string {
  return posix.join(posix.dirname(from), spec).replace(/\.js$/, '.ts');
}

/** Every source file reachable from `entry` through relative imports. */
function closure(entry: string): Set<string> {
  const seen = new Set<string>();
  const todo = [entry];
  while (todo.length > 0) {
    const file = todo.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    for (const spec of specifiers(file)) if (spec.startsWith('.')) todo.push(resolve(file, spec));
  }
  return seen;
}

describe('packaging', () => {
  it('exports every subpath from its folder in dist, types condition first', () => {
    expect(Object.keys(pkg.exports).sort()).toEqual(
      [...Object.keys(SUBPATHS), './package.json'].sort(),
    );
    for (const [subpath, source] of Object.entries(SUBPATHS)) {
      const built = source.replace(/\.ts$/, '');
      const entry = pkg.exports[subpath];
      expect(entry, subpath).toEqual({
        types: `./dist/${built}.d.ts`,
        default: `./dist/${built}.js`,
      });
      expect(Object.keys(entry as object)[0]).toBe('types');
      expect(existsSync(join(root, 'src', source)), source).toBe(true);
    }
  });

  it('keeps third-party packages as optional peers, never dependencies', () => {
    expect(pkg.dependencies ?? {}).toEqual({});
    for (const name of ['express', 'fastify', 'undici', 'prom-client', '@opentelemetry/api']) {
      expect(pkg.peerDependencies?.[name], name).toBeTypeOf('string');
      expect(pkg.peerDependenciesMeta?.[name]?.optional, name).toBe(true);
    }
  });

  it('core/ reaches nothing outside core/ but the helpers of internal/, and no package', () => {
    const core = folder('core');
    expect(core).toContain('core/levee.ts');
    const reached = new Set<string>();
    for (const file of core) for (const f of closure(file)) reached.add(f);
    expect([...reached].filter((f) => f.startsWith('internal/')).length).toBeGreaterThan(0);
    for (const file of reached) {
      expect(file.startsWith('core/') || file.startsWith('internal/'), file).toBe(true);
      for (const spec of specifiers(file)) {
        expect(spec.startsWith('.'), `${file} imports ${spec}`).toBe(true);
      }
    }
  });

  it('the root entry point reaches no integration, observability or registry file', () => {
    for (const file of closure('index.ts')) {
      expect(
        file === 'index.ts' || file.startsWith('core/') || file.startsWith('internal/'),
        file,
      ).toBe(true);
    }
  });

  it('integration and internal files import third-party packages for types only', () => {
    let seen = 0;
    for (const file of [...folder('integrations'), ...folder('internal'), 'registry.ts']) {
      const text = readFileSync(join(root, 'src', file), 'utf8');
      for (const m of text.matchAll(/^import\s+(type\s+)?[^;]*?from\s+'([^'.][^']*)'/gm)) {
        expect(m[1], `${file} imports ${m[2]} at runtime`).toBe('type ');
        seen++;
      }
    }
    expect(seen).toBeGreaterThanOrEqual(4); // node:http ×2, fastify, undici
  });

  it('packs every export target and the dashboard page files (npm pack --dry-run)', () => {
    const [packed] = JSON.parse(
      execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
        cwd: root,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
      }),
    ) as Array<{ files: Array<{ path: string }> }>;
    const files = new Set(packed!.files.map((f) => f.path));
    for (const entry of Object.values(pkg.exports)) {
      for (const target of typeof entry === 'string' ? [entry] : Object.values(entry)) {
        expect(files.has(target.replace(/^\.\//, '')), target).toBe(true);
      }
    }
    for (const asset of ['page.js', 'page.css']) {
      expect(files.has(`src/observability/dashboard/${asset}`), asset).toBe(true);
    }
    expect([...files].filter((f) => f.startsWith('test/') || f.startsWith('bench/'))).toEqual([]);
  });
});
