/**
 * Per-second traces of an open-loop ("prescient") run, for the HTML report.
 *
 * A `PrescientTraceRecorder` is handed to `runPrescient` as its `tracer`. It
 * wraps the breaker in a `PrescientRecordingCandidate`, which forwards every
 * call unchanged and fills one row per second of stream time — the same
 * 1-second buckets the penalties use (bucket phase 0):
 *
 * - at each start (exact): offered, admitted and blocked; the oracle's
 *   verdict, read from the `OracleRecorder` the run has just sampled for this
 *   start (`oracleBlock`: starts while it is OPEN, `oracleAdmit` the others);
 *   the penalty counts `bad` (admitted while the oracle is OPEN) and `lost`
 *   (blocked while it is CLOSED);
 * - at each completion of an admitted request: successes and failures;
 * - the breaker's state after every call, as time shares per second;
 * - Levee's `probe()` (limit, inflight), at the first start of each second.
 *
 * When the run ends: the oracle's OPEN time share per second (from its change
 * list) and the running penalties BadTraffic = √Σbad², LostBusiness =
 * √Σlost² and their sum up to each second, whose last values are the run's
 * penalties when the buckets have phase 0 (the suite's setting).
 *
 * The breaker is only asked for `state()` and, once a second, `probe()`, so
 * results are identical with or without recording.
 */
import type { Candidate, CandidateState } from '../../candidates/candidate.js';
import type { PageLayout, TraceColumn, TraceCrash } from '../../report/layout.js';
import type { LoadSpec } from '../../sim/workload/load-spec.js';
import { addSpan, stateCode } from '../shared/recording.js';
import { prescientLayout } from './layout.js';
import type { OracleRecorder } from './oracle.js';
import type { PrescientTracer } from './runner.js';

const NS_PER_S = 1e9;
/**
 * Rows past the nominal duration: the stream's spec boundaries slip a
 * little from the nominal ones and completions trail the last start; events
 * past the last row are counted in it.
 */
const SLACK_ROWS = 120;

/** A finished open-loop trace (plain data: typed arrays). */
export interface PrescientTrace {
  candidate: string;
  seconds: number;
  crashes: TraceCrash[];
  columns: {
    offered: Uint32Array;
    admitted: Uint32Array;
    blocked: Uint32Array;
    /** Starts while the oracle was OPEN (what it blocks). */
    oracleBlock: Uint32Array;
    /** Starts while the oracle was CLOSED. */
    oracleAdmit: Uint32Array;
    /** Admitted while the oracle was OPEN (the BadTraffic bucket). */
    bad: Uint32Array;
    /** Blocked while the oracle was CLOSED (the LostBusiness bucket). */
    lost: Uint32Array;
    successes: Uint32Array;
    failures: Uint32Array;
    /** Running √Σbad², √Σlost² and their sum, up to and including each second. */
    badTraffic: Float64Array;
    lostBusiness: Float64Array;
    totalPenalty: Float64Array;
    /** Time share of each second the oracle was OPEN. */
    oracleOpen: Float64Array;
    closed: Float64Array;
    throttled: Float64Array;
    halfOpen: Float64Array;
    open: Float64Array;
    limit?: Float64Array;
    inflight?: Float64Array;
    [name: string]: TraceColumn | undefined;
  };
  layout: PageLayout;
}

/** Forwards every call to the breaker and records the open-loop columns. */
export class PrescientRecordingCandidate implements Candidate {
  readonly name: string;
  readonly #inner: Candidate;
  readonly #oracle: OracleRecorder;
  readonly #rows: number;
  readonly #probe: boolean;
  readonly offered: Uint32Array;
  readonly admitted: Uint32Array;
  readonly oracleBlock: Uint32Array;
  readonly bad: Uint32Array;
  readonly lost: Uint32Array;
  readonly successes: Uint32Array;
  readonly failures: Uint32Array;
  readonly limit: Float64Array | undefined;
  readonly inflight: Float64Array | undefined;
  readonly stateNs: [Float64Array, Float64Array, Float64Array, Float64Array];
  /** Row of the current start second, and where it ends. */
  #row = -1;
  #nextRowNs = 0;
  /** Row of the last completion and the span [from, to) it covers. */
  #doneRow = 0;
  #doneFromNs = 0;
  #doneToNs = 0;
  #lastRow = 0;
  #state: CandidateState;
  #stateCode: number;
  #stateSinceNs = 0;

