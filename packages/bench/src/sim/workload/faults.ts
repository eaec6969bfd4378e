/**
 * The dependency-fault model of the closed-loop backend (docs/BENCHMARKS.md
 * §9.1): time windows in which the backend fails or slows down for reasons of
 * its own, whatever the load. Off unless a window is declared (a backend
 * file's `faults`, a workload file's `faults`, or a spec's `faults`), so every
 * published figure is unchanged.
 *
 * | kind     | calls submitted inside the window                                                |
 * | -------- | -------------------------------------------------------------------------------- |
 * | `error`  | a share `share` fails fast (latency uniform in `failMs`); the rest are served     |
 * | `outage` | all fail fast, as with refused connections                                       |
 * | `hang`   | none is answered: each fails when the client's timeout (the spec's) ends it      |
 * | `slow`   | served with the nominal service time × `factor` (slots are held that long)       |
 * | `flap`   | cycles of `periodS`: down (as `outage`) for the first `downS`, then healthy      |
 *
 * A fault applies to the calls *submitted* while it is in force (calls already
 * in flight finish as scheduled) and it is decided before anything else: a
 * call that a fault fails never reaches the worker pool, the autoscaler's
 * demand estimate or the load measure, and draws nothing from the latency
 * generator. `slow` is the one kind that lets calls in; it multiplies the
 * nominal service time drawn for them (one draw, as without the fault), so
 * the pool's capacity falls by the factor and overload follows if the traffic
 * does not. Faults come before the crash model: a fast failure is a fast
 * failure even while the backend is down.
 *
 * Randomness (the `error` roll and the fast-failure latency) comes from the
 * faults' own Go PCG stream, seeded `(seed, (seed >> 32) XOR FAULT_STREAM)`,
 * and only while a window that needs it is in force: declaring no window (or
 * only windows elsewhere in time) leaves every draw of the dispatcher and the
 * latency generator where it was.
 *
 * Times: a window's `startS` counts from the start of the run (backend file)
 * or from the start of its spec (a spec's `faults`); a spec starts at the sum
 * of the durations before it in the run's specs (nominal time, not the
 * dispatcher's arrival-aligned boundary). Windows are half-open
 * [start, start + duration) in integer nanoseconds and must not overlap.
 */
import { GoRand } from '../rng/go-rand.js';
import { describeValue } from './describe-value.js';

