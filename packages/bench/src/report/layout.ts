/**
 * What a report page charts: a `PageLayout` names the trace columns the page
 * stores (with their quantisation), the charts drawn for every run, the
 * comparison charts overlaying the runs, the background shading and any
 * page-wide markers (e.g. the mesh's phase boundaries). The page script
 * (client.ts) draws whatever the layout describes, so a suite with a new
 * trace shape only needs a layout, not new page code.
 *
 * Layouts are plain data (they travel with a trace from a worker thread and
 * are embedded in the page as JSON). A trace without one is a closed-loop
 * trace (`closedLoopLayout()`).
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

const STATE_SHADES: ShadeSpec['states'] = [
  { col: 'throttled', rgb: [245, 158, 11] },
  { col: 'halfOpen', rgb: [147, 51, 234] },
  { col: 'open', rgb: [220, 38, 38] },
];

const STATE_KEY: KeyItem[] = [
  { color: 'rgba(245,158,11,.45)', label: 'throttled' },
  { color: 'rgba(220,38,38,.45)', label: 'open' },
  { color: 'rgba(147,51,234,.45)', label: 'half-open' },
];

const SHARE = { scale: 1000, coarseScale: 1000 };

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

/** The prescient (open-loop) page. */
export function prescientLayout(): PageLayout {
  return {
    id: 'prescient',
    columns: {
      offered: { scale: 1 },
      admitted: { scale: 1 },
      blocked: { scale: 1 },
      oracleBlock: { scale: 1 },
      oracleAdmit: { scale: 1 },
      successes: { scale: 1 },
      failures: { scale: 1 },
      bad: { scale: 1 },
      lost: { scale: 1 },
      badTraffic: { scale: 10, coarseScale: 10 },
      lostBusiness: { scale: 10, coarseScale: 10 },
      totalPenalty: { scale: 10, coarseScale: 10 },
      oracleOpen: SHARE,
      throttled: SHARE,
      halfOpen: SHARE,
      open: SHARE,
      limit: { scale: 1, positiveOnly: true },
      inflight: { scale: 1 },
    },
    runCharts: [
      {
        key: 'requests',
        title: 'offered, admitted and blocked, and what the oracle blocks (requests/s)',
        yLabel: 'requests/s',
        ymaxOption: true,
        series: [
          { col: 'offered', label: 'offered', color: '#9ca3af', fill: 'rgba(156,163,175,0.18)' },
          { col: 'admitted', label: 'admitted', color: '#2563eb', fill: 'rgba(37,99,235,0.16)' },
          { col: 'blocked', label: 'blocked', color: '#dc2626' },
          {
            col: 'oracleBlock',
            label: 'oracle blocks',
            color: '#111827',
            width: 1.5,
            dash: [5, 3],
          },
        ],
      },
      {
        key: 'penalty',
        title: 'penalty buckets: bad traffic and lost business (requests/s)',
        yLabel: 'requests/s',
        series: [
          { col: 'bad', label: 'bad traffic (admitted, oracle OPEN)', color: '#b91c1c' },
          { col: 'lost', label: 'lost business (blocked, oracle CLOSED)', color: '#7c3aed' },
        ],
      },
      {
        key: 'score',
        title: 'penalties so far: √Σ(per-second count)²',
        yLabel: 'penalty',
        series: [
          { col: 'badTraffic', label: 'BadTraffic', color: '#b91c1c' },
          { col: 'lostBusiness', label: 'LostBusiness', color: '#7c3aed' },
          { col: 'totalPenalty', label: 'TotalPenalty', color: '#111827', width: 1.5 },
        ],
      },
      {
        key: 'outcomes',
        title: 'outcomes reported to the breaker (per second)',
        yLabel: 'completions/s',
        series: [
          { col: 'successes', label: 'successes', color: '#16a34a' },
          { col: 'failures', label: 'failures', color: '#dc2626' },
        ],
      },
      {
        key: 'limit',
        title: 'inflight limit and inflight (sampled each second)',
        yLabel: 'requests',
        needs: 'limit',
        series: [
          {
            col: 'limit',
            label: 'limit',
            color: '#7c3aed',
            width: 1.5,
            stepped: true,
            zeroAsGap: true,
          },
          { col: 'inflight', label: 'inflight', color: '#2563eb' },
        ],
      },
    ],
    compare: [
      {
        key: 'admitted',
        title: 'Admitted requests per second (dashed: what the oracle admits)',
        yLabel: 'requests/s',
        shared: [
          { col: 'offered', label: 'offered', color: '#9ca3af', fill: 'rgba(156,163,175,0.15)' },
          { col: 'oracleAdmit', label: 'oracle admits', color: '#111827', dash: [5, 3] },
        ],
        perRun: [{ col: 'admitted', label: '' }],
      },
      {
        key: 'penalty',
        title: 'TotalPenalty so far',
        yLabel: 'penalty',
        perRun: [{ col: 'totalPenalty', label: '' }],
      },
      {
        key: 'bad',
        title: 'Bad traffic per second (admitted while the oracle is OPEN)',
        yLabel: 'requests/s',
        perRun: [{ col: 'bad', label: '' }],
      },
      {
        key: 'lost',
        title: 'Lost business per second (blocked while the oracle is CLOSED)',
        yLabel: 'requests/s',
        perRun: [{ col: 'lost', label: '' }],
      },
    ],
    shade: {
      states: STATE_SHADES,
      strip: { col: 'oracleOpen', rgb: [17, 24, 39] },
    },
    note: "One row per simulated second of stream time, which are also the penalty buckets. Every candidate replays the same requests, so offered and the oracle's verdict are the same for all. Offered, admitted, blocked and the penalty counts are counted at each request start; outcomes at completion, for the requests the breaker admitted. The oracle is OPEN while the spec in force has an error rate above 1 − SLO; it blocks every request started while it is OPEN. The penalty totals are √Σ of the squared per-second counts up to each second; the last value is the table's.",
    key: [...STATE_KEY, { color: 'rgba(17,24,39,.8)', label: 'strip along the top: oracle OPEN' }],
    marks: [],
  };
}

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
