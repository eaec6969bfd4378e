#!/usr/bin/env node
// `npm run check:package`: checks @leveejs/levee as a user gets it from the
// registry. It packs the package the way `npm publish` does (running its
// prepack: a clean build), then
//   1. checks the tarball's file list: what must ship, and nothing else;
//   2. runs publint (every message, suggestions included, is a failure) and
//      Are the Types Wrong with `--profile esm-only` on the tarball;
//   3. installs the tarball and the optional peer dependencies (at the
//      versions this workspace pins) into an empty temporary project and
//      type-checks a file that uses every subpath under node16, nodenext and
//      bundler resolution, plus the CommonJS facts the README states;
//   4. imports and require()s every subpath there, and serves the dashboard
//      page from the installed copy over 127.0.0.1.
// Exit code 0 when everything holds, 1 otherwise. `--keep` leaves the
// temporary folder (tarball and project) in place and prints its path.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, posix, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';

const pkgDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const repoRoot = join(pkgDir, '..', '..');
const keep = process.argv.includes('--keep');
const started = performance.now();

const pkg = readJson(join(pkgDir, 'package.json'));
const rootPkg = readJson(join(repoRoot, 'package.json'));

let failures = 0;
function fail(message) {
  failures++;
  console.error(`  FAIL ${message}`);
}
function ok(message) {
  console.log(`  ok   ${message}`);
}
function check(condition, message) {
  if (condition) ok(message);
  else fail(message);
  return condition;
}
let sectionStart = performance.now();
function section(title) {
  if (title !== undefined) console.log(`\n${title}`);
  else console.log(`  (${((performance.now() - sectionStart) / 1000).toFixed(1)} s)`);
  sectionStart = performance.now();
}
function readJson(path) {
  return JSON.parse(readFileSync(path, 'utf8'));
}
function posixPath(path) {
  return path.split(sep).join('/');
}

/** Every file under `dir` (recursively), as posix paths relative to `base`. */
function listFiles(dir, base = dir) {
  const out = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...listFiles(path, base));
    else if (entry.isFile()) out.push(posixPath(relative(base, path)));
  }
  return out;
}

/**
 * The regular files of a .tgz as a Map from path (without npm's `package/`
 * prefix) to contents. Reads ustar headers and the pax `path` records npm
 * writes for long names; nothing else is needed for npm's tarballs.
 */