export const FAULT_KINDS = ['error', 'outage', 'hang', 'slow', 'flap'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

/** One fault window, as declared (seconds and milliseconds). */
export interface FaultWindow {
  kind: FaultKind;
  /** Start, s: from the run's start, or from its spec's start for a spec's faults. */
  startS: number;
  /** Length, s (> 0). */
  durationS: number;
  /** `error` only (required): the share of calls that fail, in [0, 1]. */
  share?: number;
  /** `slow` only (required): the service-time multiplier, in (0, 1000]. */
  factor?: number;
  /** `flap` only (required): the length of one down/up cycle, s. */
  periodS?: number;
  /** `flap` only: the down part at the start of each cycle, s, in (0, periodS); default periodS / 2. */
  downS?: number;
  /**
   * `flap` only: where in its cycle the window starts, s, in [0, periodS)
   * (default 0; set when a workload file's window is split at a spec boundary).
   */
  phaseS?: number;
  /** `error`, `outage`, `flap`: the latency range of a fast failure, ms, [min, max]; default [1, 5]. */
  failMs?: [number, number];
}

/** Thrown for an invalid fault declaration; the message names the field and the value. */
export class FaultError extends Error {
  override readonly name = 'FaultError';
}

/**
 * Default fast-failure latency, ms: a refused connection or an immediate error
 * answer costs about one network round trip plus a little processing, 1–5 ms
 * inside a data centre (docs/BENCHMARKS.md §9.1).
 */
export const DEFAULT_FAIL_MS: readonly [number, number] = Object.freeze([1, 5]) as readonly [
  number,
  number,
];

/** Longest time accepted, seconds (keeps every nanosecond time exact; as the backend file's). */
const MAX_SECONDS = 8_000_000;
/** Largest fast-failure latency, ms (one minute: longer is not "fast"; use `hang`). */
const MAX_FAIL_MS = 60_000;
/** Largest `slow` factor. */
const MAX_FACTOR = 1000;

/** Which optional fields each kind takes (besides kind, startS, durationS). */
const FIELDS: Record<FaultKind, readonly string[]> = {
  error: ['share', 'failMs'],
  outage: ['failMs'],
  hang: [],
  slow: ['factor'],
  flap: ['periodS', 'downS', 'phaseS', 'failMs'],
};
const COMMON = ['kind', 'startS', 'durationS'] as const;
const ALL_FIELDS = [
  'kind',
  'startS',
  'durationS',
  'share',
  'factor',
  'periodS',
  'downS',
  'phaseS',
  'failMs',
];

const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** Seconds → integer nanoseconds. */
export function faultNs(seconds: number): number {
  return Math.round(seconds * 1e9);
}

/**
 * Validates one window (parsed JSON) and returns a fresh copy with only its
 * own fields. `at` prefixes messages, e.g. `backend.json: faults[2]`.
 */
export function parseFaultWindow(raw: unknown, at: string): FaultWindow {
  const fail = (msg: string): never => {
    throw new FaultError(`${at}${msg}`);
  };
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return fail(`: must be an object (got ${describeValue(raw)})`);
  }
  const obj = raw as Record<string, unknown>;
  const kind = obj.kind;
  if (typeof kind !== 'string' || !(FAULT_KINDS as readonly string[]).includes(kind)) {
    return fail(`.kind must be one of ${FAULT_KINDS.join(', ')} (got ${describeValue(kind)})`);
  }
  const k = kind as FaultKind;
  for (const key of Object.keys(obj)) {
    if (!ALL_FIELDS.includes(key)) {
      return fail(`: unknown field ${JSON.stringify(key)} (allowed: ${ALL_FIELDS.join(', ')})`);
    }
    if (!(COMMON as readonly string[]).includes(key) && !FIELDS[k].includes(key)) {
      return fail(`.${key} does not apply to kind ${k}`);
    }
  }
  const seconds = (key: string, positive: boolean): number => {
    const v = obj[key];
    if (!isNumber(v) || v < 0 || v > MAX_SECONDS || (positive && faultNs(v) < 1)) {
      return fail(
        `.${key} must be a number of seconds in ${positive ? '(0' : '[0'}, ${MAX_SECONDS}] (got ${describeValue(v)})`,
      );
    }
    return v;
  };
  if (!('startS' in obj)) fail('.startS is missing');
  if (!('durationS' in obj)) fail('.durationS is missing');
  const window: FaultWindow = {
    kind: k,
    startS: seconds('startS', false),
    durationS: seconds('durationS', true),
  };
  if (window.startS + window.durationS > MAX_SECONDS) {
    fail(
      `: ends after ${MAX_SECONDS} s (startS + durationS = ${window.startS + window.durationS})`,
    );
  }
  if (k === 'error') {
    if (!('share' in obj)) fail('.share is missing (the share of calls that fail, in [0, 1])');
    const share = obj.share;
    if (!isNumber(share) || share < 0 || share > 1) {
      fail(`.share must be a number in [0, 1] (got ${describeValue(share)})`);
    }
    window.share = share as number;
  }
  if (k === 'slow') {
    if (!('factor' in obj)) fail('.factor is missing (the service-time multiplier)');
    const factor = obj.factor;
    if (!isNumber(factor) || factor <= 0 || factor > MAX_FACTOR) {
      fail(`.factor must be a number in (0, ${MAX_FACTOR}] (got ${describeValue(factor)})`);
    }
    window.factor = factor as number;
  }
  if (k === 'flap') {
    if (!('periodS' in obj)) fail('.periodS is missing (the length of one down/up cycle)');
    const period = seconds('periodS', true);
    window.periodS = period;
    if ('downS' in obj) {
      const down = obj.downS;
      if (!isNumber(down) || !(down > 0) || !(down < period) || faultNs(down) < 1) {
        fail(
          `.downS must be a number of seconds in (0, periodS = ${period}) (got ${describeValue(down)})`,
        );
      }
      window.downS = down as number;
    }
    if ('phaseS' in obj) {
      const phase = obj.phaseS;
      if (!isNumber(phase) || phase < 0 || !(phase < period)) {
        fail(
          `.phaseS must be a number of seconds in [0, periodS = ${period}) (got ${describeValue(phase)})`,
        );
      }
      window.phaseS = phase as number;
    }
  }
  if ('failMs' in obj) {
    const range = obj.failMs;
    if (
      !Array.isArray(range) ||
      range.length !== 2 ||
      !isNumber(range[0]) ||
      !isNumber(range[1]) ||
      range[0] < 0 ||
      range[1] < range[0] ||
      range[1] > MAX_FAIL_MS
    ) {
      fail(
        `.failMs must be [min, max] milliseconds with 0 <= min <= max <= ${MAX_FAIL_MS} (got ${describeValue(range)})`,
      );
    }
    window.failMs = [(range as number[])[0]!, (range as number[])[1]!];
  }
  return window;
}