  constructor(inner: Candidate, oracle: OracleRecorder, rows: number) {
    this.name = inner.name;
    this.#inner = inner;
    this.#oracle = oracle;
    this.#rows = rows;
    this.#probe = typeof inner.probe === 'function';
    this.offered = new Uint32Array(rows);
    this.admitted = new Uint32Array(rows);
    this.oracleBlock = new Uint32Array(rows);
    this.bad = new Uint32Array(rows);
    this.lost = new Uint32Array(rows);
    this.successes = new Uint32Array(rows);
    this.failures = new Uint32Array(rows);
    this.limit = this.#probe ? new Float64Array(rows) : undefined;
    this.inflight = this.#probe ? new Float64Array(rows) : undefined;
    this.stateNs = [
      new Float64Array(rows),
      new Float64Array(rows),
      new Float64Array(rows),
      new Float64Array(rows),
    ];
    this.#state = inner.state();
    this.#stateCode = stateCode(this.#state);
  }

  #rowOf(tNs: number): number {
    const row = Math.floor(tNs / NS_PER_S);
    return row < this.#rows ? row : this.#rows - 1;
  }

  start(tNs: number): boolean {
    if (tNs >= this.#nextRowNs) this.#enterRow(tNs);
    const ok = this.#inner.start(tNs);
    const row = this.#row;
    this.offered[row]!++;
    const oracleOpen = this.#oracle.open;
    if (ok) {
      this.admitted[row]!++;
      if (oracleOpen) this.bad[row]!++;
    } else if (!oracleOpen) {
      this.lost[row]!++;
    }
    if (oracleOpen) this.oracleBlock[row]!++;
    const state = this.#inner.state();
    if (state !== this.#state) this.#changeState(state, tNs);
    return ok;
  }

  #enterRow(tNs: number): void {
    const row = this.#rowOf(tNs);
    if (this.#probe) {
      const prev = this.#row;
      if (prev >= 0) {
        for (let r = prev + 1; r < row; r++) {
          this.limit![r] = this.limit![prev]!;
          this.inflight![r] = this.inflight![prev]!;
        }
      }
      const p = this.#inner.probe!();
      this.limit![row] = p.limit;
      this.inflight![row] = p.inflight;
    }
    this.#row = row;
    this.#nextRowNs = row === this.#rows - 1 ? Number.POSITIVE_INFINITY : (row + 1) * NS_PER_S;
    if (row > this.#lastRow) this.#lastRow = row;
  }

  state(): CandidateState {
    return this.#inner.state();
  }

  success(tNs: number, latencyNs: number): void {
    this.#inner.success(tNs, latencyNs);
    this.successes[this.#completionRow(tNs)]!++;
    const state = this.#inner.state();
    if (state !== this.#state) this.#changeState(state, tNs);
  }

  fail(tNs: number, latencyNs: number): void {
    this.#inner.fail(tNs, latencyNs);
    this.failures[this.#completionRow(tNs)]!++;
    const state = this.#inner.state();
    if (state !== this.#state) this.#changeState(state, tNs);
  }

  #completionRow(tNs: number): number {
    if (tNs >= this.#doneFromNs && tNs < this.#doneToNs) return this.#doneRow;
    const row = this.#rowOf(tNs);
    this.#doneRow = row;
    this.#doneFromNs = row * NS_PER_S;
    this.#doneToNs = row === this.#rows - 1 ? Number.POSITIVE_INFINITY : (row + 1) * NS_PER_S;
    if (row > this.#lastRow) this.#lastRow = row;
    return row;
  }

  #changeState(state: CandidateState, tNs: number): void {
    if (tNs > this.#stateSinceNs) {
      addSpan(this.stateNs[this.#stateCode]!, this.#stateSinceNs, tNs, this.#rows);
    }
    this.#state = state;
    this.#stateCode = stateCode(state);
    this.#stateSinceNs = tNs;
  }

  /** The trace, once the stream is exhausted; `endNs` is the time of the last event. */
  finish(endNs: number): PrescientTrace {
    const lastRow = Math.max(this.#lastRow, this.#rowOf(endNs));
    const rows = lastRow + 1;
    const endOfRowsNs = rows * NS_PER_S;
    if (endOfRowsNs > this.#stateSinceNs) {
      addSpan(this.stateNs[this.#stateCode]!, this.#stateSinceNs, endOfRowsNs, this.#rows);
    }
    this.#stateSinceNs = endOfRowsNs;
    if (this.#probe) {
      const prev = Math.max(this.#row, 0);
      for (let r = prev + 1; r < rows; r++) {
        this.limit![r] = this.limit![prev]!;
        this.inflight![r] = this.inflight![prev]!;
      }
    }
    const cut = <T extends { slice(start: number, end: number): T }>(a: T): T => a.slice(0, rows);
    const offered = cut(this.offered);
    const admitted = cut(this.admitted);
    const oracleBlock = cut(this.oracleBlock);
    const bad = cut(this.bad);
    const lost = cut(this.lost);
    const badTraffic = new Float64Array(rows);
    const lostBusiness = new Float64Array(rows);
    const totalPenalty = new Float64Array(rows);
    let badSquares = 0;
    let lostSquares = 0;
    for (let i = 0; i < rows; i++) {
      badSquares += bad[i]! * bad[i]!;
      lostSquares += lost[i]! * lost[i]!;
      badTraffic[i] = Math.sqrt(badSquares);
      lostBusiness[i] = Math.sqrt(lostSquares);
      totalPenalty[i] = badTraffic[i]! + lostBusiness[i]!;
    }
    const openNs = new Float64Array(rows);
    const changes = this.#oracle.changes;
    for (let i = 0; i < changes.length; i++) {
      const c = changes[i]!;
      if (!c.open) continue;
      const to = changes[i + 1]?.tNs ?? endNs;
      if (to > c.tNs) addSpan(openNs, c.tNs, to, rows, false);
    }
    const share = (ns: Float64Array): Float64Array => {
      const out = new Float64Array(rows);
      for (let i = 0; i < rows; i++) out[i] = Math.min(ns[i]! / NS_PER_S, 1);
      return out;
    };
    const columns: PrescientTrace['columns'] = {
      offered,
      admitted,
      blocked: offered.map((o, i) => o - admitted[i]!),
      oracleBlock,
      oracleAdmit: offered.map((o, i) => o - oracleBlock[i]!),
      bad,
      lost,
      successes: cut(this.successes),
      failures: cut(this.failures),
      badTraffic,
      lostBusiness,
      totalPenalty,
      oracleOpen: share(openNs),
      closed: share(this.stateNs[0]),
      throttled: share(this.stateNs[1]),
      halfOpen: share(this.stateNs[2]),
      open: share(this.stateNs[3]),
    };
    if (this.limit !== undefined) columns.limit = cut(this.limit);
    if (this.inflight !== undefined) columns.inflight = cut(this.inflight);
    return {
      candidate: this.name,
      seconds: rows,
      crashes: [],
      columns,
      layout: prescientLayout(),
    };
  }
}

/**
 * The tracer for one open-loop run: `runPrescient({ …, tracer: recorder })`,
 * then `recorder.trace()`. One recorder records one run.
 */
export class PrescientTraceRecorder implements PrescientTracer {
  #recording: PrescientRecordingCandidate | undefined;
  #trace: PrescientTrace | undefined;

  attach(run: {
    candidate: Candidate;
    oracle: OracleRecorder;
    specs: readonly LoadSpec[];
  }): Candidate {
    if (this.#recording !== undefined) {
      throw new Error('a PrescientTraceRecorder records one run only');
    }
    let totalS = 0;
    for (const spec of run.specs) totalS += spec.durationS;
    this.#recording = new PrescientRecordingCandidate(
      run.candidate,
      run.oracle,
      Math.ceil(totalS) + SLACK_ROWS,
    );
    return this.#recording;
  }

  finish(run: { endNs: number }): void {
    if (this.#recording === undefined)
      throw new Error('PrescientTraceRecorder.finish before attach');
    this.#trace = this.#recording.finish(run.endNs);
  }

  /** The finished trace; throws before the run has finished. */
  trace(): PrescientTrace {
    if (this.#trace === undefined) throw new Error('the traced run has not finished');
    return this.#trace;
  }
}
