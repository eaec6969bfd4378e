/**
 * The HTML report: one self-contained page per suite (uPlot, its CSS, the
 * page script and the data all inlined, so it works offline from a file), and
 * an index page linking the suites' pages.
 *
 * Why uPlot: it draws on a canvas, so a 28-hour trace (100,800 points per
 * series, several series per chart, a dozen charts) stays fast to draw, zoom
 * and hover; its line paths collapse the points that fall on one pixel column
 * to a min/max pair, so a zoomed-out day draws about as fast as an hour; it is
 * about 50 KB minified with no dependencies (small enough to inline in every
 * page); and it has the two interactions the report needs built in: drag to
 * zoom, and a cursor sync group (the x-scale sync is a few lines on its
 * `setScale` hook).
 *
 * The data: each trace column is quantised, delta + zigzag + varint encoded,
 * deflated and base64'd (encode.ts); identical columns (the offered load is
 * the same for every candidate of a run) are stored once.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { clientScript } from './client.js';
import { configEntries } from './config.js';
import { encodeColumn } from './encode.js';
import { type ChartTrace, NO_TRACES_LAYOUT, type PageLayout } from './layout.js';
import { type TextTable, textBlocks } from './text-tables.js';

/** A prepared table: a title, column headers and rows of cells. */
export interface ReportTable {
  title?: string;
  columns: readonly string[];
  rows: readonly (readonly (string | number | null)[])[];
}

/**
 * A trace with the label it is shown under (defaults to the candidate's
 * name). Any `ChartTrace`: a closed-loop `Trace`, or one that carries its
 * own `layout` (cooperation, prescient, mesh).
 */
export type ReportTrace = ChartTrace & { label?: string; summary?: string };

/** What the page's "how to read this" header says about the metric (a suite's `guide`). */
export interface ReportGuide {
  /** The headline metric, e.g. `Delta`. */
  metric: string;
  higherIsBetter: boolean;
  /** A few plain-text sentences; paragraphs separated by a blank line. */
  explanation: string;
}

/** A candidate listed in the header: display name, key and one line. */
export interface ReportCandidate {
  name: string;
  key?: string;
  description?: string;
}

export interface ReportInput {
  /** Suite name, e.g. `closed-loop`. */
  suite: string;
  /** Page title; default `levee-bench <suite>`. */
  title?: string;
  /** One paragraph under the title. */
  description?: string;
  /**
   * The run's configuration (a suite's JSON `config` block), shown as a
   * labelled list (config.ts).
   */
  config: unknown;
  /** The metric, for the "how to read this" header. */
  guide?: ReportGuide | undefined;
  /** The candidates on the page, for the header (one line each). */
  candidates?: readonly ReportCandidate[];
  /**
   * The results when there is no `text`: either prepared tables, or one row
   * object per candidate or configuration (flattened into one table; nested
   * keys joined with a dot).
   */
  results: readonly ReportTable[] | readonly object[];
  /**
   * The suite's tables as printed on stdout. When given they are the page's
   * results, shown once as HTML tables with the notes between them
   * (text-tables.ts), and `results` is not shown.
   */
  text?: string;
  /** Per-second traces, one per run shown; may be empty (results only). */
  traces: readonly ReportTrace[];
  /**
   * Clock time of day (seconds after midnight) at simulated second 0, for the
   * x axis (e.g. 72,000 for the Cyber Monday run's Sunday 20:00 start). Without
   * it the axis shows elapsed h:mm.
   */
  clockStartS?: number;
  /** Base64 bytes of per-second data the page may hold (default `FULL_RESOLUTION_BUDGET`). */
  fullResolutionBudget?: number;
}

export interface IndexEntry {
  /** Link target, relative to the index page (e.g. `closed-loop.html`). */
  href: string;
  title: string;
  /** One line under the link. */
  description?: string;
}

const KNOWN_COLORS: Readonly<Record<string, string>> = {
  Levee: '#2563eb',
  'Static-Peak': '#ea580c',
  'Static-BAU': '#7c3aed',
  'No-CB': '#4b5563',
  'No-Gov': '#4b5563',
};
const PALETTE = ['#0891b2', '#be185d', '#65a30d', '#a16207', '#4338ca', '#0d9488', '#9f1239'];

interface UplotAssets {
  js: string;
  css: string;
  version: string;
  license: string;
}

