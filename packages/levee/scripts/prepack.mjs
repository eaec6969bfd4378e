#!/usr/bin/env node
// `npm pack` / `npm publish` run this first (the package's "prepack" script):
// a clean build, so that nothing stale in dist/ (the output of a source file
// since renamed or deleted: tsc never removes those) can reach the tarball,
// then a copy of the repository's CHANGELOG.md beside package.json (npm packs
// only files inside the package folder; the copy is git-ignored).
import { execFileSync } from 'node:child_process';
import { copyFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

rmSync(join(root, 'dist'), { recursive: true, force: true });
// Without its build info, an incremental tsc would not notice that dist/ is gone.
rmSync(join(root, 'tsconfig.tsbuildinfo'), { force: true });
// Everything goes to stderr: `npm pack --json` prints its JSON on stdout.
execFileSync('npm', ['run', 'build'], { cwd: root, stdio: ['ignore', 2, 2] });
copyFileSync(join(root, '..', '..', 'CHANGELOG.md'), join(root, 'CHANGELOG.md'));
console.error('prepack: clean build done, CHANGELOG.md copied from the repository root');
