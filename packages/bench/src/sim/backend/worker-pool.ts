/**
 * The worker pool of the closed-loop backend (docs/BENCHMARKS.md §5.4 "Worker
 * pool"): `slotsPerReplica` slots per live replica, each busy until some time
 * (ns), plus a FIFO queue of the nominal service times of waiting requests,
 * limited to `queueDepthPerReplica` × live replicas.
 *
 * Two ways of moving queued work onto slots, deliberately different:
 * - the real drain (`drain`) runs at a submit and starts each item at
 *   max(slot free time, now);
 * - the wait estimate for a new queued item (`enqueue`) replays the whole queue
 *   through a copy of the slots, each item starting at the copied slot's
 *   busy-until value (no max with now), and answers when a slot would free up
 *   after that.
 *
 * Representation: only the busy-until times of *busy* slots are kept, in a
 * min-heap; the other slots are free. This is exact because a free slot's old
 * busy-until value (≤ now, and now never goes back) is never used: a drained or
 * new item starts at max(value, now) = now, the replay only runs when every
 * slot is busy, and shrinking removes the earliest-free slots, i.e. free slots
 * before any busy one. Times leave the heap (`#expire`) once they are ≤ now.
 * The replay's result is cached and extended item by item while only appends
 * happen; anything that changes the slots or removes queued items drops it.
 */
export class WorkerPool {
  /** Min-heap of the busy-until times of busy slots (`#busy` entries). */
  #heap: Float64Array;
  #busy = 0;
  /** Total slots. */
  #slots = 0;
  readonly #slotsPerReplica: number;
  readonly #depthPerReplica: number;
  #queueLimit = 0;

  /** FIFO ring of nominal service times (ns); capacity a power of two. */
  #queue: Float64Array;
  #qHead = 0;
  #qLen = 0;

  /** Replay of the current queue through the current slots, when `#replayValid`. */
  #replay: Float64Array;
  #replayValid = false;

  constructor(slotsPerReplica: number, queueDepthPerReplica: number, replicas: number) {
    this.#slotsPerReplica = slotsPerReplica;
    this.#depthPerReplica = queueDepthPerReplica;
    this.#heap = new Float64Array(64);
    this.#replay = new Float64Array(64);
    this.#queue = new Float64Array(256);
    this.resize(replicas);
  }

  /** Total slots (live replicas × slots per replica). */
  get slots(): number {
    return this.#slots;
  }

  /** Items waiting in the queue. */
  get queued(): number {
    return this.#qLen;
  }

  /** Maximum queue length (queue depth × live replicas). */
  get queueLimit(): number {
    return this.#queueLimit;
  }

