/**
 * Per-second traces of a mesh run, for the HTML report.
 *
 * A `MeshTraceRecorder` is handed to the mesh engine (`runMeshJob(job,
 * onProgress, recorder)`) and told of events as they happen (the engine's
 * `MeshTracer` hooks); it only counts, so results are identical with or
 * without it. One row per simulated second:
 *
 * - entry requests (both entry nodes together): offered = admitted +
 *   rejected, counted when the request reaches its entry node (a request
 *   reaching a crashed entry node counts as admitted, as in the scoring);
 *   completed OK and failed, by finish time;
 * - per node: calls its inbound governors admitted, and live replicas
 *   sampled at its capacity tick (once a second; 0 while crashed), carried
 *   over rows without a tick;
 * - crashes: a marker per crash (labelled with the node), the share of each
 *   second during which some node was down (`down`) and the time-weighted
 *   number of nodes down (`nodesDown`);
 * - the scenario's phase starts, as page-wide marks of the layout.
 */

import type { PageLayout, TraceColumn, TraceCrash } from '../../report/layout.js';
import { addSpan } from '../shared/recording.js';
import type { MeshTracer } from './engine.js';
import { meshLayout } from './layout.js';

const NS_PER_S = 1e9;
/** Rows past the scenario end: roots still in flight fail at their 1.5 s deadline. */
const SLACK_ROWS = 3;
/** Nodes whose replica and call series are shown at first (the others are a click away). */
export const MESH_SHOWN_NODES = ['edge-api', 'catalog', 'orders', 'payments', 'db'] as const;

/** A finished mesh trace (plain data). */
export interface MeshTrace {
  candidate: string;
  seconds: number;
  crashes: TraceCrash[];
  columns: { [name: string]: TraceColumn | undefined };
  layout: PageLayout;
}

export class MeshTraceRecorder implements MeshTracer {
  #names: readonly string[] = [];
  #rows = 0;
  #endNs = 0;
  #phases: Array<{ startS: number; label: string }> = [];
  #offered = new Uint32Array(0);
  #admitted = new Uint32Array(0);
  #successes = new Uint32Array(0);
  #failures = new Uint32Array(0);
  #replicas: Uint16Array[] = [];
  /** Highest row each node's replicas were sampled for. */
  #sampled: number[] = [];
  #calls: Uint32Array[] = [];
  /** Per node: start of the crash in progress (ns), or −1, and its marker. */
  #downSince: number[] = [];
  #downMarker: Array<TraceCrash | undefined> = [];
  #downSpans: Array<[number, number]> = [];
  #crashes: TraceCrash[] = [];
  #lastRow = 0;
  #attached = false;
  #trace: MeshTrace | undefined;
  /** The candidate (governor) name given to the trace. */
  candidate: string;

  constructor(candidate = '') {
    this.candidate = candidate;
  }

