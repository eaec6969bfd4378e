/**
 * Per-second traces of a closed-loop run, for the HTML report.
 *
 * A `TraceRecorder` is handed to `runClosedLoop` as its optional `tracer`. At
 * `attach` it wraps the candidate in a `RecordingCandidate`, which forwards
 * every call unchanged and, on the side, fills typed-array columns with one
 * row per simulated second:
 *
 * - from the calls themselves (exact): offered requests and admissions by
 *   arrival second, successes and failures by completion time, and the
 *   breaker's state after every call, turned into the time share of each
 *   state per second (state change times, not samples);
 * - from the backend, sampled at the first arrival of each second (after the
 *   orchestrator's `advance`, before the request is submitted): live
 *   replicas, worker slots, load EWMA and the spec in force; the backend's
 *   own shed and queue-drop counters are differenced between samples, which
 *   attributes them exactly to the second of the submit; the candidate's
 *   optional `probe()` (Levee's limit and inflight) is read at the same time;
 * - crashes: the backend turns `crashed` on inside the submit of an admitted
 *   request, so the first arrival that sees it names the crash time exactly
 *   (the previous admitted arrival); it lasts the configured downtime.
 *
 * Nothing per request is allocated, and the breaker is only asked for its
 * `state()` (a pure read for every candidate) and, once per second, `probe()`,
 * so results are bit-identical with or without recording.
 *
 * The cooperation suite's recorder (src/suites/cooperation/trace.ts) does the
 * same for a cooperation run (many breakers, one backend) with the same
 * `TraceTable`: the orchestrator reports each event with its instance, counts
 * are summed over the instances and state shares become fractions of
 * instance-time.
 *
 * Capacity is derived per second as worker slots ÷ the mean nominal service
 * time of the spec in force (the latency profile the backend draws from), and
 * 0 while the backend is down: the request rate the pool can actually serve.
 */

import type { Candidate, CandidateState } from '../../candidates/candidate.js';
import type { PageLayout, TraceCrash } from '../../report/layout.js';
import type { Backend } from '../../sim/backend/backend.js';
import { backendProfileIndices } from '../../sim/backend/latency-generator.js';
import type { ClosedLoopTracer } from '../../sim/orchestrator/closed-loop.js';
import { FaultSchedule, type FaultWindow } from '../../sim/workload/faults.js';
import { analyticMeanMs } from '../../sim/workload/latency-profile.js';
import type { LoadSpec } from '../../sim/workload/load-spec.js';
import { addSpan, stateCode } from '../shared/recording.js';
import { closedLoopLayout } from './layout.js';

const NS_PER_S = 1e9;
/** Extra rows past the nominal duration (the last spec ends at an arrival, completions trail by ≤ 1.5 s). */
const SLACK_ROWS = 8;

/** The columns of a trace, one entry per simulated second. */
export type TraceColumns = {
  /** Arrivals (requests offered to the breaker). */
  offered: Uint32Array;
  /** Requests the breaker admitted. */
  admitted: Uint32Array;
  /** Requests the breaker blocked (offered − admitted). */
  blocked: Uint32Array;
  /** Completions delivered as successes, by completion time. */
  successes: Uint32Array;
  /** Completions delivered as failures, by completion time. */
  failures: Uint32Array;
  /** Requests the backend shed (queue full), by submit time. */
  shed: Uint32Array;
  /** Requests the backend dropped on timeout (queue wait + service ≥ timeout), by submit time. */
  queueDrops: Uint32Array;
  /** Live replicas (sampled). */
  replicas: Uint16Array;
  /** Worker slots = replicas × slots per replica (sampled). */
  slots: Uint32Array;
  /** Backend load EWMA (sampled). */
  load: Float64Array;
  /** Spec index in force (sampled; index into the run's specs). */
  spec: Uint16Array;
  /** Service capacity, requests/s: slots ÷ mean service time × (1 − down). */
  capacity: Float64Array;
  /** Crashes that started in this second. */
  crashes: Uint16Array;
  /** Fraction of the second the backend was down (crashed). */
  down: Float64Array;
  /** Time share of each breaker state (`TRACE_STATES` order), each in [0, 1]. */
  closed: Float64Array;
  throttled: Float64Array;
  halfOpen: Float64Array;
  open: Float64Array;
  /** The candidate's inflight limit (0 = none enforced), sampled; only for candidates with `probe`. */
  limit?: Float64Array;
  /** The candidate's own inflight count, sampled; only for candidates with `probe`. */
  inflight?: Float64Array;
  /** Instances enforcing a limit; only in cooperation traces of candidates with `probe`. */
  limiting?: Float64Array;
};

