/**
 * Output of the mesh suite: the results table in the layout of the published
 * mesh table (docs/BENCHMARKS.md §6.7), the crash and per-entry Delta lines, a
 * node-health table and the Levee role dwell; the JSON document; the
 * scoreboard row (MeshDelta, higher is better, Levee vs the best competitor).
 */
import type { MeshResult } from './runner.js';

/**
 * `x` with one decimal like Go's `%.1f` (ties on the exact binary value go
 * to the even digit; JS `toFixed` would round x.25 up).
 */
export function fixed1(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? '+Inf' : '-Inf';
  const negative = x < 0 || Object.is(x, -0);
  const abs = Math.abs(x);
  let text = abs.toFixed(1);
  // An exact tie at the second decimal is a fraction of .25 or .75; .25 must go down.
  const quarters = abs * 4;
  if (abs < 1e15 && Number.isInteger(quarters) && quarters % 4 === 1) {
    text = `${Math.floor(abs)}.2`;
  }
  return negative ? `-${text}` : text;
}

/** `x` rounded to `d` decimals as a number, for JSON. */
export function roundTo(x: number, d: number): number {
  const f = 10 ** d;
  const r = Math.round(x * f) / f;
  return r === 0 ? 0 : r;
}

const SEP = ' | ';

function row(cells: readonly string[], widths: readonly number[]): string {
  return cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(SEP);
}

/** The main table exactly in the published layout. */
export function formatMeshTable(results: readonly MeshResult[]): string {
  const widths = [15, 9, 9, 9, 9, 10];
  const header = ['Candidate', 'Allowed', 'Blocked', 'Success', 'Failures', 'MeshDelta'];
  for (const r of results) widths[0] = Math.max(widths[0]!, r.candidate.length);
  const lines = [row(header, widths)];
  for (const r of results) {
    lines.push(
      row(
        [
          r.candidate,
          String(r.allowed),
          String(r.blocked),
          String(r.successes),
          String(r.failures),
          fixed1(r.meshDelta),
        ],
        widths,
      ),
    );
  }
  return `${lines.join('\n')}\n`;
}

/** "edge-api x7, inventory x2, …": crashed nodes by count (desc), ties in topology order. */
export function crashList(r: MeshResult): string {
  return r.nodes
    .map((n, i) => ({ n, i }))
    .filter(({ n }) => n.crashes > 0)
    .sort((a, b) => b.n.crashes - a.n.crashes || a.i - b.i)
    .map(({ n }) => `${n.node} x${n.crashes}`)
    .join(', ');
}

/** The "Crashes:" and "Per-entry Delta:" lines of the published layout. */
export function formatMeshNotes(results: readonly MeshResult[]): string {
  const crashed = results.filter((r) => r.totalCrashes > 0);
  const calm = results.length - crashed.length;
  const parts = crashed.map((r) => `${r.candidate} ${crashList(r)}`);
  let crashes: string;
  if (parts.length === 0) crashes = 'Crashes: none.';
  else {
    crashes = `Crashes: ${parts.join(';\n         ')}`;
    crashes += calm > 0 ? '; others none.' : '.';
  }
  const entries = results.map(
    (r) => `${r.candidate} ${r.entries.map((e) => `${e.node} ${fixed1(e.delta)}`).join(', ')}`,
  );
  const perEntry = `Per-entry Delta: ${entries.join(';\n                 ')}.`;
  return `${crashes}\n${perEntry}\n`;
}

/** Downtime per crashed node and governor (seconds within the scenario). */
export function formatNodeHealth(results: readonly MeshResult[]): string {
  const first = results[0];
  if (first === undefined) return '';
  const nodes = first.nodes
    .map((_, i) => i)
    .filter((i) => results.some((r) => r.nodes[i]!.crashes > 0));
  if (nodes.length === 0) return 'Node health: no crashes.\n';
  const header = ['Node (crashes / downtime s)', ...results.map((r) => r.candidate)];
  const widths = header.map((h) => h.length);
  const body = nodes.map((i) => [
    first.nodes[i]!.node,
    ...results.map((r) => {
      const n = r.nodes[i]!;
      return n.crashes === 0 ? '-' : `${n.crashes} / ${n.downtimeS.toFixed(1)}`;
    }),
  ]);
  for (const cells of body) {
    cells.forEach((c, j) => {
      widths[j] = Math.max(widths[j]!, c.length);
    });
  }
  return `${[row(header, widths), ...body.map((c) => row(c, widths))].join('\n')}\n`;
}

/** Levee instances per role: share of instance-time in CLOSED / THROTTLED / OPEN+HALF_OPEN. */
export function formatLeveeRoles(results: readonly MeshResult[]): string {
  const lines: string[] = [];
  for (const r of results) {
    if (r.levee === undefined) continue;
    for (const [name, s] of [
      ['inbound', r.levee.inbound],
      ['edge', r.levee.edge],
    ] as const) {
      const total = s.closedS + s.throttledS + s.openS;
      const pct = (x: number): string => (total > 0 ? ((100 * x) / total).toFixed(2) : '0.00');
      lines.push(
        `${r.candidate} ${name}: ${s.instances} instances, CLOSED ${pct(s.closedS)}%, THROTTLED ${pct(s.throttledS)}%, OPEN+HALF_OPEN ${pct(s.openS)}%, ${s.transitions} transitions`,
      );
    }
  }
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}

/** Everything the suite prints. */
export function formatMeshReport(results: readonly MeshResult[]): string {
  const first = results[0];
  const title =
    first === undefined
      ? ''
      : `Mesh benchmark: Storefront, 10 nodes, phases ${first.phases} (${first.durationS} s), seed ${first.seed}\n`;
  return [
    title,
    formatMeshTable(results),
    formatMeshNotes(results),
    '\n',
    formatNodeHealth(results),
    formatLeveeRoles(results),
  ].join('');
}

/** A result with a fixed key order and floats rounded for JSON. */
export function meshResultJson(r: MeshResult): object {
  const score = (s: MeshResult | MeshResult['entries'][number]) => ({
    allowed: s.allowed,
    blocked: s.blocked,
    successes: s.successes,
    failures: s.failures,
    successScore: roundTo(s.successScore, 2),
    failureScore: roundTo(s.failureScore, 2),
    delta: roundTo(s.delta, 2),
  });
  const out: Record<string, unknown> = {
    governor: r.governor,
    candidate: r.candidate,
    ...score(r),
    meshDelta: roundTo(r.meshDelta, 2),
    entries: r.entries.map((e) => ({ node: e.node, ...score(e) })),
    nodes: r.nodes.map((n) => ({ ...n, downtimeS: roundTo(n.downtimeS, 3) })),
    totalCrashes: r.totalCrashes,
  };
  if (r.levee !== undefined) {
    const role = (s: NonNullable<MeshResult['levee']>['inbound']) => ({
      instances: s.instances,
      closedS: roundTo(s.closedS, 3),
      throttledS: roundTo(s.throttledS, 3),
      openS: roundTo(s.openS, 3),
      transitions: s.transitions,
    });
    out.levee = { inbound: role(r.levee.inbound), edge: role(r.levee.edge) };
  }
  return out;
}