  attach(run: {
    names: readonly string[];
    replicas: readonly number[];
    endNs: number;
    windows: ReadonlyArray<{ phase: string; label: string; startS: number }>;
  }): void {
    if (this.#attached) throw new Error('a MeshTraceRecorder records one run only');
    this.#attached = true;
    const rows = Math.ceil(run.endNs / NS_PER_S) + SLACK_ROWS;
    this.#names = run.names;
    this.#rows = rows;
    this.#endNs = run.endNs;
    this.#phases = run.windows.map((w) => ({ startS: w.startS, label: `${w.phase} ${w.label}` }));
    this.#offered = new Uint32Array(rows);
    this.#admitted = new Uint32Array(rows);
    this.#successes = new Uint32Array(rows);
    this.#failures = new Uint32Array(rows);
    this.#replicas = run.names.map((_, v) => {
      const col = new Uint16Array(rows);
      col[0] = run.replicas[v] ?? 0;
      return col;
    });
    this.#sampled = run.names.map(() => 0);
    this.#calls = run.names.map(() => new Uint32Array(rows));
    this.#downSince = run.names.map(() => -1);
  }

  #rowOf(t: number): number {
    const row = Math.floor(t / NS_PER_S);
    const r = row < this.#rows ? row : this.#rows - 1;
    if (r > this.#lastRow) this.#lastRow = r;
    return r;
  }

  entry(t: number, admitted: boolean): void {
    const row = this.#rowOf(t);
    this.#offered[row]!++;
    if (admitted) this.#admitted[row]!++;
  }

  result(t: number, ok: boolean): void {
    const row = this.#rowOf(t);
    if (ok) this.#successes[row]!++;
    else this.#failures[row]!++;
  }

  admit(v: number, t: number): void {
    this.#calls[v]![this.#rowOf(t)]!++;
  }

  crash(v: number, t: number): void {
    this.#downSince[v] = t;
    const marker: TraceCrash = {
      startS: t / NS_PER_S,
      endS: t / NS_PER_S,
      label: this.#names[v] ?? String(v),
    };
    this.#downMarker[v] = marker;
    this.#crashes.push(marker);
  }

  recover(v: number, t: number): void {
    const since = this.#downSince[v]!;
    if (since >= 0) {
      this.#downSpans.push([since, t]);
      this.#downSince[v] = -1;
      const marker = this.#downMarker[v];
      if (marker !== undefined) marker.endS = t / NS_PER_S;
    }
  }

  tick(v: number, t: number, live: number): void {
    const row = this.#rowOf(t);
    const col = this.#replicas[v]!;
    const last = this.#sampled[v]!;
    for (let r = last + 1; r < row; r++) col[r] = col[last]!;
    col[row] = live;
    this.#sampled[v] = row;
  }

  finish(): void {
    if (!this.#attached) throw new Error('MeshTraceRecorder.finish before attach');
    const rows = Math.max(this.#lastRow + 1, Math.ceil(this.#endNs / NS_PER_S));
    const endNs = rows * NS_PER_S;
    const spans = this.#downSpans.slice();
    this.#downSince.forEach((since) => {
      if (since >= 0) spans.push([since, endNs]);
    });
    const nodesDownNs = new Float64Array(rows);
    for (const [from, to] of spans) addSpan(nodesDownNs, from, Math.min(to, endNs), rows, false);
    // Union of the down spans: the share of each second with some node down.
    spans.sort((a, b) => a[0] - b[0]);
    const anyDownNs = new Float64Array(rows);
    let from = -1;
    let to = -1;
    for (const [a, b] of spans) {
      if (a > to) {
        if (to > from) addSpan(anyDownNs, from, Math.min(to, endNs), rows, false);
        from = a;
        to = b;
      } else if (b > to) {
        to = b;
      }
    }
    if (to > from) addSpan(anyDownNs, from, Math.min(to, endNs), rows, false);
    const cut = <T extends { slice(start: number, end: number): T }>(a: T): T => a.slice(0, rows);
    const offered = cut(this.#offered);
    const admitted = cut(this.#admitted);
    const columns: MeshTrace['columns'] = {
      offered,
      admitted,
      blocked: offered.map((o, i) => o - admitted[i]!),
      successes: cut(this.#successes),
      failures: cut(this.#failures),
      down: anyDownNs.map((ns) => Math.min(ns / NS_PER_S, 1)),
      nodesDown: nodesDownNs.map((ns) => ns / NS_PER_S),
    };
    this.#names.forEach((name, v) => {
      const col = this.#replicas[v]!;
      const last = this.#sampled[v]!;
      for (let r = last + 1; r < rows; r++) col[r] = col[last]!;
      columns[`replicas:${name}`] = cut(col);
      columns[`calls:${name}`] = cut(this.#calls[v]!);
    });
    this.#trace = {
      candidate: this.candidate,
      seconds: rows,
      crashes: this.#crashes,
      columns,
      layout: meshLayout(this.#names, MESH_SHOWN_NODES, this.#phases),
    };
  }

  /** The finished trace; throws before the run has finished. */
  trace(): MeshTrace {
    if (this.#trace === undefined) throw new Error('the traced run has not finished');
    return this.#trace;
  }
}