/** End of a window, s. */
export function faultEndS(w: Pick<FaultWindow, 'startS' | 'durationS'>): number {
  return w.startS + w.durationS;
}

/** A short description for messages, e.g. `outage 1200-1500 s`. */
export function describeFault(w: FaultWindow): string {
  return `${w.kind} ${w.startS}-${faultEndS(w)} s`;
}

/**
 * Throws if two of `windows` overlap (half-open, compared in nanoseconds).
 * `label(i)` names window i in the message, e.g. `faults[2]`.
 */
export function checkNoOverlap(
  windows: readonly FaultWindow[],
  label: (i: number) => string,
  prefix = '',
): void {
  const order = windows
    .map((_, i) => i)
    .sort((a, b) => {
      const d = faultNs(windows[a]!.startS) - faultNs(windows[b]!.startS);
      return d !== 0 ? d : a - b;
    });
  for (let j = 1; j < order.length; j++) {
    const prev = windows[order[j - 1]!]!;
    const cur = windows[order[j]!]!;
    if (faultNs(cur.startS) < faultNs(prev.startS) + faultNs(prev.durationS)) {
      throw new FaultError(
        `${prefix}${label(order[j]!)} (${describeFault(cur)}) overlaps ${label(order[j - 1]!)} (${describeFault(prev)})`,
      );
    }
  }
}

/**
 * Validates a `faults` list (parsed JSON): an array of windows that do not
 * overlap. `source` prefixes messages (`backend.json`), `field` names the list.
 */
export function parseFaultList(data: unknown, source: string, field = 'faults'): FaultWindow[] {
  const prefix = source === '' ? '' : `${source}: `;
  if (!Array.isArray(data)) {
    throw new FaultError(
      `${prefix}${field} must be an array of fault windows (got ${describeValue(data)})`,
    );
  }
  const windows = data.map((raw, i) => parseFaultWindow(raw, `${prefix}${field}[${i}]`));
  checkNoOverlap(windows, (i) => `${field}[${i}]`, prefix);
  return windows;
}

/** The windows of a run in run time: each spec's own (shifted by its start) and the backend's. */
export function runFaultWindows(
  specs: readonly { durationS: number; faults?: readonly FaultWindow[] }[],
  backendFaults: readonly FaultWindow[] = [],
): FaultWindow[] {
  const out: FaultWindow[] = [];
  const labels: string[] = [];
  let specStartS = 0;
  specs.forEach((spec, i) => {
    spec.faults?.forEach((w, j) => {
      out.push({ ...w, startS: specStartS + w.startS });
      labels.push(`spec ${i} faults[${j}]`);
    });
    specStartS += spec.durationS;
  });
  backendFaults.forEach((w, j) => {
    out.push({ ...w });
    labels.push(`backend faults[${j}]`);
  });
  checkNoOverlap(out, (i) => labels[i]!, 'faults: ');
  return out.sort((a, b) => faultNs(a.startS) - faultNs(b.startS));
}

/**
 * Splits windows given in workload time (from the start of spec 0) at spec
 * boundaries into per-spec windows (start relative to the spec), so that a
 * `--specs` slice keeps exactly the parts inside it. A `flap` piece carries the
 * phase its cycle has reached. Returns one list per spec (empty if none).
 */
