/**
 * The result cache of `levee-bench` (`--cache DIR`; on by default for `all`,
 * `--no-cache` to bypass).
 *
 * Every simulation is a pure function of its job — `{ runner, params }`, plain
 * JSON — and of the code that runs it, so a result is stored under
 *     key = sha256(runner, canonical JSON of params, hash of that code)
 * and reused whenever the key comes round again. "That code" is worked out
 * from the module graph of the built files (dist/, or src/ under the tests),
 * so that changing one candidate re-runs only that candidate's simulations:
 *
 * - the simulator: every module reachable from `suites/index` (the runner
 *   table the worker threads load), except that the walk does not follow the
 *   candidate registry into the candidate modules, nor any package import;
 *   report and CLI modules the runners do not import are not part of it;
 * - each candidate: its module (the one exporting its registry entry) and
 *   everything it imports, packages included: a package linked from the
 *   workspace (`@leveejs/levee`) by the files its import graph reaches, a
 *   package installed from the registry (opossum, cockatiel) by name@version
 *   and those of its dependencies;
 * - a package the simulator imports directly counts for the jobs of the
 *   candidates whose code also imports it (the mesh builds its Levee
 *   governors from `@leveejs/levee`, the `levee` candidate's package), and
 *   for every job if no candidate imports it;
 * - the Node.js version.
 * A job depends on the simulator and on the candidates its params name:
 * `candidate`, `candidates` or `governor` (a mesh governor that is not a
 * registry key — No-Gov, the static governors — is simulator code). A job
 * that names no candidate, or names one the registry does not know, depends
 * on every candidate.
 *
 * A cache file holds one result: a magic number, the SHA-256 of the payload,
 * and the payload — the key, the runner, whether a trace was recorded, and
 * the result in the structured-clone encoding worker threads use (`v8`), so a
 * cached result is the very value a worker would post. A traced run
 * (`--report`) reuses only entries that hold a trace; an untraced run reuses
 * either kind (a runner's trace never changes its result). A file that fails
 * any check is ignored with a warning and its simulation re-run; writing
 * failures are warnings too. Files are written to a temporary name and
 * renamed, so a crash never leaves a truncated entry under a key.
 */
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  readFileSync,
  realpathSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { isBuiltin } from 'node:module';
import { homedir } from 'node:os';
import { dirname, join, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { deserialize, serialize } from 'node:v8';
import type { JobExecutor } from './executor.js';
import { splitTraced } from './executor.js';

/** Folder name under the user's cache directory. */
export const CACHE_FOLDER = 'levee-bench';
/** Layout version of the cache files (a sub-folder of the cache directory). */
const FORMAT = 'v1';
const MAGIC = Buffer.from('LBCACHE1', 'latin1');
const DIGEST_BYTES = 32;

/** `$XDG_CACHE_HOME/levee-bench`, else `~/.cache/levee-bench`. */
export function defaultCacheDir(
  env: Readonly<Record<string, string | undefined>> = process.env,
  home: string = homedir(),
): string {
  const xdg = env.XDG_CACHE_HOME;
  if (xdg !== undefined && xdg !== '' && resolve(xdg) === xdg) return join(xdg, CACHE_FOLDER);
  return join(home, '.cache', CACHE_FOLDER);
}

/** JSON with object keys sorted at every level (arrays keep their order). */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return v;
    const sorted: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) sorted[k] = (v as Record<string, unknown>)[k];
    return sorted;
  });
}

function sha256(...parts: Array<string | Buffer>): string {
  const h = createHash('sha256');
  for (const p of parts) {
    h.update(p);
    h.update('\u0000');
  }
  return h.digest('hex');
}