function readTarball(file) {
  const data = gunzipSync(readFileSync(file));
  const files = new Map();
  let paxPath;
  for (let at = 0; at + 512 <= data.length; ) {
    const header = data.subarray(at, at + 512);
    if (header.every((b) => b === 0)) break;
    const field = (start, length) =>
      header
        .subarray(start, start + length)
        .toString('utf8')
        .replace(/\0.*$/s, '');
    const size = Number.parseInt(field(124, 12).trim() || '0', 8);
    const type = field(156, 1) || '0';
    const prefix = field(345, 155);
    const name = prefix === '' ? field(0, 100) : `${prefix}/${field(0, 100)}`;
    const body = data.subarray(at + 512, at + 512 + size);
    if (type === 'x') {
      const match = /\d+ path=([^\n]*)\n/.exec(body.toString('utf8'));
      paxPath = match?.[1];
    } else {
      if (type === '0') files.set((paxPath ?? name).replace(/^package\//, ''), Buffer.from(body));
      paxPath = undefined;
    }
    at += 512 + Math.ceil(size / 512) * 512;
  }
  return files;
}

// Run through `npm run`, this script inherits npm's view of the workspace
// (npm_config_local_prefix and the like); the npm commands below must see
// only their own folder.
const env = Object.fromEntries(
  Object.entries(process.env).filter(
    ([name]) =>
      !/^npm_(config_(local_prefix|workspaces?|include_workspace_root)|package_|lifecycle_)/i.test(
        name,
      ),
  ),
);

function run(command, args, options) {
  return spawnSync(command, args, { encoding: 'utf8', env, ...options });
}

const work = mkdtempSync(join(tmpdir(), 'levee-package-'));
try {
  main();
} finally {
  if (keep) console.log(`\nkept ${work}`);
  else rmSync(work, { recursive: true, force: true });
}
const seconds = ((performance.now() - started) / 1000).toFixed(1);
if (failures > 0) {
  console.error(`\ncheck-package: ${failures} check(s) failed (${seconds} s)`);
  process.exitCode = 1;
} else {
  console.log(`\ncheck-package: all checks passed (${seconds} s)`);
}

function main() {
  // -------------------------------------------------------------------------
  section('npm pack (runs the prepack: a clean build)');
  const packed = JSON.parse(
    execFileSync('npm', ['pack', '--json', '--pack-destination', work], {
      cwd: pkgDir,
      encoding: 'utf8',
      env,
      stdio: ['ignore', 'pipe', 'inherit'],
    }),
  )[0];
  const tarball = join(work, packed.filename);
  console.log(
    `  ${packed.filename}: ${(packed.size / 1000).toFixed(1)} kB packed, ` +
      `${(packed.unpackedSize / 1000).toFixed(1)} kB unpacked, ${packed.entryCount} files`,
  );
  const files = readTarball(tarball);
  const paths = [...files.keys()].sort();
  for (const path of paths) console.log(`    ${path}`);

  // -------------------------------------------------------------------------
  section();
  section('tarball contents');
  const exportTargets = Object.values(pkg.exports)
    .flatMap((entry) => (typeof entry === 'string' ? [entry] : Object.values(entry)))
    .map((target) => target.replace(/^\.\//, ''));
  const sources = listFiles(join(pkgDir, 'src'));
  const modules = sources.filter((f) => f.endsWith('.ts')).map((f) => f.replace(/\.ts$/, ''));
  // Files of src/ that tsc does not compile (the dashboard's page.js and
  // page.css): the build copies them to the same place under dist/.
  const assets = sources.filter((f) => !f.endsWith('.ts'));
  const required = new Set([
    'package.json',
    'README.md',
    'LICENSE',
    'CHANGELOG.md',
    ...exportTargets,
    ...modules.flatMap((m) => [`dist/${m}.js`, `dist/${m}.d.ts`]),
    ...assets.map((a) => `dist/${a}`),
  ]);
  // The Grafana dashboard and alert rules next to the metrics.
  for (const f of listFiles(join(pkgDir, 'observability'))) required.add(`observability/${f}`);
  const missing = [...required].filter((f) => !files.has(f));
  check(
    missing.length === 0,
    `ships every export target, module, declaration and asset, the observability files, README, LICENSE, CHANGELOG${missing.length ? `; missing: ${missing.join(', ')}` : ''}`,
  );
  const extra = paths.filter((f) => !required.has(f));
  check(
    extra.length === 0,
    `ships nothing else (no src/*.ts, maps, tests, benchmarks, scripts, tsconfig)${extra.length ? `; unexpected: ${extra.join(', ')}` : ''}`,
  );
  const mapped = paths.filter(
    (f) => /\.(js|ts)$/.test(f) && files.get(f).includes('sourceMappingURL='),
  );
  check(
    mapped.length === 0,
    `no file refers to a source map${mapped.length ? `: ${mapped.join(', ')}` : ''}`,
  );
  check(
    files.get('LICENSE')?.equals(readFileSync(join(repoRoot, 'LICENSE'))) === true &&
      pkg.license === 'MIT' &&
      files.get('LICENSE').toString().startsWith('MIT License'),
    'LICENSE is the repository MIT licence and package.json says "MIT"',
  );
  check(
    files.get('CHANGELOG.md')?.equals(readFileSync(join(repoRoot, 'CHANGELOG.md'))) === true,
    'CHANGELOG.md is the repository changelog',
  );
  const readme = files.get('README.md')?.toString('utf8') ?? '';
  const broken = [];
  for (const [, target] of readme.matchAll(/\]\(([^)\s]+)\)/g)) {
    if (/^(https?:|mailto:|#)/.test(target)) continue;
    const path = posix.normalize(target.replace(/#.*$/, ''));
    if (!files.has(path)) broken.push(target);
  }
  check(
    broken.length === 0,
    `every relative README link names a file in the tarball${broken.length ? `; broken on the registry: ${broken.join(', ')}` : ''}`,
  );
  check(
    typeof pkg.repository?.url === 'string' &&
      typeof pkg.homepage === 'string' &&
      typeof pkg.bugs?.url === 'string',
    'package.json has repository, homepage and bugs',
  );

  // -------------------------------------------------------------------------
  section();
  section('publint (strict; suggestions count)');
  const publintResult = run(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      `import { readFileSync } from 'node:fs';
       import { publint } from 'publint';
       import { formatMessage } from 'publint/utils';
       const tarball = readFileSync(${JSON.stringify(tarball)});
       const { messages, pkg } = await publint({ pack: { tarball: tarball.buffer.slice(tarball.byteOffset, tarball.byteOffset + tarball.byteLength) }, strict: true, level: 'suggestion' });
       for (const m of messages) console.log(m.type + ': ' + formatMessage(m, pkg));
       process.exitCode = messages.length === 0 ? 0 : 1;`,
    ],
    { cwd: repoRoot },
  );
  if (publintResult.stdout.trim()) console.log(publintResult.stdout.trimEnd());
  if (publintResult.stderr.trim()) console.error(publintResult.stderr.trimEnd());
  check(publintResult.status === 0, 'publint reports nothing');

  // -------------------------------------------------------------------------
  section();
  section('Are the Types Wrong (--profile esm-only)');
  const attw = run(
    'npx',
    [
      '--no-install',
      'attw',
      '--profile',
      'esm-only',
      '--no-definitely-typed',
      '--format',
      'table',
      '--no-color',
      tarball,
    ],
    { cwd: repoRoot },
  );
  console.log((attw.stdout + attw.stderr).trimEnd());
  check(attw.status === 0, 'attw finds no problem for ESM consumers (node16 from ESM, bundler)');

  // -------------------------------------------------------------------------
  section();
  section('install into an empty project');
  const project = join(work, 'project');
  mkdirSync(project);
  writeFileSync(
    join(project, 'package.json'),
    `${JSON.stringify({ name: 'levee-consumer', private: true, version: '0.0.0' }, null, 2)}\n`,
  );
  // The versions this workspace develops and tests against, so the npm
  // cache filled by `npm ci` can serve them.
  const pinned = { ...rootPkg.devDependencies, ...pkg.devDependencies };
  const extras = ['typescript', '@types/node', ...Object.keys(pkg.peerDependencies ?? {})];
  if (pkg.peerDependencies?.express !== undefined) extras.push('@types/express');
  const specs = extras.map((name) => {
    if (pinned[name] === undefined)
      throw new Error(`no version of ${name} pinned in the workspace`);
    return `${name}@${pinned[name]}`;
  });
  console.log(`  npm install <tarball> ${specs.join(' ')}`);
  const install = run(
    'npm',
    [
      'install',
      '--no-audit',
      '--no-fund',
      '--prefer-offline',
      '--loglevel=error',
      tarball,
      ...specs,
    ],
    { cwd: project },
  );
  if (!check(install.status === 0, 'the tarball and the peer dependencies install')) {
    console.error((install.stdout + install.stderr).trimEnd());
    return;
  }
  const installed = readJson(join(project, 'node_modules', pkg.name, 'package.json'));
  const subpaths = Object.keys(installed.exports)
    .filter((s) => s !== './package.json')
    .map((s) => (s === '.' ? pkg.name : `${pkg.name}/${s.slice(2)}`));

  // -------------------------------------------------------------------------
  section();
  section('TypeScript: a file that uses every subpath');
  const consumer = consumerSource();
  const imported = [...consumer.matchAll(/from '(@leveejs\/levee[^']*)'/g)].map((m) => m[1]);
  const unused = subpaths.filter((s) => !imported.includes(s));
  check(
    unused.length === 0,
    `the file imports every subpath${unused.length ? `; not yet: ${unused.join(', ')} (add them to consumerSource())` : ''}`,
  );
  const tsc = join(project, 'node_modules', 'typescript', 'bin', 'tsc');
  /** Type-checks `file` in folder `dir` of the project under the given options. */
  function typecheck(dir, type, file, source, compilerOptions) {
    const folder = join(project, dir);
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, 'package.json'), `${JSON.stringify({ type })}\n`);
    writeFileSync(join(folder, file), source);
    const config = {
      compilerOptions: {
        strict: true,
        noEmit: true,
        target: 'ES2022',
        lib: ['ES2023'],
        types: ['node'],
        ...compilerOptions,
      },
      files: [file],
    };
    writeFileSync(join(folder, 'tsconfig.json'), `${JSON.stringify(config, null, 2)}\n`);
    const result = run(process.execPath, [tsc, '-p', folder, '--pretty', 'false'], {
      cwd: project,
    });
    return { status: result.status, output: (result.stdout + result.stderr).trim() };
  }
  for (const [name, options] of [
    ['node16', { module: 'node16', moduleResolution: 'node16' }],
    ['nodenext', { module: 'nodenext', moduleResolution: 'nodenext' }],
    ['bundler', { module: 'esnext', moduleResolution: 'bundler' }],
  ]) {
    const { status, output } = typecheck(`esm-${name}`, 'module', 'use.ts', consumer, options);
    if (status !== 0) console.error(output);
    check(status === 0, `an ES module type-checks under ${name} resolution (skipLibCheck off)`);
  }

  // What the README says about CommonJS and old resolution; if one of these
  // stops holding, the README's "Module formats" section must change too.
  const cjs = `import { Levee } from '${pkg.name}';\nimport { LeveeRegistry } from '${pkg.name}/registry';\nexport const a: Levee = new LeveeRegistry({ slo: { successRate: 0.99, timeoutMs: 1000 } }).get('db');\n`;
  {
    const { status, output } = typecheck('cjs-nodenext', 'commonjs', 'use.ts', cjs, {
      module: 'nodenext',
      moduleResolution: 'nodenext',
    });
    if (status !== 0) console.error(output);
    check(status === 0, 'a CommonJS file type-checks under module nodenext (require of ESM)');
  }
  {
    const { status, output } = typecheck('cjs-node16', 'commonjs', 'use.ts', cjs, {
      module: 'node16',
      moduleResolution: 'node16',
    });
    check(
      status !== 0 && /TS1479/.test(output) && !/error TS(?!1479)/.test(output),
      'a CommonJS file fails under module node16 with TS1479 only, as the README says',
    );
  }
  {
    const { status, output } = typecheck('esm-node10', 'module', 'use.ts', cjs, {
      module: 'esnext',
      moduleResolution: 'node10',
    });
    const errors = output.split('\n').filter((l) => /error TS/.test(l));
    check(
      status !== 0 &&
        errors.length === 1 &&
        /TS2307/.test(errors[0]) &&
        errors[0].includes(`'${pkg.name}/registry'`),
      'node10 resolution finds the root but no subpath, as the README says',
    );
  }

  // -------------------------------------------------------------------------
  section();
  section('Node: import and require() every subpath, serve the dashboard page');
  writeFileSync(join(project, 'esm.mjs'), runtimeEsm(subpaths));
  writeFileSync(join(project, 'cjs.cjs'), runtimeCjs(subpaths));
  for (const [file, what] of [
    [
      'esm.mjs',
      `import of all ${subpaths.length} subpaths, the dashboard page from the installed package`,
    ],
    ['cjs.cjs', `require() of all ${subpaths.length} subpaths (Node ${process.versions.node})`],
  ]) {
    const result = run(process.execPath, [file], { cwd: project, timeout: 60_000 });
    const output = (result.stdout + result.stderr).trim();
    if (output) console.log(output.replace(/^/gm, '    '));
    check(result.status === 0, what);
  }
  section();
}

/** The consumer file: every subpath imported and used the way the README shows. */
function consumerSource() {
  return `import { Levee, STATES } from '@leveejs/levee';
import { createDashboardHandler } from '@leveejs/levee/dashboard';
import { shedLoad as expressShedLoad } from '@leveejs/levee/express';
import levee from '@leveejs/levee/fastify';
import { createFetch } from '@leveejs/levee/fetch';
import { shedLoad } from '@leveejs/levee/http';
import { observeLevees } from '@leveejs/levee/otel';
import { createPrometheusCollector } from '@leveejs/levee/prometheus';
import { LeveeRegistry } from '@leveejs/levee/registry';
import { leveeInterceptor } from '@leveejs/levee/undici';
import { metrics } from '@opentelemetry/api';
import express from 'express';
import Fastify from 'fastify';
import { createServer } from 'node:http';
import { Registry } from 'prom-client';
import { Agent } from 'undici';

const registry = new LeveeRegistry({ slo: { successRate: 0.99, timeoutMs: 1000 } });
const db: Levee = registry.get('db');
export const state: (typeof STATES)[number] = db.state;
export const rows: Promise<number> = db.call(async (signal: AbortSignal) => (signal.aborted ? 0 : 1));

const app = express();
app.use(expressShedLoad({ registry }));
app.get('/', (_req, res) => res.send('ok'));

const fastify = Fastify();
await fastify.register(levee, { registry });

export const guarded: typeof fetch = createFetch({ registry });
const shed = shedLoad({ registry });
export const server = createServer(shed((_req, res) => res.end('ok')));
export const dispatcher = new Agent().compose(leveeInterceptor({ registry }));
export const collector = createPrometheusCollector(registry, { registry: new Registry() });
export const instruments = observeLevees(registry, { meter: metrics.getMeter('consumer') });
export const dashboard = createDashboardHandler(registry, { path: '/levee' });
`;
}

function runtimeEsm(subpaths) {
  return `import { createServer } from 'node:http';
const subpaths = ${JSON.stringify(subpaths)};
for (const s of subpaths) {
  const m = await import(s);
  if (Object.keys(m).length === 0) throw new Error(s + ' exports nothing');
}
const { LeveeRegistry } = await import('@leveejs/levee/registry');
const { createDashboardHandler } = await import('@leveejs/levee/dashboard');
const handler = createDashboardHandler(new LeveeRegistry({ slo: { successRate: 0.99, timeoutMs: 1000 } }));
const server = createServer(handler);
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
try {
  const res = await fetch('http://127.0.0.1:' + server.address().port + '/', { signal: AbortSignal.timeout(10_000) });
  const html = await res.text();
  if (res.status !== 200) throw new Error('dashboard page: HTTP ' + res.status);
  const script = /<script>([\\s\\S]*?)<\\/script>/.exec(html)?.[1] ?? '';
  const style = /<style>([\\s\\S]*?)<\\/style>/.exec(html)?.[1] ?? '';
  if (script.length < 1000 || style.length < 1000) {
    throw new Error('dashboard page: the inlined script or style is missing');
  }
  console.log('dashboard page: HTTP 200, script ' + script.length + ' and style ' + style.length + ' characters inlined');
} finally {
  server.closeAllConnections();
  server.close();
}
`;
}

function runtimeCjs(subpaths) {
  return `'use strict';
const subpaths = ${JSON.stringify(subpaths)};
for (const s of subpaths) {
  const m = require(s);
  if (Object.keys(m).length === 0) throw new Error(s + ' exports nothing');
}
const { Levee } = require('@leveejs/levee');
const { LeveeRegistry } = require('@leveejs/levee/registry');
const levee = new LeveeRegistry({ slo: { successRate: 0.99, timeoutMs: 1000 } }).get('db');
if (!(levee instanceof Levee) || levee.state !== 'CLOSED') throw new Error('unexpected instance');
`;
}