export type { TraceCrash };

/** A finished trace: plain data (typed arrays), so it can cross a worker-thread boundary. */
export interface Trace {
  /** The candidate's display name, e.g. `Levee`. */
  candidate: string;
  /** Number of rows (simulated seconds); row i covers [i, i + 1) s. */
  seconds: number;
  /** The autoscaler's per-replica throughput, requests/s (for "HPA capacity" = replicas × this). */
  throughputPerReplica: number;
  /** Worker slots per replica. */
  slotsPerReplica: number;
  /** Mean nominal service time of each spec's backend profile, seconds (index = spec column). */
  meanServiceS: number[];
  crashes: TraceCrash[];
  columns: TraceColumns;
  /** What the page charts: the closed-loop layout (summed over the fleet for cooperation traces). */
  layout: PageLayout;
}

/** Mean nominal service time (s) per spec, from the profile the backend draws from. */
export function meanServiceSeconds(specs: readonly LoadSpec[]): number[] {
  const profile = backendProfileIndices(specs);
  return specs.map((_, i) => {
    const p = specs[profile[i]!]!;
    return analyticMeanMs(p.p50Ms, p.p99Ms, p.timeoutMs) / 1000;
  });
}

/** What the recording wrapper reads from the backend (a `Backend`, or a stand-in in tests). */
export type TracedBackend = Pick<
  Backend,
  'crashed' | 'replicas' | 'slots' | 'load' | 'shed' | 'queueDrops' | 'crashes' | 'slotsPerReplica'
> & {
  readonly config: Pick<Backend['config'], 'crashDowntimeS' | 'throughputPerReplica'>;
};

/** What the recording wrapper reads from the dispatcher. */
export interface TracedDispatcher {
  readonly specIndex: number;
}

/** What a `TraceTable` samples once a second: a probe, possibly summed over a fleet. */
type TableProbe = () => { limit: number; inflight: number; limiting?: number };

/**
 * The columns and the row bookkeeping shared by the closed-loop recorder (one
 * breaker) and the cooperation recorder (a fleet of breakers, one backend):
 * arrivals open rows and sample the backend, decisions and completions are
 * counted, state spans are added by the callers. Times are integer
 * nanoseconds; row = floor(t / 1e9), clamped to the last row.
 */
export class TraceTable {
  readonly #backend: TracedBackend;
  readonly #dispatcher: TracedDispatcher;
  readonly #probe: TableProbe | undefined;
  /** Seconds between probes (1: every second; more for a fleet, whose probe reads every instance). */
  readonly #probeEvery: number;
  /** The next row whose first arrival probes. */
  #nextProbeRow = 0;
  readonly #rows: number;
  readonly #downtimeNs: number;

  readonly offered: Uint32Array;
  readonly admitted: Uint32Array;
  readonly successes: Uint32Array;
  readonly failures: Uint32Array;
  readonly shed: Uint32Array;
  readonly queueDrops: Uint32Array;
  readonly replicas: Uint16Array;
  readonly slots: Uint32Array;
  readonly load: Float64Array;
  readonly spec: Uint16Array;
  readonly limit: Float64Array | undefined;
  readonly inflight: Float64Array | undefined;
  /** Instances enforcing a limit (fleet probes only). */
  readonly limiting: Float64Array | undefined;
  /** Nanoseconds spent in each state, per row (`TRACE_STATES` order), summed over instances. */
  readonly stateNs: [Float64Array, Float64Array, Float64Array, Float64Array];
  /** Crash start times, ns. */
  readonly crashStartsNs: number[] = [];