export function splitAtSpecs(
  windows: readonly FaultWindow[],
  specs: readonly { durationS: number }[],
): FaultWindow[][] {
  const out: FaultWindow[][] = specs.map(() => []);
  const startsNs: number[] = [];
  let acc = 0;
  for (const s of specs) {
    startsNs.push(acc);
    acc += faultNs(s.durationS);
  }
  const endNs = acc;
  for (const w of windows) {
    const ws = faultNs(w.startS);
    const we = ws + faultNs(w.durationS);
    for (let i = 0; i < specs.length; i++) {
      const ss = startsNs[i]!;
      const se = i + 1 < specs.length ? startsNs[i + 1]! : endNs;
      const from = Math.max(ws, ss);
      const to = Math.min(we, se);
      if (to <= from) continue;
      const piece: FaultWindow = { ...w, startS: (from - ss) / 1e9, durationS: (to - from) / 1e9 };
      if (w.kind === 'flap') {
        const periodNs = faultNs(w.periodS!);
        const phaseNs = (faultNs(w.phaseS ?? 0) + (from - ws)) % periodNs;
        if (phaseNs === 0) delete piece.phaseS;
        else piece.phaseS = phaseNs / 1e9;
      }
      out[i]!.push(piece);
    }
  }
  return out;
}

const KIND_CODE: Record<FaultKind, number> = { error: 0, outage: 1, hang: 2, slow: 3, flap: 4 };
export const FAULT_ERROR = 0;
export const FAULT_OUTAGE = 1;
export const FAULT_HANG = 2;
export const FAULT_SLOW = 3;
export const FAULT_FLAP = 4;

/**
 * The faults' own stream constant, XORed into the second PCG seed word: the
 * ASCII bytes of "faults". Any fixed value distinct from the other streams'
 * would do; this one is documented and never changes.
 */
export const FAULT_STREAM = 0x6661756c7473n;

/** What a submit at some time gets from the schedule (see `FaultSchedule.decide`). */
export const VERDICT_NONE = 0;
/** Fail fast: completion at now + `failNs`. */
export const VERDICT_FAST_FAIL = 1;
/** Hang: completion at now + the request's timeout. */
export const VERDICT_HANG = 2;
/** Served, with the service time × `slowFactor`. */
export const VERDICT_SLOW = 3;

/**
 * A run's fault windows, compiled for the backend: sorted, in nanoseconds,
 * queried at each submit (times never decrease; a cursor makes the lookup
 * O(1) amortised, with a binary search if time ever went back).
 */
export class FaultSchedule {
  readonly windows: readonly FaultWindow[];
  readonly #start: Float64Array;
  readonly #end: Float64Array;
  readonly #kind: Int8Array;
  readonly #share: Float64Array;
  readonly #factor: Float64Array;
  readonly #periodNs: Float64Array;
  readonly #downNs: Float64Array;
  readonly #phaseNs: Float64Array;
  readonly #failMinMs: Float64Array;
  readonly #failSpanMs: Float64Array;
  readonly #seed: number;
  #rng: GoRand | undefined;
  #cursor = 0;

  /** Latency of the last fast failure decided, ns. */
  failNs = 0;
  /** Service-time multiplier of the last `slow` verdict. */
  slowFactor = 1;

  /** `windows` in run time (validated, non-overlapping: `runFaultWindows`). */
  constructor(windows: readonly FaultWindow[], seed: number) {
    const sorted = [...windows].sort((a, b) => faultNs(a.startS) - faultNs(b.startS));
    this.windows = sorted;
    const n = sorted.length;
    this.#start = new Float64Array(n);
    this.#end = new Float64Array(n);
    this.#kind = new Int8Array(n);
    this.#share = new Float64Array(n);
    this.#factor = new Float64Array(n);
    this.#periodNs = new Float64Array(n);
    this.#downNs = new Float64Array(n);
    this.#phaseNs = new Float64Array(n);
    this.#failMinMs = new Float64Array(n);
    this.#failSpanMs = new Float64Array(n);
    sorted.forEach((w, i) => {
      const s = faultNs(w.startS);
      this.#start[i] = s;
      this.#end[i] = s + faultNs(w.durationS);
      if (i > 0 && s < this.#end[i - 1]!) {
        throw new FaultError(
          `faults: ${describeFault(w)} overlaps ${describeFault(sorted[i - 1]!)}`,
        );
      }
      this.#kind[i] = KIND_CODE[w.kind];
      this.#share[i] = w.share ?? 0;
      this.#factor[i] = w.factor ?? 1;
      const period = faultNs(w.periodS ?? 0);
      this.#periodNs[i] = period;
      this.#downNs[i] =
        w.kind === 'flap' ? (w.downS === undefined ? Math.round(period / 2) : faultNs(w.downS)) : 0;
      this.#phaseNs[i] = faultNs(w.phaseS ?? 0);
      const [lo, hi] = w.failMs ?? DEFAULT_FAIL_MS;
      this.#failMinMs[i] = lo;
      this.#failSpanMs[i] = hi - lo;
    });
    this.#seed = seed;
  }