  /**
   * Match the pool to `replicas` live replicas: new slots are free; shrinking
   * removes the earliest-free slots one at a time (free ones first).
   */
  resize(replicas: number): void {
    this.#queueLimit = this.#depthPerReplica * replicas;
    const want = this.#slotsPerReplica * replicas;
    if (want === this.#slots) return;
    this.#replayValid = false;
    if (want > this.#heap.length) {
      let cap = this.#heap.length;
      while (cap < want) cap *= 2;
      const heap = new Float64Array(cap);
      heap.set(this.#heap.subarray(0, this.#busy));
      this.#heap = heap;
      this.#replay = new Float64Array(cap);
    }
    this.#slots = want;
    while (this.#busy > want) this.#popMin();
  }

  /**
   * Step 1 of a submit: forget slots that are free by `nowNs`, then start
   * queued items on free slots, at `nowNs`.
   */
  drain(nowNs: number): void {
    this.#expire(nowNs);
    if (this.#qLen === 0 || this.#busy === this.#slots) return;
    this.#replayValid = false;
    const queue = this.#queue;
    const mask = queue.length - 1;
    do {
      const nominal = queue[this.#qHead]!;
      this.#qHead = (this.#qHead + 1) & mask;
      this.#qLen--;
      this.#push(nowNs + nominal);
    } while (this.#qLen > 0 && this.#busy < this.#slots);
  }

  /** Slots busy at `nowNs` (busy-until strictly after now). */
  busyCount(nowNs: number): number {
    this.#expire(nowNs);
    return this.#busy;
  }

  /** True when some slot is free at the time of the last `drain`/`busyCount`. */
  hasFreeSlot(): boolean {
    return this.#busy < this.#slots;
  }

  /** Step 6: occupy a free slot from `nowNs` for `nominalNs`. */
  occupy(nowNs: number, nominalNs: number): void {
    this.#replayValid = false;
    this.#push(nowNs + nominalNs);
  }

  /**
   * Step 8 (every slot busy): the wait (ns, ≥ 0) a new item would see after the
   * whole queue is replayed through the slots; then the item joins the queue.
   */
  enqueue(nowNs: number, nominalNs: number): number {
    const replay = this.#replay;
    const n = this.#busy;
    if (!this.#replayValid) {
      replay.set(this.#heap.subarray(0, n));
      const queue = this.#queue;
      const mask = queue.length - 1;
      for (let i = 0; i < this.#qLen; i++) {
        siftDownFromTop(replay, n, replay[0]! + queue[(this.#qHead + i) & mask]!);
      }
      this.#replayValid = true;
    }
    const freeAt = replay[0]!;
    siftDownFromTop(replay, n, freeAt + nominalNs);
    this.#append(nominalNs);
    const wait = freeAt - nowNs;
    return Math.max(wait, 0);
  }

  /** A crash: every slot busy until `untilNs`, the queue emptied. */
  crash(untilNs: number): void {
    this.#heap.fill(untilNs, 0, this.#slots);
    this.#busy = this.#slots;
    this.#clearQueue();
  }

  /** Recovery: every slot free, the queue emptied. */
  reset(): void {
    this.#busy = 0;
    this.#clearQueue();
  }

  /** Drop busy-until times that are ≤ now: those slots are free. */
  #expire(nowNs: number): void {
    const heap = this.#heap;
    if (this.#busy === 0 || heap[0]! > nowNs) return;
    this.#replayValid = false;
    do {
      this.#popMin();
    } while (this.#busy > 0 && heap[0]! <= nowNs);
  }

  #clearQueue(): void {
    this.#qHead = 0;
    this.#qLen = 0;
    this.#replayValid = false;
  }

  #append(nominalNs: number): void {
    if (this.#qLen === this.#queue.length) this.#growQueue();
    const queue = this.#queue;
    queue[(this.#qHead + this.#qLen) & (queue.length - 1)] = nominalNs;
    this.#qLen++;
  }

  #growQueue(): void {
    const old = this.#queue;
    const mask = old.length - 1;
    const queue = new Float64Array(old.length * 2);
    for (let i = 0; i < this.#qLen; i++) queue[i] = old[(this.#qHead + i) & mask]!;
    this.#queue = queue;
    this.#qHead = 0;
  }

  #push(value: number): void {
    const heap = this.#heap;
    let i = this.#busy++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = heap[parent]!;
      if (p <= value) break;
      heap[i] = p;
      i = parent;
    }
    heap[i] = value;
  }

  #popMin(): void {
    const n = --this.#busy;
    if (n > 0) siftDownFromTop(this.#heap, n, this.#heap[n]!);
  }
}

/** Replace the root of the `n`-entry min-heap `heap` with `value` and sift it down. */
function siftDownFromTop(heap: Float64Array, n: number, value: number): void {
  let i = 0;
  for (;;) {
    let child = 2 * i + 1;
    if (child >= n) break;
    let c = heap[child]!;
    const right = child + 1;
    if (right < n) {
      const r = heap[right]!;
      if (r < c) {
        child = right;
        c = r;
      }
    }
    if (c >= value) break;
    heap[i] = c;
    i = child;
  }
  heap[i] = value;
}