  /** Row of the last backend sample (−1 before the first arrival). */
  #row = -1;
  /** Arrivals at or after this time start a new row. */
  #nextRowNs = 0;
  /** Row of the last completion and the time span [from, to) it covers (completions come in time order). */
  #doneRow = 0;
  #doneFromNs = 0;
  #doneToNs = 0;
  /** Highest row any event touched. */
  #lastRow = 0;
  /** Running counts; a row's values are their differences between its first arrival and the next row's. */
  #offered = 0;
  #admitted = 0;
  #offeredSeen = 0;
  #admittedSeen = 0;
  #shedSeen = 0;
  #dropsSeen = 0;
  #wasCrashed = false;
  #lastAdmittedNs = 0;

  constructor(
    backend: TracedBackend,
    dispatcher: TracedDispatcher,
    rows: number,
    probe?: TableProbe,
    fleet = false,
    probeEvery = 1,
  ) {
    this.#backend = backend;
    this.#probeEvery = Math.max(1, Math.floor(probeEvery));
    this.#dispatcher = dispatcher;
    this.#rows = rows;
    this.#downtimeNs = Math.round(backend.config.crashDowntimeS * NS_PER_S);
    this.#probe = probe;
    this.offered = new Uint32Array(rows);
    this.admitted = new Uint32Array(rows);
    this.successes = new Uint32Array(rows);
    this.failures = new Uint32Array(rows);
    this.shed = new Uint32Array(rows);
    this.queueDrops = new Uint32Array(rows);
    this.replicas = new Uint16Array(rows);
    this.slots = new Uint32Array(rows);
    this.load = new Float64Array(rows);
    this.spec = new Uint16Array(rows);
    this.limit = probe !== undefined ? new Float64Array(rows) : undefined;
    this.inflight = probe !== undefined ? new Float64Array(rows) : undefined;
    this.limiting = probe !== undefined && fleet ? new Float64Array(rows) : undefined;
    this.stateNs = [
      new Float64Array(rows),
      new Float64Array(rows),
      new Float64Array(rows),
      new Float64Array(rows),
    ];
    this.#shedSeen = backend.shed;
    this.#dropsSeen = backend.queueDrops;
  }

  /** Number of rows allocated. */
  get rows(): number {
    return this.#rows;
  }

  /** Rows touched by any event so far (the trace length once finished). */
  get usedRows(): number {
    return this.#lastRow + 1;
  }

