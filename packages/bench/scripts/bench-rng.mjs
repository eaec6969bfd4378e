#!/usr/bin/env node
// Micro-benchmark of the Go math/rand/v2 port (CPU time per draw).
//
//   npx tsc -b packages/bench && node packages/bench/scripts/bench-rng.mjs [millions]
import { cpuUsage } from 'node:process';
import { GoRand } from '../dist/sim/rng/go-rand.js';

const n = Math.round((Number(process.argv[2]) || 20) * 1e6);
const g = GoRand.seeded(20241225);
let sink = 0;

function measure(label, fn) {
  const c0 = cpuUsage();
  fn();
  const us = cpuUsage(c0).user;
  console.log(
    `${label}: ${((us * 1000) / n).toFixed(1)} ns/draw, ${(n / us).toFixed(1)} M/s (cpu ${(us / 1e6).toFixed(2)} s)`,
  );
}

for (let round = 0; round < 2; round++) {
  measure('float64   ', () => {
    for (let i = 0; i < n; i++) sink += g.float64();
  });
  measure('expFloat64', () => {
    for (let i = 0; i < n; i++) sink += g.expFloat64();
  });
  measure('uint32    ', () => {
    for (let i = 0; i < n; i++) sink += g.uint32();
  });
}
if (!(sink > 0)) console.log('unexpected sink', sink);
