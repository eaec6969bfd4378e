/**
 * The versions `levee-bench --version` prints and every JSON document
 * carries: this package's (`@leveejs/bench`, the tool) and the
 * `@leveejs/levee` it runs. Read once from the two package.json files.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

export interface ToolVersions {
  /** `@leveejs/bench`'s version (the simulator, suites and CLI). */
  bench: string;
  /** The version of the `@leveejs/levee` library the `levee` candidate runs. */
  levee: string;
}

/** This package's package.json, two folders up from `src/cli/` and from `dist/cli/`. */
const BENCH_PACKAGE_URL = new URL('../../package.json', import.meta.url);

let versions: ToolVersions | undefined;

function versionOf(text: string, what: string): string {
  const pkg = JSON.parse(text) as { version?: unknown };
  if (typeof pkg.version !== 'string') throw new Error(`${what} has no version`);
  return pkg.version;
}

/** The versions of the bench and of the Levee library it runs. */
export function toolVersions(): ToolVersions {
  if (versions === undefined) {
    const require = createRequire(import.meta.url);
    const leveePackage = require.resolve('@leveejs/levee/package.json');
    versions = {
      bench: versionOf(readFileSync(BENCH_PACKAGE_URL, 'utf8'), '@leveejs/bench'),
      levee: versionOf(readFileSync(leveePackage, 'utf8'), '@leveejs/levee'),
    };
  }
  return versions;
}

/** The `--version` line: `levee-bench 0.0.0 (@leveejs/levee 0.1.0, Node v20.19.0)`. */
export function versionText(nodeVersion: string = process.version): string {
  const v = toolVersions();
  return `levee-bench ${v.bench} (@leveejs/levee ${v.levee}, Node ${nodeVersion})\n`;
}
