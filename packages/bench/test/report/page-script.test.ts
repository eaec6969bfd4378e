/**
 * The report's page script as a file: what the page inlines (the file's code
 * without its header comments), and its type check against the DOM and uPlot
 * types (tsconfig.page-script.json), which must pass and must catch a typo.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { clientScript, PAGE_SCRIPT_URL, stripHeader } from '../../src/report/client.js';
import { renderReport } from '../../src/report/page.js';

const PACKAGE = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const FILE = resolve(PACKAGE, 'src/report/page-script.js');
const TSCONFIG = resolve(PACKAGE, 'tsconfig.page-script.json');

describe('page script file', () => {
  const source = readFileSync(FILE, 'utf8');

  it('is src/report/page-script.js, type-checked from its first line', () => {
    expect(fileURLToPath(PAGE_SCRIPT_URL)).toBe(FILE);
    expect(source.startsWith('// @ts-check\n')).toBe(true);
  });

  it('goes into the page without its header, from the code on', () => {
    const code = clientScript();
    expect(code).toBe(stripHeader(source));
    expect(source.endsWith(code)).toBe(true);
    expect(code.startsWith("\n(function () {\n  'use strict';\n")).toBe(true);
    expect(code.endsWith('\n})();\n')).toBe(true);
    expect(code).not.toContain('@ts-check');
    expect(code).not.toContain('biome-ignore');
    expect(code).not.toMatch(/<\/script/i);
    const page = renderReport({ suite: 'closed-loop', config: {}, results: [], traces: [] });
    expect(page).toContain(`<script>${code}</script>\n</body>`);
  });

  it('strips only the leading comment lines', () => {
    expect(stripHeader('// a\n/**\n * b\n */\n// c\n\nx(); // d\n/* e */\n')).toBe(
      '\nx(); // d\n/* e */\n',
    );
    expect(stripHeader('x();\n// a\n')).toBe('x();\n// a\n');
    expect(stripHeader('/* a */ x();\n')).toBe('/* a */ x();\n');
  });
});

describe('page script type check (tsconfig.page-script.json)', () => {
  const config = ts.getParsedCommandLineOfConfigFile(TSCONFIG, undefined, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (d) => {
      throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    },
  });
  if (config === undefined) throw new Error(`cannot read ${TSCONFIG}`);

  /** Diagnostics of the project, with the script's text replaced by `text` when given. */
  function check(text?: string, old?: ts.Program): { messages: string[]; program: ts.Program } {
    const host = ts.createCompilerHost(config!.options);
    const getSourceFile = host.getSourceFile.bind(host);
    host.getSourceFile = (name, lang, onError, create) =>
      text !== undefined && resolve(name) === FILE
        ? ts.createSourceFile(name, text, lang, true)
        : getSourceFile(name, lang, onError, create);
    const program = ts.createProgram({
      rootNames: config!.fileNames,
      options: config!.options,
      host,
      ...(old === undefined ? {} : { oldProgram: old }),
    });
    const messages = ts
      .getPreEmitDiagnostics(program)
      .map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    return { messages, program };
  }

  it('passes, and fails on a misspelt DOM method', () => {
    expect(config.fileNames.map((f) => resolve(f))).toContain(FILE);
    expect(config.options.checkJs).toBe(true);
    const clean = check();
    expect(clean.messages).toEqual([]);
    const source = readFileSync(FILE, 'utf8');
    const typo = source.replace(
      "document.getElementById('status')",
      "document.getElementByID('status')",
    );
    expect(typo).not.toBe(source);
    const broken = check(typo, clean.program);
    expect(broken.messages.join('\n')).toContain("Property 'getElementByID' does not exist");
  });
});