let uplotAssets: UplotAssets | undefined;

/**
 * uPlot's minified IIFE build, CSS, version and licence, read once from
 * node_modules. The build's banner comment names its repository by URL; the
 * scheme is dropped so the page carries no http(s) address at all.
 */
function uplot(): UplotAssets {
  if (uplotAssets === undefined) {
    const require = createRequire(import.meta.url);
    const read = (path: string): string => readFileSync(require.resolve(path), 'utf8');
    const js = read('uplot/dist/uPlot.iife.min.js').replace(/^\/\*![^*]*\*\//, (banner) =>
      banner.replace(/https?:\/\//g, ''),
    );
    const pkg = JSON.parse(read('uplot/package.json')) as { version?: string };
    uplotAssets = {
      js,
      css: read('uplot/dist/uPlot.min.css'),
      version: pkg.version ?? 'unknown',
      license: read('uplot/LICENSE').replaceAll('--', '- -'),
    };
  }
  return uplotAssets;
}

/** Text for HTML element content and attribute values. */
export function escapeHtml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

/** Text that may sit inside a <script> or <style> element without closing it. */
function scriptSafe(text: string): string {
  return text.replace(/<\/(script|style)/gi, '<\\/$1');
}

/** JSON for a `<script type="application/json">` element (`<` escaped). */
function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replaceAll('<', '\\u003c');
}

function isTable(x: unknown): x is ReportTable {
  return (
    typeof x === 'object' &&
    x !== null &&
    Array.isArray((x as ReportTable).columns) &&
    Array.isArray((x as ReportTable).rows)
  );
}

function flatten(value: unknown, prefix: string, out: Map<string, unknown>): void {
  if (
    value !== null &&
    typeof value === 'object' &&
    !Array.isArray(value) &&
    !ArrayBuffer.isView(value)
  ) {
    for (const [key, v] of Object.entries(value))
      flatten(v, prefix ? `${prefix}.${key}` : key, out);
  } else {
    out.set(prefix, value);
  }
}

/** Row objects → one table whose columns are the union of the flattened keys, in first-seen order. */
export function objectsToTable(rows: readonly object[], title?: string): ReportTable {
  const flat = rows.map((row) => {
    const map = new Map<string, unknown>();
    flatten(row, '', map);
    return map;
  });
  const columns: string[] = [];
  const seen = new Set<string>();
  for (const map of flat) {
    for (const key of map.keys()) {
      if (!seen.has(key)) {
        seen.add(key);
        columns.push(key);
      }
    }
  }
  const table: ReportTable = {
    columns,
    rows: flat.map((map) => columns.map((c) => cell(map.get(c)))),
  };
  return title === undefined ? table : { ...table, title };
}

function cell(value: unknown): string | number | null {
  if (value === undefined || value === null) return null;
  if (typeof value === 'number' || typeof value === 'string') return value;
  if (typeof value === 'boolean') return String(value);
  if (ArrayBuffer.isView(value))
    return `(${(value as unknown as ArrayLike<number>).length} values)`;
  const text = JSON.stringify(value) ?? String(value);
  return text.length > MAX_CELL ? `${text.slice(0, MAX_CELL)}…` : text;
}

/** Longest cell text kept from an array or object value (results may hold long lists). */
const MAX_CELL = 160;

/** Integers with thousands separators, other numbers with two decimals. */
export function formatCell(value: string | number | null): string {
  if (value === null) return '';
  if (typeof value === 'string') return value;
  if (!Number.isFinite(value)) return String(value);
  if (Number.isInteger(value)) return value.toLocaleString('en-US');
  return value.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
}

function renderTable(table: ReportTable): string {
  const head = table.columns.map((c) => `<th>${escapeHtml(c)}</th>`).join('');
  const body = table.rows
    .map((row) => {
      const cells = row
        .map((v, i) => {
          const num = typeof v === 'number';
          const cls = num ? ' class="num"' : i === 0 ? ' class="name"' : '';
          const title = num && !Number.isInteger(v) ? ` title="${escapeHtml(String(v))}"` : '';
          return `<td${cls}${title}>${escapeHtml(formatCell(v))}</td>`;
        })
        .join('');
      return `<tr>${cells}</tr>`;
    })
    .join('\n');
  const caption = table.title === undefined ? '' : `<h3>${escapeHtml(table.title)}</h3>`;
  return `${caption}<div class="table-wrap"><table><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table></div>`;
}

