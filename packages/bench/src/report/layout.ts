/**
 * What a report page charts: a `PageLayout` names the trace columns the page
 * stores (with their quantisation), the charts drawn for every run, the
 * comparison charts overlaying the runs, the background shading and any
 * page-wide markers (e.g. the mesh's phase boundaries). The page script
 * (page-script.js) draws whatever the layout describes, so a suite with a new
 * trace shape only needs a layout, not new page code.
 *
 * Layouts are plain data (they travel with a trace from a worker thread and
 * are embedded in the page as JSON). This module holds the types, the pieces
 * any layout may use (the breaker-state shading) and the layout of the
 * closed-loop trace (trace.ts), which a trace without a layout of its own
 * gets; the suites with other trace shapes keep theirs in their folder
 * (src/suites/prescient/layout.ts, src/suites/mesh/layout.ts).
 */

/** A typed-array column of per-second values (row i = simulated second i). */
export type TraceColumn =
  | Uint8Array
  | Uint16Array
  | Uint32Array
  | Int32Array
  | Float32Array
  | Float64Array;

/** A marker on the time axis: a crash (per run) or a page-wide event such as a phase start. */
export interface TraceCrash {
  startS: number;
  endS: number;
  /** Label drawn at the marker (default `crash`). */
  label?: string;
}

/** The page-level view of any trace: what `renderReport` needs. */
export interface ChartTrace {
  /** The candidate's (or governor's) display name. */
  candidate: string;
  /** Number of rows (simulated seconds). */
  seconds: number;
  /** Crash markers (▼ and a line; `endS` is only informative). */
  crashes: readonly TraceCrash[];
  columns: { readonly [name: string]: TraceColumn | undefined };
  /** What to chart; default `closedLoopLayout()`. Every trace of a page must share one. */
  layout?: PageLayout;
}

/** Quantisation of a stored column: integer = round(value × scale). */
export interface ColumnSpec {
  scale: number;
  /** Scale of the overview means (default 10 × `scale`). */
  coarseScale?: number;
  /** Overview means over positive values only (0 = "none", e.g. an inflight limit). */
  positiveOnly?: boolean;
}

/** One line of a chart. */
export interface SeriesSpec {
  /** The column drawn. */
  col: string;
  /** Legend label; in a comparison chart's per-run series, a suffix to the run's label. */
  label: string;
  /** Line colour (comparison per-run series: the run's colour when absent). */
  color?: string;
  fill?: string;
  width?: number;
  dash?: number[];
  /** Draw as steps (sampled values). */
  stepped?: boolean;
  /** Hidden until its legend entry is clicked. */
  hidden?: boolean;
  /** On the right-hand axis. */
  y2?: boolean;
  /** Zero is drawn as a gap (e.g. "no limit enforced"). */
  zeroAsGap?: boolean;
}

/** A chart drawn for every run, keyed `<run label>/<key>`. */
export interface ChartSpec {
  key: string;
  /** Title after `<run label> — `. */
  title: string;
  yLabel: string;
  y2Label?: string;
  series: SeriesSpec[];
  /** Drawn only for runs that have this column. */
  needs?: string;
  /** The `ymax=` location-hash option applies (the requests chart). */
  ymaxOption?: boolean;
}

/** A comparison chart, keyed `compare/<key>`: some series of the first run, then per-run series. */
export interface CompareSpec {
  key: string;
  title: string;
  yLabel: string;
  /** Series taken from the first run, shown once (e.g. the offered load, the same for every run). */
  shared?: SeriesSpec[];
  /** Series repeated for every run, in its colour, toggled by the run picker. */
  perRun: SeriesSpec[];
}

/** A band colour: red, green, blue (0–255). */
export type Rgb = [number, number, number];

export interface ShadeSpec {
  /** State-share columns (each in [0, 1] per second), drawn behind the series. */
  states: Array<{ col: string; rgb: Rgb }>;
  /** A share column that, where positive, replaces the state shading with a dark band (backend down). */
  down?: string;
  /** A share column drawn as a strip along the top edge of the plot (e.g. the oracle OPEN). */
  strip?: { col: string; rgb: Rgb };
}

/** A swatch of the key under the controls. */
export interface KeyItem {
  color: string;
  label: string;
}

export interface PageLayout {
  /** Name of the layout (closed-loop, cooperation, prescient, mesh). */
  id: string;
  /** Every column the page stores, with its quantisation. */
  columns: Record<string, ColumnSpec>;
  /** Charts per run, in order. */
  runCharts: ChartSpec[];
  /** Comparison charts (shown when there are two runs or more). */
  compare: CompareSpec[];
  shade: ShadeSpec;
  /** The paragraph under "Per-second traces". */
  note: string;
  /** The colour key shown with the charts. */
  key: KeyItem[];
  /** Page-wide vertical markers (dashed line and label), seconds. */
  marks?: Array<{ atS: number; label: string }>;
}

/**
 * Seconds between the probes of a fleet of `instances` breakers (cooperation
 * traces): a probe reads every instance (Levee's `snapshot()` allocates), so
 * a large fleet is probed less often — every 5 s for 100 instances — to keep
 * recording cheap.
 */
export function fleetProbeInterval(instances: number): number {
  return Math.max(1, Math.ceil(instances / 20));
}

/** The shading of the breaker's state shares (throttled, half-open, open), for any layout. */
export const STATE_SHADES: ShadeSpec['states'] = [
  { col: 'throttled', rgb: [245, 158, 11] },
  { col: 'halfOpen', rgb: [147, 51, 234] },
  { col: 'open', rgb: [220, 38, 38] },
];

/** The key of `STATE_SHADES`. */
export const STATE_KEY: KeyItem[] = [
  { color: 'rgba(245,158,11,.45)', label: 'throttled' },
  { color: 'rgba(220,38,38,.45)', label: 'open' },
  { color: 'rgba(147,51,234,.45)', label: 'half-open' },
];

/** The quantisation of a share column (values in [0, 1]). */
export const SHARE: ColumnSpec = { scale: 1000, coarseScale: 1000 };

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
