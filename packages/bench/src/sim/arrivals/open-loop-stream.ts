/**
 * The open-loop load generator's event stream (docs/BENCHMARKS.md §1.2, loadgen
 * v0.2.0), bit-exact with Go for the request records.
 *
 * Generator, per request (one PCG seeded `(seed, seed >> 32)`):
 * 1. spec switch: if `nextArrival − specStart ≥ durationS·1e9`, advance one
 *    spec with `specStart = nextArrival` and `I = 60e9 / rpm` (stored
 *    quotient); after the last spec the generator stops;
 * 2. the request starts at `nextArrival`; then
 *    `nextArrival += trunc(ExpFloat64() × I)` (drawn after the switch check,
 *    so a spec's first request already uses the new rate);
 * 3. latency `y = profile.sampleMs(Float64())` (§1.2 step 4);
 * 4. `success = Float64() ≥ errorRate`;
 * 5. successes are clamped to `y ≤ 0.99·timeout` (errors are not clamped);
 *    `durationNs = trunc(y·1e6)`.
 * Exactly three draws per request, in the order exp, uniform, uniform.
 *
 * Event stream: a min-heap of pending completions keyed by completion time
 * (`start + durationNs`). Each `next()` emits one event: first any pending
 * completion with time ≤ the current simulated time; otherwise time advances
 * to the earlier of the next completion and the next arrival, and an arrival
 * that is due emits its `start` (on an exact tie the `start` comes first).
 * Completions with equal times come out in start order. Event ids are 1, 2,
 * 3, … in start order.
 *
 * Time origin (deliberate deviation): upstream anchors the run so that it ends
 * at the wall-clock instant of construction (first request at
 * `now − Σ durationS`, Unix ns). Here the first request is at t = 0 and all
 * times are ns offsets from it, so runs are reproducible; add a fixed origin
 * if absolute times are wanted. Counts and durations are unaffected.
 *
 * For `cyberMonday()` and seed 20241225 there are exactly 56,525,160 starts.
 *
 * ```ts
 * const s = new OpenLoopStream(specs, 20241225);
 * while (s.next()) {
 *   if (s.kind === 'start') onStart(s.t, s.id); else onDone(s.t, s.id, s.kind === 'success');
 * }
 * ```
 */
import { GoRand } from '../rng/go-rand.js';
import { LatencyProfile } from '../workload/latency-profile.js';
import type { LoadSpec } from '../workload/load-spec.js';
import { checkRateAndDuration } from './dispatcher.js';
import { MinHeap } from './min-heap.js';

export type OpenLoopEventKind = 'start' | 'success' | 'error';

/**
 * Layer 1 of the load generator: the raw request records (start time,
 * duration, outcome, spec) in start order. Pull API: `next()` then read
 * `start`, `durationNs`, `success`, `specIndex`.
 */
export class OpenLoopGenerator {
  /** Start time of the current request, ns from the origin 0. */
  start = 0;
  /** Duration of the current request, ns (`trunc(y_ms·1e6)`). */
  durationNs = 0;
  /** Outcome of the current request. */
  success = true;
  /** Spec index of the current request. */
  specIndex = 0;
  /** Number of requests generated so far. */
  count = 0;
  /** True once the specs are exhausted. */
  done = false;

  private readonly rng: GoRand;
  private readonly intervals: Float64Array;
  private readonly durationsNs: Float64Array;
  private readonly errorRates: Float64Array;
  private readonly successCaps: Float64Array;
  // Latency profile coefficients per spec (see LatencyProfile), unpacked for the hot loop.
  private readonly profA: Float64Array;
  private readonly profB: Float64Array;
  private readonly profC: Float64Array;
  private readonly profP99: Float64Array;
  private readonly profSlope: Float64Array;
  private spec = 0;
  private specStart = 0;
  private nextArrival = 0;
  private interval: number;

  /**
   * @param specs the workload (validated `LoadSpec`s).
   * @param seed  seeds the generator's PCG as `(seed, seed >> 32)`, or pass a `GoRand`.
   */
  constructor(specs: readonly LoadSpec[], seed: number | GoRand) {
    if (specs.length === 0) {
      throw new RangeError('OpenLoopGenerator needs at least one spec');
    }
    this.rng = typeof seed === 'number' ? GoRand.seeded(seed) : seed;
    const n = specs.length;
    this.intervals = new Float64Array(n);
    this.durationsNs = new Float64Array(n);
    this.errorRates = new Float64Array(n);
    this.successCaps = new Float64Array(n);
    this.profA = new Float64Array(n);
    this.profB = new Float64Array(n);
    this.profC = new Float64Array(n);
    this.profP99 = new Float64Array(n);
    this.profSlope = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const s = specs[i]!;
      checkRateAndDuration(s, i);
      this.intervals[i] = 60e9 / s.rpm;
      this.durationsNs[i] = s.durationS * 1e9;
      this.errorRates[i] = s.errorRate;
      this.successCaps[i] = 0.99 * s.timeoutMs;
      const prof = new LatencyProfile(s.p50Ms, s.p99Ms, s.timeoutMs);
      this.profA[i] = prof.a;
      this.profB[i] = prof.b;
      this.profC[i] = prof.c;
      this.profP99[i] = prof.p99Ms;
      this.profSlope[i] = prof.slope;
    }
    this.interval = this.intervals[0]!;
  }

  /** Generates the next request. Returns false (and sets `done`) after the last spec. */
  next(): boolean {
    if (this.done) {
      return false;
    }
    let k = this.spec;
    const at = this.nextArrival;
    if (at - this.specStart >= this.durationsNs[k]!) {
      k++;
      if (k >= this.intervals.length) {
        this.done = true;
        return false;
      }
      this.spec = k;
      this.specStart = at;
      this.interval = this.intervals[k]!;
    }
    const rng = this.rng;
    this.nextArrival = at + Math.trunc(rng.expFloat64() * this.interval);
    // LatencyProfile.sampleMs, inlined (same operations, same order).
    const x = rng.float64();
    let y =
      x <= 0.99
        ? this.profA[k]! + (this.profB[k]! * x) / (1 - this.profC[k]! * x)
        : this.profP99[k]! + this.profSlope[k]! * (x - 0.99);
    const success = rng.float64() >= this.errorRates[k]!;
    if (success) {
      const cap = this.successCaps[k]!;
      if (y > cap) {
        y = cap;
      }
    }
    this.start = at;
    this.durationNs = Math.trunc(y * 1e6);
    this.success = success;
    this.specIndex = k;
    this.count++;
    return true;
  }
}

