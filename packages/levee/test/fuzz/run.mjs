#!/usr/bin/env node
// `npm run fuzz`: the fuzz driver of docs/ALGORITHM.md §6.2 on the build.
// Usage: node test/fuzz/run.mjs [--ops N] [--seed S]   (defaults: 10,000,000 ops, seed 1)
import { parseArgs } from 'node:util';
import * as lib from '../../dist/index.js';
import { fuzz } from './driver.mjs';

const { values } = parseArgs({
  options: { ops: { type: 'string', default: '10000000' }, seed: { type: 'string', default: '1' } },
});
const ops = Number(values.ops);
const seed = Number(values.seed);
if (!(Number.isInteger(ops) && ops > 0) || !Number.isInteger(seed)) {
  console.error(
    `--ops must be a positive integer and --seed an integer, got ${values.ops}, ${values.seed}`,
  );
  process.exit(2);
}
const t0 = performance.now();
let lastReport = t0;
const r = await fuzz({
  lib,
  ops,
  seed,
  onEpisode: (done) => {
    const now = performance.now();
    if (now - lastReport > 10_000) {
      lastReport = now;
      console.log(
        `  ${done.toLocaleString('en-US')} operations, ${((now - t0) / 1000).toFixed(0)} s`,
      );
    }
  },
});
const s = (performance.now() - t0) / 1000;
console.log(
  `fuzz: ${r.ops.toLocaleString('en-US')} operations in ${r.episodes.toLocaleString('en-US')} episodes, ` +
    `seed ${seed}, ${s.toFixed(1)} s (${Math.round(r.ops / s).toLocaleString('en-US')} ops/s); ` +
    `${r.transitions.toLocaleString('en-US')} transitions; operations ended in ` +
    Object.entries(r.states)
      .map(([k, v]) => `${k} ${v.toLocaleString('en-US')}`)
      .join(', ') +
    '; every invariant held',
);
