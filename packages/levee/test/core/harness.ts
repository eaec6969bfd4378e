/**
 * Black-box discrete-event driver for Levee (docs/ALGORITHM.md §6.3): a min-heap of
 * pending completions ordered by (done time, sequence); before each arrival it
 * delivers every completion due at or before that time. After every public
 * operation it checks the invariants and counts conservation.
 */
import { expect } from 'vitest';
import {
  type Admission,
  Levee,
  type LeveeOptions,
  type SLO,
  type State,
  type StateChange,
} from '../../src/index.js';

const LEGAL: Record<State, readonly State[]> = {
  CLOSED: ['CLOSED', 'THROTTLED'],
  THROTTLED: ['THROTTLED', 'CLOSED', 'OPEN'],
  HALF_OPEN: ['HALF_OPEN', 'CLOSED', 'OPEN'],
  OPEN: ['OPEN', 'HALF_OPEN'],
};

export function isLegal(from: State, to: State): boolean {
  return LEGAL[from].includes(to);
}

interface Pending {
  done: number;
  seq: number;
  start: number;
  fail: boolean;
}

/** Checks every invariant of §6.3 against the result of one operation. */
export function checkInvariants(
  levee: Levee,
  before: State,
  result: StateChange,
  outstanding: number,
): void {
  const snap = levee.snapshot();
  if (!isLegal(before, result.state)) {
    throw new Error(`illegal transition ${before} -> ${result.state}`);
  }
  if ((result.state === before) !== (result.trigger === 'NONE')) {
    throw new Error(`trigger ${result.trigger} with ${before} -> ${result.state}`);
  }
  if (snap.state !== result.state) throw new Error('snapshot state differs from result');
  if (snap.inflight !== outstanding || snap.inflight < 0) {
    throw new Error(`inflight ${snap.inflight} != outstanding ${outstanding}`);
  }
  if (snap.capped ? snap.limit < 1 : snap.limit !== 0) {
    throw new Error(`limit ${snap.limit} with capped=${snap.capped}`);
  }
  if (!snap.capped && snap.state !== 'CLOSED') throw new Error(`uncapped in ${snap.state}`);
  for (const v of [
    snap.limit,
    snap.estimatedCapacity,
    snap.errorRate,
    snap.errorLowerBound,
    snap.goodput,
    snap.latencyMs,
    snap.surge.strain,
    snap.surge.provenExcess,
    snap.surge.onset,
  ]) {
    if (!Number.isFinite(v)) throw new Error(`non-finite diagnostic in ${JSON.stringify(snap)}`);
  }
  const c = snap.counters;
  if (c.admitted !== c.succeeded + c.failed + c.cancelled + snap.inflight) {
    throw new Error(`conservation broken: ${JSON.stringify(c)} inflight ${snap.inflight}`);
  }
}

export interface Transition {
  at: number;
  from: State;
  to: State;
  trigger: string;
}

export class Driver {
  readonly levee: Levee;
  readonly transitions: Transition[] = [];
  attempted = 0;
  admitted = 0;
  rejected = 0;
  succeeded = 0;
  failed = 0;
  #heap: Pending[] = [];
  #seq = 0;

  constructor(slo: SLO | Levee, options?: LeveeOptions) {
    this.levee = slo instanceof Levee ? slo : new Levee(slo, options);
  }

  get pending(): number {
    return this.#heap.length;
  }

  /** Delivers every completion due at or before `t` (ms). */
  deliver(t: number): void {
    for (;;) {
      const top = this.#heap[0];
      if (top === undefined || top.done > t) return;
      this.#pop();
      const before = this.levee.state;
      const r = top.fail
        ? this.levee.fail(top.done, top.done - top.start)
        : this.levee.success(top.done, top.done - top.start);
      if (top.fail) this.failed++;
      else this.succeeded++;
      this.#after(before, r, top.done);
    }
  }

  /** Delivers due completions, then attempts a call at `t` taking `latency` ms. */
  arrive(t: number, latency: number, fail: boolean): Admission {
    this.deliver(t);
    return this.startOnly(t, latency, fail);
  }

  /** Attempts a call at `t` without delivering completions first. */
  startOnly(t: number, latency: number, fail: boolean): Admission {
    const before = this.levee.state;
    const r = this.levee.start(t);
    this.attempted++;
    if (r.admitted) {
      this.admitted++;
      this.#push({ done: t + latency, seq: this.#seq++, start: t, fail });
    } else {
      this.rejected++;
    }
    this.#after(before, r, t);
    return r;
  }

  #after(before: State, r: StateChange, t: number): void {
    if (r.trigger !== 'NONE') {
      this.transitions.push({ at: t, from: before, to: r.state, trigger: r.trigger });
    }
    checkInvariants(this.levee, before, r, this.#heap.length);
    expect(this.admitted + this.rejected).toBe(this.attempted);
    const c = this.levee.snapshot().counters;
    if (c.succeeded !== this.succeeded || c.failed !== this.failed) {
      throw new Error('succeeded/failed counters disagree with the driver');
    }
  }

  #less(a: Pending, b: Pending): boolean {
    return a.done < b.done || (a.done === b.done && a.seq < b.seq);
  }

  #push(p: Pending): void {
    const h = this.#heap;
    h.push(p);
    let i = h.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.#less(h[i]!, h[parent]!)) break;
      [h[i], h[parent]] = [h[parent]!, h[i]!];
      i = parent;
    }
  }

  #pop(): Pending {
    const h = this.#heap;
    const top = h[0]!;
    const last = h.pop()!;
    if (h.length > 0) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && this.#less(h[l]!, h[m]!)) m = l;
        if (r < h.length && this.#less(h[r]!, h[m]!)) m = r;
        if (m === i) break;
        [h[i], h[m]] = [h[m]!, h[i]!];
        i = m;
      }
    }
    return top;
  }
}

/** Both estimators (docs/ALGORITHM.md §3.2, §3.13), for tests that must hold under either. */
export const ESTIMATORS = ['decayed', 'v0.4'] as const;