function renderConfig(config: unknown): string {
  const entries = configEntries(config);
  if (entries.length === 0) return '';
  const items = entries
    .map((e) => `<div><dt>${escapeHtml(e.label)}</dt><dd>${escapeHtml(e.value)}</dd></div>`)
    .join('');
  return `<dl class="config">${items}</dl>`;
}

/** A header cell: camelCase names may break between their words (`Success<wbr>Score`). */
function headerCell(text: string): string {
  return escapeHtml(text).replace(/([a-z])(?=[A-Z])/g, '$1<wbr>');
}

/**
 * Columns past which a printed table is set in smaller type: the closed-loop
 * detail tables have 13 and fit at 1280 px in the normal size; a summary of
 * 13 candidates side by side has 16 and needs the smaller one; past 16 (every
 * registry candidate side by side) the smallest.
 */
const WIDE_TABLE_COLUMNS = 13;
const WIDEST_TABLE_COLUMNS = 16;

/**
 * A text cell: it may break between its words, never inside one (a label such
 * as `low-RPM-high-err (0.5x, 3.0x)` keeps its hyphenated name whole).
 */
function textCell(text: string): string {
  return text
    .split(' ')
    .map((w) => `<span class="w">${escapeHtml(w)}</span>`)
    .join(' ');
}

/** A printed table (text-tables.ts) as an HTML table, cells exactly as printed. */
function renderTextTable(table: TextTable): string {
  const cls = (i: number): string =>
    table.align[i] === 'right' ? ' class="num"' : i === 0 ? ' class="name"' : '';
  const head = table.header.map((c, i) => `<th${cls(i)}>${headerCell(c)}</th>`).join('');
  const body = table.rows
    .map((row) => {
      const cells = row.map(
        (c, i) => `<td${cls(i)}>${table.align[i] === 'right' ? escapeHtml(c) : textCell(c)}</td>`,
      );
      return `<tr>${cells.join('')}</tr>`;
    })
    .join('\n');
  // Many columns (e.g. every candidate of the registry side by side): a smaller type.
  const n = table.header.length;
  const wide = n > WIDEST_TABLE_COLUMNS ? ' wide widest' : n > WIDE_TABLE_COLUMNS ? ' wide' : '';
  return `<div class="table-wrap"><table class="results${wide}"><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table></div>`;
}

/** The suite's printed output: its tables as HTML tables, the lines between them as notes. */
function renderPrinted(text: string): string {
  return textBlocks(text)
    .map((b) =>
      b.kind === 'table'
        ? renderTextTable(b)
        : `<pre class="note">${escapeHtml(b.lines.join('\n'))}</pre>`,
    )
    .join('\n');
}

/** Plain-text paragraphs (blank-line separated; line breaks inside a paragraph are spaces). */
function paragraphsHtml(text: string): string[] {
  return text
    .split(/\n\s*\n/)
    .map((p) => p.replace(/\s+/g, ' ').trim())
    .filter((p) => p !== '')
    .map(escapeHtml);
}

/**
 * The "how to read this page" header: the metric (what it is made of, which
 * way is better), then one line per candidate.
 */
function renderGuide(
  guide: ReportGuide | undefined,
  candidates: readonly ReportCandidate[],
  hasTraces: boolean,
): string {
  const parts: string[] = [];
  if (guide !== undefined) {
    const [first = '', ...rest] = paragraphsHtml(guide.explanation);
    const better = guide.higherIsBetter ? 'higher is better' : 'lower is better';
    parts.push(
      `<p><strong>${escapeHtml(guide.metric)}: ${better}.</strong> ${first}</p>`,
      ...rest.map((p) => `<p>${p}</p>`),
    );
  } else {
    parts.push(
      "<p>The tables are the suite's output as <code>levee-bench</code> prints it; its <code>--help</code> explains the figures.</p>",
    );
  }
  if (candidates.length > 0) {
    const items = candidates
      .map((c) => {
        const key =
          c.key === undefined || c.key === c.name ? '' : ` <code>${escapeHtml(c.key)}</code>`;
        const line = c.description === undefined ? '' : `: ${escapeHtml(c.description)}`;
        return `<li><strong>${escapeHtml(c.name)}</strong>${key}${line}</li>`;
      })
      .join('\n');
    parts.push(`<ul class="candidates">\n${items}\n</ul>`);
  }
  if (hasTraces) {
    parts.push(
      '<p class="muted">Below the results, per-second charts of every simulation: drag across one to zoom (all follow), double-click to zoom out.</p>',
    );
  }
  return `<section id="guide" class="guide">\n<h2>How to read this page</h2>\n${parts.join('\n')}\n</section>`;
}

