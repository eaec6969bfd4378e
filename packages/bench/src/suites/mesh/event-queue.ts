/**
 * The mesh engine's event queue, ordered by (time, scheduling sequence), so
 * events at the same instant run in the order they were scheduled.
 *
 * Most events are scheduled at "now + a constant" (deliveries one hop ahead,
 * root deadlines 1.5 s ahead, capacity ticks 1 s ahead): for each such kind
 * the times are non-decreasing in scheduling order, so a FIFO lane holds them
 * already sorted. Everything else (arrivals, service completions, recoveries)
 * goes through a binary min-heap. `pop` takes the smallest (time, sequence)
 * among the heap top and the lane heads — the same order one heap over all
 * events would give, at a fraction of the cost.
 *
 * Each entry carries a small integer kind, an integer argument and an
 * optional object payload; popped payload references are cleared so the
 * garbage collector can reclaim them.
 */

/** A FIFO of events whose times never decrease. */
class Lane<T> {
  time: Float64Array;
  seq: Float64Array;
  kind: Int32Array;
  arg: Int32Array;
  obj: (T | undefined)[];
  head = 0;
  size = 0;
  last = Number.NEGATIVE_INFINITY;

  constructor(capacity: number) {
    this.time = new Float64Array(capacity);
    this.seq = new Float64Array(capacity);
    this.kind = new Int32Array(capacity);
    this.arg = new Int32Array(capacity);
    this.obj = new Array<T | undefined>(capacity).fill(undefined);
  }

  push(time: number, seq: number, kind: number, arg: number, obj: T | undefined): void {
    if (time < this.last) throw new RangeError(`lane time went back: ${time} < ${this.last}`);
    this.last = time;
    const cap = this.time.length;
    if (this.size === cap) this.#grow();
    const i = (this.head + this.size) & (this.time.length - 1);
    this.time[i] = time;
    this.seq[i] = seq;
    this.kind[i] = kind;
    this.arg[i] = arg;
    this.obj[i] = obj;
    this.size++;
  }

  #grow(): void {
    const cap = this.time.length;
    const n = cap * 2;
    const time = new Float64Array(n);
    const seq = new Float64Array(n);
    const kind = new Int32Array(n);
    const arg = new Int32Array(n);
    const obj = new Array<T | undefined>(n).fill(undefined);
    for (let k = 0; k < this.size; k++) {
      const i = (this.head + k) & (cap - 1);
      time[k] = this.time[i]!;
      seq[k] = this.seq[i]!;
      kind[k] = this.kind[i]!;
      arg[k] = this.arg[i]!;
      obj[k] = this.obj[i];
    }
    this.time = time;
    this.seq = seq;
    this.kind = kind;
    this.arg = arg;
    this.obj = obj;
    this.head = 0;
  }
}

export class EventQueue<T> {
  #time: Float64Array;
  #seq: Float64Array;
  #kind: Int32Array;
  #arg: Int32Array;
  #obj: (T | undefined)[];
  #n = 0;
  #counter = 0;
  readonly #lanes: Lane<T>[];

  /** Kind, argument, payload and time of the last popped event. */
  kind = 0;
  arg = 0;
  obj: T | undefined = undefined;
  time = 0;

  /** `lanes` FIFO lanes (numbered from 0) besides the heap. */
  constructor(lanes = 0, capacity = 1 << 12) {
    this.#time = new Float64Array(capacity);
    this.#seq = new Float64Array(capacity);
    this.#kind = new Int32Array(capacity);
    this.#arg = new Int32Array(capacity);
    this.#obj = new Array<T | undefined>(capacity).fill(undefined);
    this.#lanes = Array.from({ length: lanes }, () => new Lane<T>(capacity));
  }

