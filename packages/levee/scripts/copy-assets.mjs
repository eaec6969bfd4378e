#!/usr/bin/env node
// Copies the files of src/ that tsc does not compile (everything but .ts, e.g. the
// dashboard's page.js and page.css) to the same place under dist/, so that the
// built package finds them beside its modules and the tarball needs no src/.
// Run after `tsc`; prints what it copied.
import { copyFileSync, mkdirSync, readdirSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const src = join(root, 'src');
const dist = join(root, 'dist');

/** Every file under `dir`, recursively. */
function* walk(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(path);
    else if (entry.isFile()) yield path;
  }
}

const copied = [];
for (const file of walk(src)) {
  if (file.endsWith('.ts')) continue;
  const target = join(dist, relative(src, file));
  mkdirSync(dirname(target), { recursive: true });
  copyFileSync(file, target);
  copied.push(relative(root, target));
}
console.log(`copy-assets: ${copied.length === 0 ? 'nothing to copy' : copied.join(', ')}`);
