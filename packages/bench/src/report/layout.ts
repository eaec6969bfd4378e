/**
 * What a report page charts: a `PageLayout` names the trace columns the page
 * stores (with their quantisation), the charts drawn for every run, the
 * comparison charts overlaying the runs, the background shading and any
 * page-wide markers (e.g. the mesh's phase boundaries). The page script
 * (page-script.js) draws whatever the layout describes, so a suite with a new
 * trace shape only needs a layout, not new page code.
 *
 * Layouts are plain data (they travel with a trace from a worker thread and
 * are embedded in the page as JSON). This module holds the types and the
 * pieces any layout may use (the breaker-state shading); every suite keeps
 * its own layout in its folder (src/suites/closed-loop/layout.ts, also used by
 * the sweeps and the cooperation fleet; src/suites/prescient/layout.ts;
 * src/suites/mesh/layout.ts).
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
  /** What to chart (each suite's recorder sets its own). Every trace of a page must share one. */
  layout: PageLayout;
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

/** The layout embedded in a page without traces: nothing to chart. */
export const NO_TRACES_LAYOUT: PageLayout = {
  id: 'none',
  columns: {},
  runCharts: [],
  compare: [],
  shade: { states: [] },
  note: '',
  key: [],
};