/** Runs a generator to the end and returns the number of requests (= `start` events of the stream). */
export function countOpenLoopArrivals(specs: readonly LoadSpec[], seed: number): number {
  const g = new OpenLoopGenerator(specs, seed);
  while (g.next()) {
    // count only
  }
  return g.count;
}

export class OpenLoopStream {
  /** Kind of the current event. */
  kind: OpenLoopEventKind = 'start';
  /** Time of the current event, ns from the origin 0: the start time, or the completion time (start + durationNs). */
  t = 0;
  /** EventID of the request the current event belongs to (1, 2, 3, … in start order). */
  id = 0;
  /** Duration of that request, ns (also set on `start` events). */
  durationNs = 0;
  /** Spec index of that request. */
  specIndex = 0;
  /**
   * Outcome of that request (`kind !== 'error'` for completions). Also set on
   * `start` events, although upstream's Start event does not reveal it.
   */
  success = true;
  /** Number of `start` events emitted so far. */
  starts = 0;
  /** True once every event has been emitted. */
  done = false;

  private readonly gen: OpenLoopGenerator;
  private readonly heap = new MinHeap(4096);

  // Pending completions: slot-indexed storage, heap values are slot numbers.
  private slotId: Float64Array;
  private slotDuration: Float64Array;
  private slotSpec: Int32Array;
  private slotSuccess: Uint8Array;
  private freeSlots: Int32Array;
  private freeCount: number;

  private now = 0;
  // Whether `gen` holds a generated request that has not started yet.
  private pending: boolean;

  /**
   * @param specs the workload (validated `LoadSpec`s).
   * @param seed  seeds the generator's PCG as `(seed, seed >> 32)`, or pass a `GoRand`.
   */
  constructor(specs: readonly LoadSpec[], seed: number | GoRand) {
    this.gen = new OpenLoopGenerator(specs, seed);
    const cap = 1024;
    this.slotId = new Float64Array(cap);
    this.slotDuration = new Float64Array(cap);
    this.slotSpec = new Int32Array(cap);
    this.slotSuccess = new Uint8Array(cap);
    this.freeSlots = new Int32Array(cap);
    for (let i = 0; i < cap; i++) {
      this.freeSlots[i] = cap - 1 - i;
    }
    this.freeCount = cap;
    this.pending = this.gen.next();
  }

  /** Advances to the next event. Returns false (and sets `done`) when there are none left. */
  next(): boolean {
    const heap = this.heap;
    const completionAt = heap.peekKey();
    if (completionAt > this.now) {
      // Nothing pending at the current time: move time forward.
      if (this.pending && this.gen.start <= completionAt) {
        return this.emitStart();
      }
      if (heap.size === 0) {
        this.done = true;
        return false;
      }
      this.now = completionAt;
    }
    // Emit the earliest pending completion (time ≤ now).
    const slot = heap.pop();
    const success = this.slotSuccess[slot] === 1;
    this.kind = success ? 'success' : 'error';
    this.t = completionAt;
    this.id = this.slotId[slot]!;
    this.durationNs = this.slotDuration[slot]!;
    this.specIndex = this.slotSpec[slot]!;
    this.success = success;
    this.freeSlots[this.freeCount++] = slot;
    return true;
  }

  private emitStart(): boolean {
    const gen = this.gen;
    const start = gen.start;
    const duration = gen.durationNs;
    const spec = gen.specIndex;
    const success = gen.success;
    const id = ++this.starts;
    this.now = start;
    this.kind = 'start';
    this.t = start;
    this.id = id;
    this.durationNs = duration;
    this.specIndex = spec;
    this.success = success;
    if (this.freeCount === 0) {
      this.growSlots();
    }
    const slot = this.freeSlots[--this.freeCount]!;
    this.slotId[slot] = id;
    this.slotDuration[slot] = duration;
    this.slotSpec[slot] = spec;
    this.slotSuccess[slot] = success ? 1 : 0;
    this.heap.push(start + duration, slot);
    this.pending = gen.next();
    return true;
  }

  private growSlots(): void {
    const old = this.slotId.length;
    const cap = old * 2;
    const id = new Float64Array(cap);
    id.set(this.slotId);
    const dur = new Float64Array(cap);
    dur.set(this.slotDuration);
    const spec = new Int32Array(cap);
    spec.set(this.slotSpec);
    const ok = new Uint8Array(cap);
    ok.set(this.slotSuccess);
    const free = new Int32Array(cap);
    // All old slots are in use (the free list is empty); the new ones are free.
    for (let i = 0; i < cap - old; i++) {
      free[i] = cap - 1 - i;
    }
    this.freeCount = cap - old;
    this.slotId = id;
    this.slotDuration = dur;
    this.slotSpec = spec;
    this.slotSuccess = ok;
    this.freeSlots = free;
  }
}
