/** The report page of the mesh suite: what its traces chart (trace.ts). */
import { type ColumnSpec, type PageLayout, type SeriesSpec, SHARE } from '../../report/layout.js';

/**
 * The mesh page, for the topology's node names (in order), the nodes whose
 * replicas are shown at first and the scenario's phase windows.
 */
export function meshLayout(
  nodes: readonly string[],
  shown: readonly string[],
  phases: ReadonlyArray<{ startS: number; label: string }>,
): PageLayout {
  const palette = [
    '#2563eb',
    '#ea580c',
    '#16a34a',
    '#7c3aed',
    '#0891b2',
    '#be185d',
    '#65a30d',
    '#a16207',
    '#4338ca',
    '#0d9488',
  ];
  const columns: Record<string, ColumnSpec> = {
    offered: { scale: 1 },
    admitted: { scale: 1 },
    blocked: { scale: 1 },
    successes: { scale: 1 },
    failures: { scale: 1 },
    down: SHARE,
    nodesDown: { scale: 1000, coarseScale: 1000 },
  };
  const replicas: SeriesSpec[] = [];
  const calls: SeriesSpec[] = [];
  nodes.forEach((node, i) => {
    columns[`replicas:${node}`] = { scale: 1, coarseScale: 100 };
    columns[`calls:${node}`] = { scale: 1 };
    const color = palette[i % palette.length]!;
    const hidden = !shown.includes(node);
    replicas.push({ col: `replicas:${node}`, label: node, color, stepped: true, hidden });
    calls.push({ col: `calls:${node}`, label: node, color, hidden });
  });
  replicas.push({
    col: 'nodesDown',
    label: 'nodes down',
    color: '#111827',
    width: 1.5,
    stepped: true,
    y2: true,
  });
  return {
    id: 'mesh',
    columns,
    runCharts: [
      {
        key: 'requests',
        title: 'entry requests: offered, admitted and rejected (requests/s)',
        yLabel: 'requests/s',
        ymaxOption: true,
        series: [
          { col: 'offered', label: 'offered', color: '#9ca3af', fill: 'rgba(156,163,175,0.18)' },
          { col: 'admitted', label: 'admitted', color: '#2563eb', fill: 'rgba(37,99,235,0.16)' },
          { col: 'blocked', label: 'rejected', color: '#dc2626' },
        ],
      },
      {
        key: 'outcomes',
        title: 'entry requests finished: OK and failed (per second)',
        yLabel: 'requests/s',
        series: [
          { col: 'successes', label: 'completed OK', color: '#16a34a' },
          { col: 'failures', label: 'failed', color: '#dc2626' },
        ],
      },
      {
        key: 'replicas',
        title: 'live replicas per node (0 while crashed; click a legend entry to show a node)',
        yLabel: 'replicas',
        y2Label: 'nodes down',
        series: replicas,
      },
      {
        key: 'calls',
        title: 'calls admitted per node (per second)',
        yLabel: 'calls/s',
        series: calls,
      },
    ],
    compare: [
      {
        key: 'admitted',
        title: 'Entry requests admitted per second',
        yLabel: 'requests/s',
        shared: [
          { col: 'offered', label: 'offered', color: '#9ca3af', fill: 'rgba(156,163,175,0.15)' },
        ],
        perRun: [{ col: 'admitted', label: '' }],
      },
      {
        key: 'successes',
        title: 'Entry requests completed OK per second',
        yLabel: 'requests/s',
        perRun: [{ col: 'successes', label: '' }],
      },
      {
        key: 'failures',
        title: 'Entry requests failed per second (rejections not included)',
        yLabel: 'requests/s',
        perRun: [{ col: 'failures', label: '' }],
      },
    ],
    // A light band (not the closed loop's dark one): the rest of the mesh keeps serving.
    shade: { states: [{ col: 'down', rgb: [100, 116, 139] }] },
    note: 'One row per simulated second. Entry requests (both entry nodes together) are counted when they reach their entry node (offered = admitted + rejected by the entry governor; requests reaching a crashed entry node count as admitted and fail at their deadline) and when they finish (OK, or failed: an error, a rejected or failed sync call below, or the 1.5 s deadline). Live replicas are sampled at each node’s capacity tick (every second); calls admitted count every hop a node’s inbound governor let in. Dashed lines mark the scenario’s phases.',
    key: [
      {
        color: 'rgba(100,116,139,.38)',
        label: 'some node down (crash), ▼ crash start (node named)',
      },
      { color: '#6b7280', label: 'dashed: phase start' },
    ],
    marks: phases.filter((p) => p.startS > 0).map((p) => ({ atS: p.startS, label: p.label })),
  };
}
