/**
 * Event-loop batching for the open-loop stream (docs/BENCHMARKS.md §9.3): the
 * events of an `OpenLoopStream` with every completion moved to the end of its
 * tick, ceil(t / tick) × tick, and stamped with that time (its duration grows
 * by the same amount), as an event loop that reads the clock once per tick
 * would report them. Starts keep their times; a start at or after a tick's end
 * comes after the completions delivered then; completions of one tick keep
 * their due order. With a tick of 1 ns nothing moves.
 *
 * The same fields and pull API as `OpenLoopStream`, so the prescient runner
 * drives either. Allocation-free per event (typed-array FIFO, grown by doubling).
 */
import type { OpenLoopEventKind, OpenLoopStream } from './open-loop-stream.js';

export class EventLoopStream {
  kind: OpenLoopEventKind = 'start';
  t = 0;
  id = 0;
  durationNs = 0;
  specIndex = 0;
  success = true;
  done = false;

  readonly #inner: OpenLoopStream;
  readonly #tickNs: number;
  // FIFO of held completions: delivery time, id, stamped duration, spec, outcome.
  #at = new Float64Array(1024);
  #ids = new Float64Array(1024);
  #dur = new Float64Array(1024);
  #spec = new Int32Array(1024);
  #ok = new Uint8Array(1024);
  #head = 0;
  #size = 0;
  /** A start pulled from the inner stream while completions were still due before it. */
  #held = false;
  #heldT = 0;
  #heldId = 0;
  #heldDur = 0;
  #heldSpec = 0;
  #heldOk = true;

  constructor(inner: OpenLoopStream, tickNs: number) {
    if (!Number.isSafeInteger(tickNs) || tickNs < 1) {
      throw new RangeError(`tickNs must be a positive integer (got ${tickNs})`);
    }
    this.#inner = inner;
    this.#tickNs = tickNs;
  }

  /** Start events emitted so far. */
  get starts(): number {
    return this.#inner.starts - (this.#held ? 1 : 0);
  }

  /** The end of the tick of `t`: ceil(t / tick) × tick, exactly. */
  deliveryNs(t: number): number {
    const r = t % this.#tickNs;
    return r === 0 ? t : t - r + this.#tickNs;
  }

  next(): boolean {
    if (this.#held) {
      if (this.#size > 0 && this.#at[this.#head]! <= this.#heldT) return this.#emitHeld();
      this.#held = false;
      return this.#emitStart(
        this.#heldT,
        this.#heldId,
        this.#heldDur,
        this.#heldSpec,
        this.#heldOk,
      );
    }
    const inner = this.#inner;
    for (;;) {
      if (!inner.next()) {
        if (this.#size > 0) return this.#emitHeld();
        this.done = true;
        return false;
      }
      if (inner.kind !== 'start') {
        const at = this.deliveryNs(inner.t);
        this.#push(at, inner.id, inner.durationNs + (at - inner.t), inner.specIndex, inner.success);
        continue;
      }
      if (this.#size > 0 && this.#at[this.#head]! <= inner.t) {
        this.#held = true;
        this.#heldT = inner.t;
        this.#heldId = inner.id;
        this.#heldDur = inner.durationNs;
        this.#heldSpec = inner.specIndex;
        this.#heldOk = inner.success;
        return this.#emitHeld();
      }
      return this.#emitStart(inner.t, inner.id, inner.durationNs, inner.specIndex, inner.success);
    }
  }

  #emitStart(t: number, id: number, dur: number, spec: number, ok: boolean): boolean {
    this.kind = 'start';
    this.t = t;
    this.id = id;
    this.durationNs = dur;
    this.specIndex = spec;
    this.success = ok;
    return true;
  }

  /** Emits the oldest held completion. */
  #emitHeld(): boolean {
    const i = this.#head;
    const ok = this.#ok[i] === 1;
    this.kind = ok ? 'success' : 'error';
    this.t = this.#at[i]!;
    this.id = this.#ids[i]!;
    this.durationNs = this.#dur[i]!;
    this.specIndex = this.#spec[i]!;
    this.success = ok;
    this.#head = (i + 1) % this.#at.length;
    this.#size--;
    return true;
  }

  #push(at: number, id: number, dur: number, spec: number, ok: boolean): void {
    if (this.#size === this.#at.length) this.#grow();
    const i = (this.#head + this.#size) % this.#at.length;
    this.#at[i] = at;
    this.#ids[i] = id;
    this.#dur[i] = dur;
    this.#spec[i] = spec;
    this.#ok[i] = ok ? 1 : 0;
    this.#size++;
  }

  #grow(): void {
    const n = this.#at.length;
    const order = (a: Float64Array | Int32Array | Uint8Array, b: typeof a): void => {
      for (let k = 0; k < n; k++) b[k] = a[(this.#head + k) % n]!;
    };
    const at = new Float64Array(2 * n);
    const ids = new Float64Array(2 * n);
    const dur = new Float64Array(2 * n);
    const spec = new Int32Array(2 * n);
    const ok = new Uint8Array(2 * n);
    order(this.#at, at);
    order(this.#ids, ids);
    order(this.#dur, dur);
    order(this.#spec, spec);
    order(this.#ok, ok);
    this.#at = at;
    this.#ids = ids;
    this.#dur = dur;
    this.#spec = spec;
    this.#ok = ok;
    this.#head = 0;
  }
}