  #rowOf(tNs: number): number {
    const row = Math.floor(tNs / NS_PER_S);
    return row < this.#rows ? row : this.#rows - 1;
  }

  /** An arrival at `tNs`, before the breaker decides: opens a row, notices a crash. */
  arrive(tNs: number): void {
    if (tNs >= this.#nextRowNs) this.#enterRow(this.#rowOf(tNs));
    if (this.#backend.crashed !== this.#wasCrashed) this.#crashFlip();
  }

  /** The breaker's decision on the arrival at `tNs`. */
  decided(tNs: number, admitted: boolean): void {
    this.#offered++;
    if (admitted) {
      this.#admitted++;
      this.#lastAdmittedNs = tNs;
    }
  }

  /** A completion delivered to a breaker at `tNs`. */
  completed(tNs: number, ok: boolean): void {
    const row =
      tNs >= this.#doneFromNs && tNs < this.#doneToNs ? this.#doneRow : this.#completionRow(tNs);
    if (ok) this.successes[row]!++;
    else this.failures[row]!++;
  }

  /** Row of a completion outside the cached span; caches the new row's span. */
  #completionRow(tNs: number): number {
    const row = this.#rowOf(tNs);
    this.#doneRow = row;
    this.#doneFromNs = row * NS_PER_S;
    this.#doneToNs = row === this.#rows - 1 ? Number.POSITIVE_INFINITY : (row + 1) * NS_PER_S;
    if (row > this.#lastRow) this.#lastRow = row;
    return row;
  }

  /**
   * First arrival of `row`: close the previous sampled row's backend counters,
   * carry its samples over rows without arrivals, and sample the backend (and
   * the candidate's probe) for `row`.
   */
  #enterRow(row: number): void {
    const backend = this.#backend;
    const prev = this.#row;
    if (prev >= 0) {
      this.#closeRow(prev);
      for (let r = prev + 1; r < row; r++) this.#copySample(prev, r);
    }
    this.replicas[row] = backend.replicas;
    this.slots[row] = backend.slots;
    this.load[row] = backend.load;
    this.spec[row] = this.#dispatcher.specIndex;
    if (this.#probe !== undefined) {
      if (row >= this.#nextProbeRow || prev < 0) {
        const p = this.#probe();
        this.limit![row] = p.limit;
        this.inflight![row] = p.inflight;
        if (this.limiting !== undefined) this.limiting[row] = p.limiting ?? 0;
        this.#nextProbeRow = row - (row % this.#probeEvery) + this.#probeEvery;
      } else {
        this.limit![row] = this.limit![prev]!;
        this.inflight![row] = this.inflight![prev]!;
        if (this.limiting !== undefined) this.limiting[row] = this.limiting[prev]!;
      }
    }
    this.#row = row;
    this.#nextRowNs = row === this.#rows - 1 ? Number.POSITIVE_INFINITY : (row + 1) * NS_PER_S;
    if (row > this.#lastRow) this.#lastRow = row;
  }

  /** Counts of the last sampled row: differences of the running counters since its first arrival. */
  #closeRow(row: number): void {
    const backend = this.#backend;
    this.offered[row] = this.#offered - this.#offeredSeen;
    this.admitted[row] = this.#admitted - this.#admittedSeen;
    this.shed[row] = backend.shed - this.#shedSeen;
    this.queueDrops[row] = backend.queueDrops - this.#dropsSeen;
    this.#offeredSeen = this.#offered;
    this.#admittedSeen = this.#admitted;
    this.#shedSeen = backend.shed;
    this.#dropsSeen = backend.queueDrops;
  }

  #copySample(from: number, to: number): void {
    this.replicas[to] = this.replicas[from]!;
    this.slots[to] = this.slots[from]!;
    this.load[to] = this.load[from]!;
    this.spec[to] = this.spec[from]!;
    if (this.limit !== undefined) this.limit[to] = this.limit[from]!;
    if (this.inflight !== undefined) this.inflight[to] = this.inflight[from]!;
    if (this.limiting !== undefined) this.limiting[to] = this.limiting[from]!;
  }

  /** `crashed` changed since the previous arrival; a crash began at the last admitted submit. */
  #crashFlip(): void {
    const crashed = this.#backend.crashed;
    this.#wasCrashed = crashed;
    if (crashed) this.crashStartsNs.push(this.#lastAdmittedNs);
  }

  /** Adds the span [fromNs, toNs) spent in state `code` (by one instance). */
  addStateSpan(code: number, fromNs: number, toNs: number): void {
    if (toNs <= fromNs) return;
    addSpan(this.stateNs[code]!, fromNs, toNs, this.#rows);
  }

  /**
   * Close the run: the last sampled row's counters, a crash triggered by the
   * very last submit (seen only through the crash counter), samples carried
   * to the last row. Returns the trace length in rows; the callers then close
   * their state spans at rows × 1 s and `build`.
   */
  close(): number {
    const backend = this.#backend;
    const prev = this.#row;
    if (prev >= 0) this.#closeRow(prev);
    if (backend.crashes > this.crashStartsNs.length) this.crashStartsNs.push(this.#lastAdmittedNs);
    const rows = this.#lastRow + 1;
    for (let r = Math.max(prev, 0) + 1; r < rows; r++) this.#copySample(Math.max(prev, 0), r);
    return rows;
  }

  /** The trace of `rows` rows; state shares are instance-time fractions over `instances`. */
  build(name: string, rows: number, instances = 1): Trace {
    const cut = <T extends { slice(start: number, end: number): T }>(a: T): T => a.slice(0, rows);
    const crashes: TraceCrash[] = this.crashStartsNs.map((start) => ({
      startS: start / NS_PER_S,
      endS: (start + this.#downtimeNs) / NS_PER_S,
    }));
    const crashCount = new Uint16Array(rows);
    const downNs = new Float64Array(rows);
    for (const start of this.crashStartsNs) {
      const row = Math.min(Math.floor(start / NS_PER_S), rows - 1);
      crashCount[row]!++;
      addSpan(downNs, start, start + this.#downtimeNs, rows, false);
    }
    const down = downNs.map((ns) => Math.min(ns / NS_PER_S, 1));
    const offered = cut(this.offered);
    const admitted = cut(this.admitted);
    const blocked = offered.map((o, i) => o - admitted[i]!);
    const perRowNs = NS_PER_S * instances;
    const columns: TraceColumns = {
      offered,
      admitted,
      blocked,
      successes: cut(this.successes),
      failures: cut(this.failures),
      shed: cut(this.shed),
      queueDrops: cut(this.queueDrops),
      replicas: cut(this.replicas),
      slots: cut(this.slots),
      load: cut(this.load),
      spec: cut(this.spec),
      capacity: new Float64Array(rows),
      crashes: crashCount,
      down,
      closed: share(this.stateNs[0], rows, perRowNs),
      throttled: share(this.stateNs[1], rows, perRowNs),
      halfOpen: share(this.stateNs[2], rows, perRowNs),
      open: share(this.stateNs[3], rows, perRowNs),
    };
    if (this.limit !== undefined) columns.limit = cut(this.limit);
    if (this.inflight !== undefined) columns.inflight = cut(this.inflight);
    if (this.limiting !== undefined) columns.limiting = cut(this.limiting);
    return {
      candidate: name,
      seconds: rows,
      throughputPerReplica: this.#backend.config.throughputPerReplica,
      slotsPerReplica: this.#backend.slotsPerReplica,
      meanServiceS: [],
      crashes,
      columns,
      layout: closedLoopLayout(instances),
    };
  }
}

/**
 * Forwards every call to the wrapped candidate and records, in a
 * `TraceTable`, its decisions, completions and state changes.
 */
export class RecordingCandidate implements Candidate {
  readonly name: string;
  readonly #inner: Candidate;
  readonly table: TraceTable;
  #state: CandidateState;
  #stateCode: number;
  #stateSinceNs = 0;

  constructor(
    inner: Candidate,
    backend: TracedBackend,
    dispatcher: TracedDispatcher,
    rows: number,
  ) {
    this.name = inner.name;
    this.#inner = inner;
    this.table = new TraceTable(
      backend,
      dispatcher,
      rows,
      typeof inner.probe === 'function' ? () => inner.probe!() : undefined,
    );
    this.#state = inner.state();
    this.#stateCode = stateCode(this.#state);
  }

  /** Number of rows allocated. */
  get rows(): number {
    return this.table.rows;
  }

  /** Rows touched by any event so far (the trace length once finished). */
  get usedRows(): number {
    return this.table.usedRows;
  }

  start(tNs: number): boolean {
    const table = this.table;
    table.arrive(tNs);
    const ok = this.#inner.start(tNs);
    table.decided(tNs, ok);
    const state = this.#inner.state();
    if (state !== this.#state) this.#changeState(state, tNs);
    return ok;
  }

  state(): CandidateState {
    return this.#inner.state();
  }

  success(tNs: number, latencyNs: number): void {
    this.#inner.success(tNs, latencyNs);
    this.table.completed(tNs, true);
    const state = this.#inner.state();
    if (state !== this.#state) this.#changeState(state, tNs);
  }

  fail(tNs: number, latencyNs: number): void {
    this.#inner.fail(tNs, latencyNs);
    this.table.completed(tNs, false);
    const state = this.#inner.state();
    if (state !== this.#state) this.#changeState(state, tNs);
  }

  #changeState(state: CandidateState, tNs: number): void {
    this.table.addStateSpan(this.#stateCode, this.#stateSinceNs, tNs);
    this.#state = state;
    this.#stateCode = stateCode(state);
    this.#stateSinceNs = tNs;
  }

  /** Adds the current state's span up to `endNs` (the end of the trace). */
  closeState(endNs: number): void {
    this.table.addStateSpan(this.#stateCode, this.#stateSinceNs, endNs);
    this.#stateSinceNs = endNs;
  }

  /**
   * Close the run (see `TraceTable.close`) and the current state up to the
   * end of the last row.
   */
  finish(): Trace {
    const rows = this.table.close();
    this.closeState(rows * NS_PER_S);
    return this.table.build(this.name, rows);
  }
}

function share(ns: Float64Array, rows: number, perRowNs = NS_PER_S): Float64Array {
  const out = new Float64Array(rows);
  for (let i = 0; i < rows; i++) out[i] = Math.min(ns[i]! / perRowNs, 1);
  return out;
}

/** Rows for a run over `specs`: the nominal duration plus slack. */
export function rowsFor(specs: readonly LoadSpec[]): number {
  let totalS = 0;
  for (const spec of specs) totalS += spec.durationS;
  return Math.ceil(totalS) + SLACK_ROWS;
}

/** Fills the capacity column: worker slots ÷ mean service time of the spec in force × (1 − down). */
export function fillCapacity(trace: Trace, meanServiceS: number[]): void {
  trace.meanServiceS = meanServiceS;
  const { slots, spec, down, capacity } = trace.columns;
  for (let i = 0; i < trace.seconds; i++) {
    const mean = meanServiceS[spec[i]!] ?? Number.NaN;
    capacity[i] = (slots[i]! / mean) * (1 - down[i]!);
  }
}

/** Sub-samples per second when scaling the capacity line by fault windows. */
const CAPACITY_SAMPLES = 10;

/**
 * Scales the capacity column by the run's fault windows (docs/BENCHMARKS.md
 * §9.1): the mean over 10 instants of each second of the share of capacity
 * left — 0 while every call fails (outage, hang, a flap's down part),
 * 1 / factor while slow, unchanged otherwise.
 */
export function scaleCapacityByFaults(trace: Trace, windows: readonly FaultWindow[]): void {
  if (windows.length === 0) return;
  const schedule = new FaultSchedule(windows, 0);
  const capacity = trace.columns.capacity;
  for (let row = 0; row < trace.seconds; row++) {
    let sum = 0;
    for (let k = 0; k < CAPACITY_SAMPLES; k++) {
      sum += schedule.capacityFactorAt(Math.round((row + (k + 0.5) / CAPACITY_SAMPLES) * NS_PER_S));
    }
    capacity[row] = capacity[row]! * (sum / CAPACITY_SAMPLES);
  }
}

/**
 * The tracer for one run: `runClosedLoop({ …, tracer: recorder })`, then
 * `recorder.trace()`. One recorder records one run. Given the run's fault
 * windows, its capacity line follows them (`scaleCapacityByFaults`).
 */
export class TraceRecorder implements ClosedLoopTracer {
  #recording: RecordingCandidate | undefined;
  #meanServiceS: number[] = [];
  #trace: Trace | undefined;
  readonly #faults: readonly FaultWindow[];

  constructor(faults: readonly FaultWindow[] = []) {
    this.#faults = faults;
  }

  attach(run: {
    candidate: Candidate;
    backend: TracedBackend;
    dispatcher: TracedDispatcher;
    specs: readonly LoadSpec[];
  }): Candidate {
    if (this.#recording !== undefined) throw new Error('a TraceRecorder records one run only');
    this.#meanServiceS = meanServiceSeconds(run.specs);
    this.#recording = new RecordingCandidate(
      run.candidate,
      run.backend,
      run.dispatcher,
      rowsFor(run.specs),
    );
    return this.#recording;
  }

  finish(): void {
    const recording = this.#recording;
    if (recording === undefined) throw new Error('TraceRecorder.finish before attach');
    const trace = recording.finish();
    fillCapacity(trace, this.#meanServiceS);
    scaleCapacityByFaults(trace, this.#faults);
    this.#trace = trace;
  }

  /** The finished trace; throws before the run has finished. */
  trace(): Trace {
    if (this.#trace === undefined) throw new Error('the traced run has not finished');
    return this.#trace;
  }
}

/** The typed arrays of `trace`, for a worker's `postMessage` transfer list. */
export function traceTransferList(trace: Trace): ArrayBuffer[] {
  const out: ArrayBuffer[] = [];
  for (const column of Object.values(trace.columns)) {
    if (column !== undefined) out.push(column.buffer as ArrayBuffer);
  }
  return out;
}
