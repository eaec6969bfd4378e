#!/usr/bin/env node
// Checks the mesh simulator against the published 30-minute results of
// docs/BENCHMARKS.md §6.7 (upstream bf42c22): every cell of the table (Allowed,
// Blocked, Success, Failures, MeshDelta as printed), the per-node crash
// counts, and the per-entry Deltas where published. A few seconds to ~20 s
// per governor, so not part of CI (the tests pin the short A–B run instead).
//
//   npx tsc -b packages/bench && node packages/bench/scripts/verify-mesh.mjs [governor ...]
//
// Governors: no-gov static-breaker static-limiter static-full levee (default: all).
// Exits non-zero on any mismatch.
import { fixed1, formatMeshReport } from '../dist/suites/mesh/format.js';
import { GOVERNOR_KINDS } from '../dist/suites/mesh/governors.js';
import { PUBLISHED_MESH } from '../dist/suites/mesh/published.js';
import { runMeshJob } from '../dist/suites/mesh/runner.js';

const wanted = process.argv.slice(2);
for (const g of wanted) {
  if (!GOVERNOR_KINDS.includes(g)) {
    console.error(`unknown governor ${g}; known: ${GOVERNOR_KINDS.join(', ')}`);
    process.exit(2);
  }
}
const order = ['no-gov', 'static-breaker', 'static-limiter', 'static-full', 'levee'];
const governors = wanted.length > 0 ? wanted : order;

let failures = 0;
const results = [];
for (const governor of governors) {
  const started = performance.now();
  const r = runMeshJob({ governor });
  const wallS = (performance.now() - started) / 1000;
  results.push(r);
  const want = PUBLISHED_MESH[governor];
  const checks = [
    ['Allowed', String(r.allowed), String(want.allowed)],
    ['Blocked', String(r.blocked), String(want.blocked)],
    ['Success', String(r.successes), String(want.successes)],
    ['Failures', String(r.failures), String(want.failures)],
    ['MeshDelta', fixed1(r.meshDelta), fixed1(want.meshDelta)],
  ];
  for (const n of r.nodes) {
    checks.push([`crashes ${n.node}`, String(n.crashes), String(want.crashes[n.node] ?? 0)]);
  }
  for (const e of r.entries) {
    const published = want.entryDelta?.[e.node];
    if (published !== undefined)
      checks.push([`Delta ${e.node}`, fixed1(e.delta), fixed1(published)]);
  }
  const bad = checks.filter(([, ours, theirs]) => ours !== theirs);
  failures += bad.length;
  console.log(
    `${want.candidate.padEnd(15)} ${bad.length === 0 ? 'OK ' : 'BAD'} ${checks.length} cells, ${wallS.toFixed(1)} s wall, ${r.events} events`,
  );
  for (const [what, ours, theirs] of bad)
    console.log(`    ${what}: ours ${ours}, published ${theirs}`);
}
console.log();
console.log(formatMeshReport(results));
if (failures > 0) {
  console.error(`${failures} mismatching cell(s)`);
  process.exit(1);
}
console.log('all published cells reproduced');
