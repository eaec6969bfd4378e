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
    // The build copies the dashboard's page files beside the built module.
    for (const asset of ['page.js', 'page.css']) {
      expect(files.has(`dist/observability/dashboard/${asset}`), asset).toBe(true);
    }
    expect(files.has('README.md') && files.has('LICENSE')).toBe(true);
    // No sources, maps, tests, benchmarks, scripts or configuration; the
    // packed tarball itself is checked by scripts/check-package.mjs.
    const unwanted = [...files].filter(
      (f) =>
        /\.(ts|map|tsbuildinfo)$/.test(f.replace(/\.d\.ts$/, '.js')) ||
        /^(test|bench|scripts)\//.test(f) ||
        /^tsconfig/.test(f),
    );
    expect(unwanted).toEqual([]);
  });

  it('ships the repository licence and builds no maps', () => {
    expect(readFileSync(join(root, 'LICENSE'), 'utf8')).toBe(
      readFileSync(join(root, '..', '..', 'LICENSE'), 'utf8'),
    );
    const tsconfig = readFileSync(join(root, 'tsconfig.json'), 'utf8');
    expect(tsconfig).toMatch(/"sourceMap": false/);
    expect(tsconfig).toMatch(/"declarationMap": false/);
  });

  it('documents every subpath export in the API reference (typedoc.json)', () => {
    const typedoc = JSON.parse(readFileSync(join(root, '..', '..', 'typedoc.json'), 'utf8')) as {
      entryPoints: string[];
      treatWarningsAsErrors: boolean;
    };
    expect([...typedoc.entryPoints].sort()).toEqual(
      Object.values(SUBPATHS)
        .map((source) => `packages/levee/src/${source}`)
        .sort(),
    );
    expect(typedoc.treatWarningsAsErrors).toBe(true);
  });

  it('names one repository everywhere, and the README links nowhere outside the package', () => {
    const meta = pkg as unknown as {
      repository: { type: string; url: string; directory: string };
      homepage: string;
      bugs: { url: string };
    };
    const base = /^git\+(https:\/\/github\.com\/[\w.-]+\/[\w.-]+)\.git$/.exec(
      meta.repository.url,
    )?.[1];
    expect(base, meta.repository.url).toBeDefined();
    expect(meta.repository.directory).toBe('packages/levee');
    expect(meta.homepage).toBe(`${base}/tree/main/packages/levee#readme`);
    expect(meta.bugs.url).toBe(`${base}/issues`);
    const docs = ['README.md', '../../CONTRIBUTING.md', '../../SECURITY.md'].map((f) =>
      readFileSync(join(root, f), 'utf8'),
    );
    for (const text of docs) {
      for (const [url] of text.matchAll(/https:\/\/github\.com\/[\w.-]+\/[\w.-]+/g)) {
        expect(url).toBe(base);
      }
    }
    const readme = docs[0]!;
    expect([...readme.matchAll(/\]\((\.\.\/[^)]*)\)/g)].map((m) => m[1])).toEqual([]);
  });
});