interface PageRun {
  label: string;
  color: string;
  summary?: string;
  /** Crash markers: start and end (s), and a label when not `crash`. */
  crashes: Array<[number, number] | [number, number, string]>;
  /** Per-second columns: name → [blob index, scale]. */
  fullCols: Record<string, [number, number]>;
  /** Bucket means (`bucket` seconds wide), or empty when `bucket` is 1. */
  coarseCols: Record<string, [number, number]>;
  /** True when the per-second columns were left out (size budget): zooming in shows the bucket means. */
  coarseOnly?: boolean;
}

interface PageData {
  seconds: number;
  /** Width (s) of the zoomed-out view's buckets; 1 = per-second data only. */
  bucket: number;
  clockStartS: number | null;
  blobs: string[];
  runs: PageRun[];
  /** What to chart (see layout.ts). */
  layout: PageLayout;
}

/** Bucket widths (s) for the zoomed-out view; the smallest giving ≤ 2,500 points is used. */
const BUCKETS = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600];
const OVERVIEW_POINTS = 2500;

/** The overview bucket width for a trace of `seconds` rows. */
export function overviewBucket(seconds: number): number {
  for (const b of BUCKETS) if (seconds / b <= OVERVIEW_POINTS) return b;
  return BUCKETS[BUCKETS.length - 1]!;
}

/**
 * Means of `column` over buckets of `width` rows, padded to `rows` rows first
 * with zeros. With `positiveOnly` (the inflight limit, where 0 means "none"),
 * the mean of the positive values, 0 when there are none.
 */
export function bucketMeans(
  column: ArrayLike<number>,
  rows: number,
  width: number,
  positiveOnly = false,
): Float64Array {
  const out = new Float64Array(Math.ceil(rows / width));
  for (let b = 0; b < out.length; b++) {
    const from = b * width;
    const to = Math.min(from + width, rows);
    let sum = 0;
    let count = 0;
    for (let i = from; i < to; i++) {
      const v = i < column.length ? column[i]! : 0;
      if (positiveOnly && !(v > 0)) continue;
      sum += v;
      count++;
    }
    out[b] = count === 0 ? 0 : sum / count;
  }
  return out;
}

/**
 * Base64 bytes of per-second data a page may hold; runs past it keep only the
 * overview means (a 28-hour run takes about 0.45 MB, so 16 runs fit).
 */
export const FULL_RESOLUTION_BUDGET = 7_500_000;

/** The embedded data: encoded columns (deduplicated), overview means and per-run metadata. */
export function buildPageData(
  traces: readonly ReportTrace[],
  clockStartS?: number,
  fullBudget = FULL_RESOLUTION_BUDGET,
): PageData {
  const layout = pageLayout(traces);
  const seconds = traces.reduce((m, t) => Math.max(m, t.seconds), 0);
  const bucket = overviewBucket(seconds);
  const blobs: string[] = [];
  const blobIndex = new Map<string, number>();
  let fullBytes = 0;
  const intern = (encoded: string): number => {
    let index = blobIndex.get(encoded);
    if (index === undefined) {
      index = blobs.length;
      blobs.push(encoded);
      blobIndex.set(encoded, index);
    }
    return index;
  };
  const store = (values: ArrayLike<number>, scale: number): [number, number] => [
    intern(encodeColumn(values, scale)),
    scale,
  ];
  const usedColors = new Set<string>();
  let paletteAt = 0;
  const runs = traces.map((trace): PageRun => {
    const label = trace.label ?? trace.candidate;
    let color = KNOWN_COLORS[trace.candidate];
    if (color === undefined || usedColors.has(color)) {
      color = PALETTE[paletteAt++ % PALETTE.length]!;
    }
    usedColors.add(color);
    let fullCols: Record<string, [number, number]> = {};
    const coarseCols: Record<string, [number, number]> = {};
    const fullEncoded: Array<[string, string, number]> = [];
    for (const [name, spec] of Object.entries(layout.columns)) {
      const column = trace.columns[name];
      if (column === undefined) continue;
      const scale = spec.scale;
      fullEncoded.push([name, encodeColumn(column, scale), scale]);
      if (bucket > 1) {
        const means = bucketMeans(column, seconds, bucket, spec.positiveOnly === true);
        coarseCols[name] = store(means, spec.coarseScale ?? scale * 10);
      }
    }
    const size = fullEncoded.reduce(
      (n, [, text]) => n + (blobIndex.has(text) ? 0 : text.length),
      0,
    );
    const coarseOnly = bucket > 1 && fullBytes + size > fullBudget;
    if (coarseOnly) {
      fullCols = Object.fromEntries(Object.keys(coarseCols).map((k) => [k, [-1, 1]]));
    } else {
      fullBytes += size;
      for (const [name, text, scale] of fullEncoded) fullCols[name] = [intern(text), scale];
    }
    const run: PageRun = {
      label,
      color,
      crashes: trace.crashes.map((c) =>
        c.label === undefined ? [c.startS, c.endS] : [c.startS, c.endS, c.label],
      ),
      fullCols,
      coarseCols,
    };
    if (coarseOnly) run.coarseOnly = true;
    if (trace.summary !== undefined) run.summary = trace.summary;
    return run;
  });
  return { seconds, bucket, clockStartS: clockStartS ?? null, blobs, runs, layout };
}

