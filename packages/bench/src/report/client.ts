/**
 * The report page's script: `page-script.js` next to this file, a plain
 * browser script (see its header). It is read from the package at run time,
 * by a path from the package root, so the same file is found from `src`
 * (vitest) and from `dist` (after the build, which does not copy it): both
 * sit two folders below the root.
 *
 * The page inlines the file's code without its leading comments: the
 * `// @ts-check` and lint directives and the description at the top are for
 * the editor and the checks, not for the page.
 */
import { readFileSync } from 'node:fs';

/** The script's file (the same from `src/report/` and `dist/report/`). */
export const PAGE_SCRIPT_URL = new URL('../../src/report/page-script.js', import.meta.url);

/** Leading `//` line comments and block comments, each ending a line. */
const HEADER = /^(?:\/\/[^\n]*\n|\/\*[\s\S]*?\*\/\n)*/;

/** `source` without its leading comments (everything from the first line that is not one). */
export function stripHeader(source: string): string {
  return source.replace(HEADER, '');
}

let script: string | undefined;

/** The code the page inlines after uPlot (read once, on first use). */
export function clientScript(): string {
  script ??= stripHeader(readFileSync(PAGE_SCRIPT_URL, 'utf8'));
  return script;
}