  /** The window in force at `tNs`, or −1. */
  indexAt(tNs: number): number {
    const start = this.#start;
    const end = this.#end;
    const n = start.length;
    let i = this.#cursor;
    if (i > 0 && i <= n && tNs < end[i - 1]!) {
      // Time went back before the cursor: find the first window ending after t.
      let lo = 0;
      let hi = n;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (end[mid]! <= tNs) lo = mid + 1;
        else hi = mid;
      }
      i = lo;
    }
    while (i < n && end[i]! <= tNs) i++;
    this.#cursor = i;
    return i < n && tNs >= start[i]! ? i : -1;
  }

  /** True if window `i` (a `flap`) is in its down part at `tNs` (inside the window). */
  flapDown(i: number, tNs: number): boolean {
    const period = this.#periodNs[i]!;
    const pos = (tNs - this.#start[i]! + this.#phaseNs[i]!) % period;
    return pos < this.#downNs[i]!;
  }

  /** The faults' own generator (created at the first draw). */
  #draw(): number {
    let rng = this.#rng;
    if (rng === undefined) {
      const s = BigInt(this.#seed);
      rng = new GoRand(s, (s >> 32n) ^ FAULT_STREAM);
      this.#rng = rng;
    }
    return rng.float64();
  }

  #fastFail(i: number): number {
    const ms = this.#failMinMs[i]! + this.#failSpanMs[i]! * this.#draw();
    this.failNs = Math.trunc(ms * 1e6);
    return VERDICT_FAST_FAIL;
  }

  /**
   * What happens to a call submitted at `tNs`: `VERDICT_NONE` (no fault),
   * `VERDICT_FAST_FAIL` (latency in `failNs`), `VERDICT_HANG`, or
   * `VERDICT_SLOW` (multiplier in `slowFactor`). Draws from the faults'
   * stream only for an `error` roll and a fast failure's latency.
   */
  decide(tNs: number): number {
    const i = this.indexAt(tNs);
    if (i < 0) return VERDICT_NONE;
    switch (this.#kind[i]) {
      case FAULT_ERROR:
        return this.#draw() < this.#share[i]! ? this.#fastFail(i) : VERDICT_NONE;
      case FAULT_OUTAGE:
        return this.#fastFail(i);
      case FAULT_HANG:
        return VERDICT_HANG;
      case FAULT_SLOW:
        this.slowFactor = this.#factor[i]!;
        return VERDICT_SLOW;
      default:
        return this.flapDown(i, tNs) ? this.#fastFail(i) : VERDICT_NONE;
    }
  }

  /**
   * True if every call submitted at `tNs` fails whatever happens (an outage,
   * a hang, a flap's down part): what an oracle that knows the schedule would
   * refuse. Does not draw.
   */
  doomedAt(tNs: number): boolean {
    const i = this.indexAt(tNs);
    if (i < 0) return false;
    const kind = this.#kind[i];
    return (
      kind === FAULT_OUTAGE || kind === FAULT_HANG || (kind === FAULT_FLAP && this.flapDown(i, tNs))
    );
  }

  /**
   * The share of the worker pool's nominal capacity available at `tNs`, for
   * traces: 0 while every call fails (outage, hang, flap down), 1 / factor
   * while slow, 1 otherwise (an `error` window does not change capacity).
   */
  capacityFactorAt(tNs: number): number {
    const i = this.indexAt(tNs);
    if (i < 0) return 1;
    const kind = this.#kind[i];
    if (kind === FAULT_SLOW) return 1 / this.#factor[i]!;
    if (kind === FAULT_OUTAGE || kind === FAULT_HANG) return 0;
    if (kind === FAULT_FLAP) return this.flapDown(i, tNs) ? 0 : 1;
    return 1;
  }
}