/** The layout of a page's traces, which must all share it (`NO_TRACES_LAYOUT` without traces). */
export function pageLayout(traces: readonly ReportTrace[]): PageLayout {
  const layout = traces[0]?.layout ?? NO_TRACES_LAYOUT;
  for (const t of traces) {
    const id = t.layout.id;
    if (id !== layout.id) {
      throw new Error(`traces of one page must share a layout (got ${layout.id} and ${id})`);
    }
  }
  return layout;
}

const STYLE = `
:root{color-scheme:light;--fg:#111827;--muted:#6b7280;--line:#e5e7eb;--bg:#fff}
*{box-sizing:border-box}
[hidden]{display:none!important}
body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg)}
main{max-width:1400px;margin:0 auto;padding:16px 20px 40px}
h1{font-size:22px;margin:0 0 4px}
h2{font-size:17px;margin:28px 0 8px;padding-top:8px;border-top:1px solid var(--line)}
h3{font-size:15px;margin:18px 0 6px;display:flex;align-items:center;gap:8px}
p{margin:4px 0 8px}
.muted,.summary{color:var(--muted)}
a{color:#1d4ed8}
.table-wrap{overflow-x:auto;margin:8px 0}
table{border-collapse:collapse;font-variant-numeric:tabular-nums;font-size:13px}
th,td{padding:4px 10px;border-bottom:1px solid var(--line);white-space:nowrap}
th{text-align:right;font-weight:600;background:#f9fafb}
th:first-child,td.name{text-align:left}
td.num{text-align:right}
table.results th,table.results td{padding:3px 7px}
table.results td:not(.num){white-space:normal}
table.results td .w{white-space:nowrap}
table.results.wide{font-size:11.5px}
table.results.wide th,table.results.wide td{padding:3px 4px}
table.results.widest{font-size:10px}
table.results.widest th,table.results.widest td{padding:2px 3px}
table.results th{white-space:normal;vertical-align:bottom;text-align:left}
table.results th.num{text-align:right}
pre.note{font-size:12px;white-space:pre-wrap;margin:4px 0 10px;color:#374151}
section.guide p,section.guide ul{max-width:980px}
section.guide p{margin:6px 0}
ul.candidates{margin:6px 0;padding-left:20px}
ul.candidates li{margin:2px 0}
code{font-size:12px;background:#f3f4f6;padding:0 3px;border-radius:3px}
dl.config{display:flex;flex-wrap:wrap;gap:4px 18px;margin:8px 0;font-size:13px}
dl.config div{display:flex;gap:6px}
dt{color:var(--muted)}dd{margin:0;font-variant-numeric:tabular-nums}
#controls{display:flex;flex-wrap:wrap;align-items:center;gap:8px 18px;margin:10px 0;position:sticky;top:0;background:var(--bg);padding:6px 0;z-index:5;border-bottom:1px solid var(--line)}
#picker{display:flex;flex-wrap:wrap;gap:4px 14px}
#picker label{display:flex;align-items:center;gap:5px;cursor:pointer}
.swatch{display:inline-block;width:12px;height:12px;border-radius:2px}
.key{display:flex;flex-wrap:wrap;gap:4px 14px;font-size:12px;color:var(--muted)}
.key span{display:inline-flex;align-items:center;gap:5px}
.chart{margin:6px 0 14px;min-height:60px}
.u-title{font-size:13px!important;font-weight:600!important;text-align:left!important;padding-left:64px}
.u-legend{font-size:12px}
button{font:inherit;padding:3px 10px;border:1px solid #d1d5db;border-radius:4px;background:#f9fafb;cursor:pointer}
#status{font-size:12px;color:var(--muted)}
details.run>summary{cursor:pointer;font-weight:600;margin:14px 0 6px}
body.single .u-legend .u-value,body.single .u-legend tr:first-child{display:none}
body.single main>:not(#runs){display:none}
body[data-ready="error"] #status{color:#b91c1c;font-weight:600}
`;