  get size(): number {
    let n = this.#n;
    for (const l of this.#lanes) n += l.size;
    return n;
  }

  /** Schedules an event on lane `lane`; its time must not be before the lane's previous one. */
  pushLane(lane: number, time: number, kind: number, arg: number, obj: T | undefined): void {
    this.#lanes[lane]!.push(time, this.#counter++, kind, arg, obj);
  }

  /** Schedules an event through the heap (any time). */
  push(time: number, kind: number, arg: number, obj: T | undefined): void {
    if (this.#n === this.#time.length) this.#grow();
    const tm = this.#time;
    const sq = this.#seq;
    const kd = this.#kind;
    const ag = this.#arg;
    const ob = this.#obj;
    const seq = this.#counter++;
    let i = this.#n++;
    while (i > 0) {
      const p = (i - 1) >> 1;
      const pt = tm[p]!;
      if (pt < time || (pt === time && sq[p]! < seq)) break;
      tm[i] = pt;
      sq[i] = sq[p]!;
      kd[i] = kd[p]!;
      ag[i] = ag[p]!;
      ob[i] = ob[p];
      i = p;
    }
    tm[i] = time;
    sq[i] = seq;
    kd[i] = kind;
    ag[i] = arg;
    ob[i] = obj;
  }

  /** Pops the earliest event into `time`, `kind`, `arg`, `obj`; false when empty. */
  pop(): boolean {
    // The earliest lane head (−1: none), then compare with the heap top.
    let best = -1;
    let bt = Number.POSITIVE_INFINITY;
    let bs = Number.POSITIVE_INFINITY;
    const lanes = this.#lanes;
    for (let k = 0; k < lanes.length; k++) {
      const l = lanes[k]!;
      if (l.size === 0) continue;
      const t = l.time[l.head]!;
      const s = l.seq[l.head]!;
      if (t < bt || (t === bt && s < bs)) {
        best = k;
        bt = t;
        bs = s;
      }
    }
    if (this.#n > 0) {
      const t = this.#time[0]!;
      if (t < bt || (t === bt && this.#seq[0]! < bs)) return this.#popHeap();
    }
    if (best < 0) return false;
    const l = lanes[best]!;
    const h = l.head;
    this.time = bt;
    this.kind = l.kind[h]!;
    this.arg = l.arg[h]!;
    this.obj = l.obj[h];
    l.obj[h] = undefined;
    l.head = (h + 1) & (l.time.length - 1);
    l.size--;
    return true;
  }

  #popHeap(): boolean {
    const n = this.#n;
    const tm = this.#time;
    const sq = this.#seq;
    const kd = this.#kind;
    const ag = this.#arg;
    const ob = this.#obj;
    this.time = tm[0]!;
    this.kind = kd[0]!;
    this.arg = ag[0]!;
    this.obj = ob[0];
    const last = n - 1;
    this.#n = last;
    if (last > 0) {
      const t = tm[last]!;
      const s = sq[last]!;
      const k = kd[last]!;
      const a = ag[last]!;
      const o = ob[last];
      let i = 0;
      for (;;) {
        let c = 2 * i + 1;
        if (c >= last) break;
        let ct = tm[c]!;
        const r = c + 1;
        if (r < last) {
          const rt = tm[r]!;
          if (rt < ct || (rt === ct && sq[r]! < sq[c]!)) {
            c = r;
            ct = rt;
          }
        }
        if (t < ct || (t === ct && s < sq[c]!)) break;
        tm[i] = ct;
        sq[i] = sq[c]!;
        kd[i] = kd[c]!;
        ag[i] = ag[c]!;
        ob[i] = ob[c];
        i = c;
      }
      tm[i] = t;
      sq[i] = s;
      kd[i] = k;
      ag[i] = a;
      ob[i] = o;
    }
    ob[last] = undefined;
    return true;
  }

  #grow(): void {
    const cap = this.#time.length * 2;
    const tm = new Float64Array(cap);
    tm.set(this.#time);
    const sq = new Float64Array(cap);
    sq.set(this.#seq);
    const kd = new Int32Array(cap);
    kd.set(this.#kind);
    const ag = new Int32Array(cap);
    ag.set(this.#arg);
    this.#time = tm;
    this.#seq = sq;
    this.#kind = kd;
    this.#arg = ag;
    const ob = this.#obj;
    for (let i = ob.length; i < cap; i++) ob.push(undefined);
  }
}