/** The module specifiers a JS or TS source imports at run time (type-only imports left out). */
export function importSpecifiers(source: string): string[] {
  const out: string[] = [];
  const statement = /^[ \t]*(import|export)\b([^;]*?)\bfrom\s*(['"])([^'"\n]+)\3/gm;
  for (const m of source.matchAll(statement)) {
    if (/^\s*type\s/.test(m[2] as string)) continue;
    out.push(m[4] as string);
  }
  for (const m of source.matchAll(/^[ \t]*import\s*(['"])([^'"\n]+)\1/gm)) out.push(m[2] as string);
  for (const m of source.matchAll(/\bimport\(\s*(['"])([^'"\n]+)\1\s*\)/g))
    out.push(m[2] as string);
  return out;
}

const PARSED = /\.(?:[cm]?js|ts)$/;

/** What the fingerprint reads; tests substitute files. */
export interface CodeReader {
  readFile(path: string): Buffer;
  /** Loads a candidate module to read its registry entries. */
  importModule(path: string): Promise<Record<string, unknown>>;
}

const DEFAULT_READER: CodeReader = {
  readFile: (path) => readFileSync(path),
  importModule: (path) => import(pathToFileURL(path).href) as Promise<Record<string, unknown>>,
};

/** A walk's findings: files (to hash by content) and packages installed from a registry. */
interface Closure {
  /** Each file with the name it is hashed under (independent of where the checkout lives). */
  files: Map<string, string>;
  /** `name@version` of registry packages. */
  packages: Set<string>;
  /** Package names met at a bare import (workspace or registry). */
  packageNames: Set<string>;
}

/** A package as found from an importing file. */
interface PackageInfo {
  name: string;
  version: string;
  dir: string;
  /** Linked from the workspace (not under node_modules): hashed by its files. */
  linked: boolean;
  manifest: Record<string, unknown>;
}

/**
 * The hash of the code a job runs, from the module graph under `root` (the
 * bench's dist/ or src/ folder, holding `suites/index` and
 * `candidates/registry`).
 */
export class CodeFingerprint {
  readonly root: string;
  readonly #reader: CodeReader;
  readonly #fileHashes = new Map<string, string>();
  #built: Promise<{ common: string; candidates: Map<string, string> }> | undefined;

  constructor(root: string, reader: CodeReader = DEFAULT_READER) {
    this.root = root;
    this.#reader = reader;
  }

  /** The code hash for a job: the simulator and the candidates its params name. */
  async jobCodeHash(params: unknown): Promise<string> {
    const { common, candidates } = await this.#build();
    const named = namedCandidates(params, candidates);
    const parts = named.map((k) => `${k}=${candidates.get(k)}`);
    return sha256('code', common, ...parts);
  }

  /** The hash of the simulator (the part every job depends on). */
  async simulatorHash(): Promise<string> {
    return (await this.#build()).common;
  }

  /** The hash of each candidate's code, by registry key. */
  async candidateHashes(): Promise<ReadonlyMap<string, string>> {
    return (await this.#build()).candidates;
  }

  #build(): Promise<{ common: string; candidates: Map<string, string> }> {
    this.#built ??= this.#compute();
    return this.#built;
  }

  async #compute(): Promise<{ common: string; candidates: Map<string, string> }> {
    const registry = this.#moduleFile(join(this.root, 'candidates', 'registry.js'));
    const entry = this.#moduleFile(join(this.root, 'suites', 'index.js'));
    // The candidate modules: what the registry imports that exports registry entries.
    const moduleOf = new Map<string, string>();
    const candidateModules = new Set<string>();
    for (const spec of importSpecifiers(this.#read(registry).toString('utf8'))) {
      if (!spec.startsWith('.')) continue;
      const file = this.#resolveRelative(registry, spec);
      const keys = entryKeys(await this.#reader.importModule(file));
      if (keys.length === 0) continue;
      candidateModules.add(file);
      for (const key of keys) moduleOf.set(key, file);
    }
    const closures = new Map<string, Closure>();
    const candidatePackages = new Set<string>();
    for (const file of candidateModules) {
      const c = this.#walk([file], { followPackages: true });
      closures.set(file, c);
      for (const name of c.packageNames) candidatePackages.add(name);
    }
    const sim = this.#walk([entry], {
      followPackages: false,
      stopAt: (from, to) => from === registry && candidateModules.has(to),
    });
    // Packages the simulator imports that no candidate's code imports count for everyone.
    const shared = [...sim.packageNames].filter((n) => !candidatePackages.has(n)).sort();
    const extra = this.#walk([], { followPackages: true, packages: shared, from: entry });
    const common = sha256(
      'simulator',
      `node ${process.version}`,
      this.#closureHash(sim),
      this.#closureHash(extra),
    );
    const candidates = new Map<string, string>();
    for (const [key, file] of moduleOf) {
      candidates.set(key, this.#closureHash(closures.get(file) as Closure));
    }
    return { common, candidates };
  }

  #read(path: string): Buffer {
    return this.#reader.readFile(path);
  }

  #fileHash(path: string): string {
    let h = this.#fileHashes.get(path);
    if (h === undefined) {
      h = sha256(this.#read(path));
      this.#fileHashes.set(path, h);
    }
    return h;
  }

  #closureHash(c: Closure): string {
    const parts = [...c.files].map(([file, label]) => `${label}:${this.#fileHash(file)}`).sort();
    return sha256(...parts, ...[...c.packages].sort());
  }

  /** `path`, or its `.ts` twin when running from the sources. */
  #moduleFile(path: string): string {
    if (existsSync(path)) return path;
    const ts = path.replace(/\.js$/, '.ts');
    if (ts !== path && existsSync(ts)) return ts;
    throw new Error(`cache: cannot find module ${path}`);
  }

  #resolveRelative(from: string, spec: string): string {
    return this.#moduleFile(resolve(dirname(from), spec));
  }

  /**
   * Every file and package reachable from `starts`. `stopAt` cuts an edge;
   * packages are followed only with `followPackages` (their names are always
   * collected); `packages` adds the named packages as seen from `from`.
   */
  #walk(
    starts: readonly string[],
    opts: {
      followPackages: boolean;
      stopAt?: (from: string, to: string) => boolean;
      packages?: readonly string[];
      from?: string;
    },
  ): Closure {
    const closure: Closure = { files: new Map(), packages: new Set(), packageNames: new Set() };
    // Files are named relative to the bench package, or to their linked package.
    const queue: Array<{ file: string; base: string; prefix: string }> = starts.map((file) => ({
      file,
      base: dirname(this.root),
      prefix: '',
    }));
    const seenPackages = new Set<string>();
    const addPackage = (from: string, name: string, subpath: string): void => {
      closure.packageNames.add(name);
      if (!opts.followPackages) return;
      const pkg = findPackage(from, name, this.#reader);
      if (pkg === undefined) throw new Error(`cache: cannot find package ${name} from ${from}`);
      if (!pkg.linked) {
        this.#registryPackage(pkg, closure, seenPackages);
        return;
      }
      closure.packages.add(`${pkg.name}@${pkg.version} (linked)`);
      const at = { base: pkg.dir, prefix: `${pkg.name}/` };
      queue.push({ file: join(pkg.dir, 'package.json'), ...at });
      queue.push({ file: packageEntry(pkg, subpath), ...at });
    };
    for (const name of opts.packages ?? []) addPackage(opts.from as string, name, '.');
    while (queue.length > 0) {
      const { file, base, prefix } = queue.pop() as (typeof queue)[number];
      if (closure.files.has(file)) continue;
      const inside = file.startsWith(base + sep);
      closure.files.set(file, inside ? prefix + file.slice(base.length + 1) : file);
      if (!PARSED.test(file)) continue;
      for (const spec of importSpecifiers(this.#read(file).toString('utf8'))) {
        if (spec.startsWith('.') || spec.startsWith('/')) {
          const to = this.#resolveRelative(file, spec);
          if (opts.stopAt?.(file, to) !== true) queue.push({ file: to, base, prefix });
        } else if (!isBuiltin(spec)) {
          const { name, subpath } = splitPackageSpecifier(spec);
          addPackage(file, name, subpath);
        }
      }
    }
    return closure;
  }

  /** A registry package and, recursively, its dependencies, by name@version. */
  #registryPackage(pkg: PackageInfo, closure: Closure, seen: Set<string>): void {
    const id = `${pkg.name}@${pkg.version}`;
    if (seen.has(id)) return;
    seen.add(id);
    closure.packages.add(id);
    const deps = pkg.manifest.dependencies;
    if (deps === null || typeof deps !== 'object') return;
    for (const name of Object.keys(deps).sort()) {
      const dep = findPackage(join(pkg.dir, 'package.json'), name, this.#reader);
      if (dep === undefined) closure.packages.add(`${name}@missing`);
      else this.#registryPackage(dep, closure, seen);
    }
  }
}

/** Registry keys of the entries a candidate module exports (arrays of `{ key, create }`). */
function entryKeys(module: Record<string, unknown>): string[] {
  const keys: string[] = [];
  for (const value of Object.values(module)) {
    if (!Array.isArray(value)) continue;
    for (const e of value) {
      if (
        e !== null &&
        typeof e === 'object' &&
        typeof (e as { key?: unknown }).key === 'string' &&
        typeof (e as { create?: unknown }).create === 'function'
      ) {
        keys.push((e as { key: string }).key);
      }
    }
  }
  return keys;
}

/** The registry keys a job's params name, sorted; every key when the params name none or an unknown one. */
function namedCandidates(params: unknown, known: ReadonlyMap<string, string>): string[] {
  const all = [...known.keys()].sort();
  if (params === null || typeof params !== 'object') return all;
  const p = params as Record<string, unknown>;
  const names = new Set<string>();
  let named = false;
  const add = (v: unknown): boolean => {
    if (typeof v !== 'string' || !known.has(v)) return false;
    names.add(v);
    return true;
  };
  if (p.candidate !== undefined) {
    named = true;
    if (!add(p.candidate)) return all;
  }
  if (p.candidates !== undefined) {
    named = true;
    if (!Array.isArray(p.candidates) || !p.candidates.every(add)) return all;
  }
  if (typeof p.governor === 'string') {
    named = true;
    add(p.governor); // not a registry key: a governor of the mesh's own code
  }
  return named ? [...names].sort() : all;
}

function splitPackageSpecifier(spec: string): { name: string; subpath: string } {
  const parts = spec.split('/');
  const n = spec.startsWith('@') ? 2 : 1;
  const name = parts.slice(0, n).join('/');
  const rest = parts.slice(n).join('/');
  return { name, subpath: rest === '' ? '.' : `./${rest}` };
}

/** The package `name` as Node would find it from `fromFile` (node_modules folders upward). */
function findPackage(fromFile: string, name: string, reader: CodeReader): PackageInfo | undefined {
  let dir = dirname(fromFile);
  for (;;) {
    const candidate = join(dir, 'node_modules', name);
    const manifestPath = join(candidate, 'package.json');
    if (existsSync(manifestPath)) {
      const real = realpathSync(candidate);
      const manifest = JSON.parse(reader.readFile(join(real, 'package.json')).toString('utf8'));
      return {
        name,
        version: String(manifest.version),
        dir: real,
        linked: !real.split(sep).includes('node_modules'),
        manifest,
      };
    }
    const up = dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
}

/** The file a linked package's `exports` (or `main`) gives for `subpath`. */
function packageEntry(pkg: PackageInfo, subpath: string): string {
  const pick = (target: unknown): string | undefined => {
    if (typeof target === 'string') return target;
    if (target === null || typeof target !== 'object') return undefined;
    const t = target as Record<string, unknown>;
    for (const condition of ['import', 'node', 'default']) {
      const found = pick(t[condition]);
      if (found !== undefined) return found;
    }
    return undefined;
  };
  const exportsField = pkg.manifest.exports;
  let target: string | undefined;
  if (typeof exportsField === 'string' && subpath === '.') target = exportsField;
  else if (exportsField !== null && typeof exportsField === 'object') {
    const e = exportsField as Record<string, unknown>;
    target = Object.keys(e).some((k) => k.startsWith('.')) ? pick(e[subpath]) : pick(e);
  }
  if (target === undefined && subpath === '.') {
    target = typeof pkg.manifest.main === 'string' ? pkg.manifest.main : 'index.js';
  }
  if (target === undefined) throw new Error(`cache: ${pkg.name} does not export ${subpath}`);
  return resolve(pkg.dir, target);
}

/** What `ResultCache.wrap` needs of a job. */
interface CacheableJob {
  runner: string;
  params: unknown;
  trace?: boolean;
}

interface Payload {
  key: string;
  runner: string;
  traced: boolean;
  value: unknown;
}

/** Counts for the summary line. */
export interface CacheStats {
  hits: number;
  stored: number;
  /** Files ignored because a check failed. */
  corrupt: number;
}

/** Results stored in `dir` under keys from `fingerprint`. */
export class ResultCache {
  readonly dir: string;
  readonly fingerprint: CodeFingerprint;
  readonly stats: CacheStats = { hits: 0, stored: 0, corrupt: 0 };
  readonly #warnings: string[] = [];
  #writeWarned = false;

  constructor(dir: string, fingerprint: CodeFingerprint = new CodeFingerprint(benchRoot())) {
    this.dir = dir;
    this.fingerprint = fingerprint;
  }

  /** The cache key of a job. */
  async key(job: { runner: string; params: unknown }): Promise<string> {
    const code = await this.fingerprint.jobCodeHash(job.params);
    return sha256('levee-bench result', FORMAT, job.runner, canonicalJson(job.params), code);
  }

  /** The file a key's result is stored in. */
  path(key: string): string {
    return join(this.dir, FORMAT, key.slice(0, 2), `${key}.bin`);
  }

  /** An executor that answers from the cache, and stores what `inner` computes. */
  wrap(inner: JobExecutor): JobExecutor {
    return async (job, onProgress, signal) => {
      const traced = job.trace === true;
      const key = await this.key(job);
      const hit = this.#load(key, job.runner, traced);
      if (hit !== undefined) {
        this.stats.hits++;
        return hit.value;
      }
      const result = await inner(job, onProgress, signal);
      this.#store(key, job, traced, result);
      return result;
    };
  }

  /** Warnings gathered so far (corrupt or unwritable files). */
  get warnings(): readonly string[] {
    return this.#warnings;
  }

  /** The lines `levee-bench` prints after a run: warnings, then the counts. */
  summary(total: number): string {
    const lines = this.#warnings.map((w) => `levee-bench: warning: ${w}\n`);
    const corrupt = this.stats.corrupt > 0 ? `, ${this.stats.corrupt} corrupt file(s) ignored` : '';
    lines.push(
      `cache ${this.dir}: ${this.stats.hits} of ${total} simulation(s) from the cache, ` +
        `${this.stats.stored} stored${corrupt}\n`,
    );
    return lines.join('');
  }

  #load(key: string, runner: string, traced: boolean): { value: unknown } | undefined {
    const file = this.path(key);
    let bytes: Buffer;
    try {
      if (!existsSync(file)) return undefined;
      bytes = readFileSync(file);
    } catch (err) {
      this.#corrupt(file, `cannot read it: ${err instanceof Error ? err.message : String(err)}`);
      return undefined;
    }
    const payload = decode(bytes, key, runner);
    if (typeof payload === 'string') {
      this.#corrupt(file, payload);
      return undefined;
    }
    if (traced && !payload.traced) return undefined; // a traced run needs the trace too
    return { value: traced ? payload.value : splitTraced(payload.value).result };
  }

  #store(key: string, job: CacheableJob, traced: boolean, value: unknown): void {
    const file = this.path(key);
    const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    try {
      const payload = serialize({ key, runner: job.runner, traced, value } satisfies Payload);
      const digest = createHash('sha256').update(payload).digest();
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(tmp, Buffer.concat([MAGIC, digest, payload]));
      renameSync(tmp, file);
      this.stats.stored++;
    } catch (err) {
      try {
        rmSync(tmp, { force: true });
      } catch {
        // nothing was written
      }
      if (!this.#writeWarned) {
        this.#writeWarned = true;
        this.#warnings.push(
          `cannot write to the cache ${this.dir} (${err instanceof Error ? err.message : String(err)}); results are not stored`,
        );
      }
    }
  }

  #corrupt(file: string, why: string): void {
    this.stats.corrupt++;
    this.#warnings.push(`ignored cache file ${file} (${why}); its simulation was run again`);
  }
}

/** The payload of a cache file, or why it cannot be used. */
function decode(bytes: Buffer, key: string, runner: string): Payload | string {
  if (bytes.length < MAGIC.length + DIGEST_BYTES) return 'truncated';
  if (!bytes.subarray(0, MAGIC.length).equals(MAGIC)) return 'not a levee-bench cache file';
  const digest = bytes.subarray(MAGIC.length, MAGIC.length + DIGEST_BYTES);
  const body = bytes.subarray(MAGIC.length + DIGEST_BYTES);
  if (!createHash('sha256').update(body).digest().equals(digest)) return 'checksum mismatch';
  let payload: unknown;
  try {
    payload = deserialize(body);
  } catch {
    return 'undecodable';
  }
  const p = payload as Partial<Payload> | null;
  if (p === null || typeof p !== 'object' || p.key !== key || p.runner !== runner) {
    return 'stored under another key';
  }
  if (typeof p.traced !== 'boolean' || !('value' in p)) return 'incomplete entry';
  return p as Payload;
}

/** The folder holding this module's `cli/` (dist/, or src/ under the tests). */
export function benchRoot(): string {
  return dirname(dirname(fileURLToPath(import.meta.url)));
}

/**
 * The cache a run uses: `--cache DIR`, else for `all` the environment's
 * default folder, none with `--no-cache` (or without either for a suite).
 */
export function resultCacheFor(
  command: { suite: string; cache?: string; noCache?: boolean },
  defaultDir: string | undefined,
): ResultCache | undefined {
  if (command.noCache === true) return undefined;
  const dir = command.cache ?? (command.suite === 'all' ? defaultDir : undefined);
  return dir === undefined ? undefined : new ResultCache(dir);
}