/** The colour key of a layout's shading and markers. */
function renderKey(layout: PageLayout): string {
  const items = layout.key
    .map(
      (k) =>
        `<span><i class="swatch" style="background:${escapeHtml(k.color)}"></i>${escapeHtml(k.label)}</span>`,
    )
    .join('\n');
  return `<div class="key">\n${items}\n<span>shading strength = share of the pixel's time span</span>\n</div>`;
}

/** One suite's page: results table(s), configuration and, when traces are given, the charts. */
export function renderReport(input: ReportInput): string {
  const { js, css, version, license } = uplot();
  const title = input.title ?? `levee-bench ${input.suite}`;
  const tables: ReportTable[] =
    input.results.length > 0 && input.results.every(isTable)
      ? [...(input.results as readonly ReportTable[])]
      : [objectsToTable(input.results as readonly object[])];
  const results =
    input.text === undefined ? tables.map(renderTable).join('\n') : renderPrinted(input.text);
  const data = buildPageData(input.traces, input.clockStartS, input.fullResolutionBudget);
  const layout = data.layout;
  const hasTraces = input.traces.length > 0;
  const description =
    input.description === undefined ? '' : `<p>${escapeHtml(input.description)}</p>`;
  const charts = hasTraces
    ? `<h2>Per-second traces</h2>
<p class="muted">${escapeHtml(layout.note)}</p>
<div id="controls"><strong>Compare:</strong><div id="picker"></div>
<button id="reset-zoom" type="button">Reset zoom</button><span id="status">Loading…</span></div>
${renderKey(layout)}
<section id="compare"><h3>Candidates overlaid</h3></section>
<div id="runs"></div>`
    : `<div id="controls" hidden><div id="picker"></div></div><section id="compare" hidden></section><div id="runs"></div><p id="status" class="muted"></p>`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="levee-bench report">
<title>${escapeHtml(title)}</title>
<!-- Charts: uPlot ${escapeHtml(version)}, inlined below under its licence:
${license.replaceAll('>', '&gt;')}
-->
<style>${scriptSafe(css)}</style>
<style>${STYLE}</style>
</head>
<body data-ready="0">
<main>
<h1>${escapeHtml(title)}</h1>
${description}
${renderConfig(input.config)}
${renderGuide(input.guide, input.candidates ?? [], hasTraces)}
<h2>Results</h2>
${results}
${charts}
</main>
<script type="application/json" id="report-data">${jsonForScript(data)}</script>
<script>${scriptSafe(js)}</script>
<script>${scriptSafe(clientScript())}</script>
</body>
</html>
`;
}

/** The index page of a `levee-bench all --out DIR` run: one link per suite page. */
export function renderIndex(pages: readonly IndexEntry[], title = 'levee-bench reports'): string {
  const items = pages
    .map(
      (p) =>
        `<li><a href="${escapeHtml(p.href)}">${escapeHtml(p.title)}</a>${
          p.description === undefined
            ? ''
            : `<br><span class="muted">${escapeHtml(p.description)}</span>`
        }</li>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${STYLE}
ul{padding-left:20px}li{margin:8px 0}</style>
</head>
<body>
<main>
<h1>${escapeHtml(title)}</h1>
<p class="muted">One self-contained page per suite; each works offline.</p>
<ul>
${items}
</ul>
</main>
</body>
</html>
`;
}
