/**
 * The page layout of the closed-loop trace (src/suites/closed-loop/trace.ts),
 * shared by every suite that records closed-loop runs: closed-loop, the three
 * sweeps and, with `instances` > 1, the cooperation fleet.
 */
import {
  type ChartSpec,
  type ColumnSpec,
  type PageLayout,
  type SeriesSpec,
  SHARE,
  STATE_KEY,
  STATE_SHADES,
} from '../../report/layout.js';

/**
 * Seconds between the probes of a fleet of `instances` breakers (cooperation
 * traces): a probe reads every instance (Levee's `snapshot()` allocates), so
 * a large fleet is probed less often — every 5 s for 100 instances — to keep
 * recording cheap.
 */
export function fleetProbeInterval(instances: number): number {
  return Math.max(1, Math.ceil(instances / 20));
}

/** Columns of the closed-loop trace the page stores. */
const CLOSED_LOOP_COLUMNS: Record<string, ColumnSpec> = {
  offered: { scale: 1 },
  admitted: { scale: 1 },
  capacity: { scale: 10 },
  successes: { scale: 1 },
  failures: { scale: 1 },
  shed: { scale: 1 },
  queueDrops: { scale: 1 },
  replicas: { scale: 1, coarseScale: 100 },
  load: { scale: 1000, coarseScale: 1000 },
  down: SHARE,
  throttled: SHARE,
  halfOpen: SHARE,
  open: SHARE,
  limit: { scale: 1, positiveOnly: true },
  inflight: { scale: 1 },
};

/**
 * The closed-loop page (closed-loop, load-variation, slo-sweep, queue-depth),
 * or with `instances` > 1 the cooperation page: the same charts of the shared
 * backend, with the breaker state shares, limit and inflight summed over the
 * instances.
 */
export function closedLoopLayout(instances = 1): PageLayout {
  const fleet = instances > 1;
  const columns = { ...CLOSED_LOOP_COLUMNS };
  if (fleet) columns.limiting = { scale: 1 };
  const limitSeries: SeriesSpec[] = [
    {
      col: 'limit',
      label: fleet ? 'summed limit' : 'limit',
      color: '#7c3aed',
      width: 1.5,
      stepped: true,
      zeroAsGap: true,
    },
    { col: 'inflight', label: fleet ? 'summed inflight' : 'inflight', color: '#2563eb' },
  ];
  if (fleet) {
    limitSeries.push({
      col: 'limiting',
      label: 'instances limiting',
      color: '#a16207',
      stepped: true,
      y2: true,
    });
  }
  const limitChart: ChartSpec = {
    key: 'limit',
    title: fleet
      ? `inflight limits and inflight summed over the ${instances} instances (sampled every ${fleetProbeInterval(instances)} s)`
      : 'inflight limit and inflight (sampled each second)',
    yLabel: 'requests',
    series: limitSeries,
    needs: 'limit',
  };
  if (fleet) limitChart.y2Label = 'instances';
  return {
    id: fleet ? 'cooperation' : 'closed-loop',
    columns,
    runCharts: [
      {
        key: 'requests',
        title: fleet
          ? `offered, admitted (all ${instances} instances) and capacity (requests/s)`
          : 'offered, admitted and capacity (requests/s)',
        yLabel: 'requests/s',
        ymaxOption: true,
        series: [
          { col: 'offered', label: 'offered', color: '#9ca3af', fill: 'rgba(156,163,175,0.18)' },
          { col: 'admitted', label: 'admitted', color: '#2563eb', fill: 'rgba(37,99,235,0.16)' },
          { col: 'capacity', label: 'capacity', color: '#15803d', width: 2, stepped: true },
        ],
      },
      {
        key: 'outcomes',
        title: 'completions (per second)',
        yLabel: 'completions/s',
        series: [
          { col: 'successes', label: 'successes', color: '#16a34a' },
          { col: 'failures', label: 'failures', color: '#dc2626' },
          { col: 'shed', label: 'shed', color: '#ea580c', hidden: true },
          { col: 'queueDrops', label: 'queue drops', color: '#92400e', hidden: true },
        ],
      },
      limitChart,
      {
        key: 'backend',
        title: 'backend: live replicas and load EWMA',
        yLabel: 'replicas',
        y2Label: 'load (1 = pool full)',
        series: [
          { col: 'replicas', label: 'replicas', color: '#0f766e', width: 1.5, stepped: true },
          { col: 'load', label: 'load EWMA', color: '#b45309', y2: true },
        ],
      },
    ],
    compare: [
      {
        key: 'admitted',
        title: 'Admitted requests per second (dashed: each backend\u2019s capacity)',
        yLabel: 'requests/s',
        shared: [
          { col: 'offered', label: 'offered', color: '#9ca3af', fill: 'rgba(156,163,175,0.15)' },
        ],
        perRun: [
          { col: 'admitted', label: '' },
          { col: 'capacity', label: ' capacity', width: 1.5, dash: [6, 4], stepped: true },
        ],
      },
      {
        key: 'successes',
        title: 'Successes per second',
        yLabel: 'successes/s',
        perRun: [{ col: 'successes', label: '' }],
      },
      {
        key: 'failures',
        title: 'Failures per second',
        yLabel: 'failures/s',
        perRun: [{ col: 'failures', label: '' }],
      },
    ],
    shade: { states: STATE_SHADES, down: 'down' },
    note: fleet
      ? `One row per simulated second; all ${instances} instances share one backend. Capacity is the backend's service capacity: worker slots ÷ mean nominal service time of the spec in force (0 while the backend is down). Offered and admitted are counted by arrival second over all instances, successes and failures by completion time; replicas and load are sampled at the first arrival of each second, the summed limits and inflight (which read every instance) every ${fleetProbeInterval(instances)} s. The state shading is the fraction of instance-time in each state (e.g. half the instances throttled for the whole second shade like one instance throttled for half of it).`
      : "One row per simulated second. Capacity is the backend's service capacity: worker slots ÷ mean nominal service time of the spec in force (the rate the worker pool can serve; 0 while the backend is down). Offered and admitted are counted by arrival second, successes and failures by completion time; replicas, load and the inflight limit are sampled at the first arrival of each second.",
    key: [
      ...STATE_KEY,
      { color: 'rgba(17,24,39,.5)', label: 'backend down (crash), ▼ crash start' },
    ],
  };
}
