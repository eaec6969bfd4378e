/**
 * Completions scheduled but not yet delivered, popped in completion-time
 * order. Each entry holds the completion time (ns), the reported latency (ns),
 * the success flag and an instance tag (which breaker instance gets the
 * outcome; 0 when there is only one).
 *
 * Two lanes, merged on pop:
 * - a binary min-heap keyed on completion time (parallel typed arrays);
 * - a FIFO for entries pushed with non-decreasing times — the timeout failures
 *   (shed, queue drop, crash), which all complete at submit time + timeout.
 *   An entry that would break the FIFO's order goes to the heap instead.
 * Ties between equal times are popped in no particular order (the spec found
 * delivery order among equal times irrelevant). Storage grows by doubling;
 * scheduling a completion allocates nothing.
 */
export class CompletionQueue {
  // Heap lane.
  #time: Float64Array;
  #latency: Float64Array;
  /** tag · 2 + ok. */
  #tagOk: Int32Array;
  #size = 0;

  // FIFO lane (failures only), ring buffer with power-of-two capacity.
  #fTime: Float64Array;
  #fLatency: Float64Array;
  #fTag: Int32Array;
  #fHead = 0;
  #fLen = 0;

  /** Fields of the entry removed by the last `pop()`. */
  poppedTimeNs = 0;
  poppedLatencyNs = 0;
  poppedOk = false;
  poppedTag = 0;

  constructor(initialCapacity = 1 << 12) {
    let cap = 1;
    while (cap < initialCapacity) cap *= 2;
    this.#time = new Float64Array(cap);
    this.#latency = new Float64Array(cap);
    this.#tagOk = new Int32Array(cap);
    this.#fTime = new Float64Array(cap);
    this.#fLatency = new Float64Array(cap);
    this.#fTag = new Int32Array(cap);
  }

  /** Entries pending. */
  get size(): number {
    return this.#size + this.#fLen;
  }

  /** Completion time of the earliest entry; +∞ when empty. */
  peekTimeNs(): number {
    const h = this.#size > 0 ? this.#time[0]! : Number.POSITIVE_INFINITY;
    if (this.#fLen === 0) return h;
    const f = this.#fTime[this.#fHead]!;
    return Math.min(f, h);
  }

  /** Schedule a completion. */
  push(timeNs: number, latencyNs: number, ok: boolean, tag: number): void {
    if (this.#size === this.#time.length) this.#growHeap();
    const time = this.#time;
    const latency = this.#latency;
    const tagOk = this.#tagOk;
    let i = this.#size++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const pt = time[parent]!;
      if (pt <= timeNs) break;
      time[i] = pt;
      latency[i] = latency[parent]!;
      tagOk[i] = tagOk[parent]!;
      i = parent;
    }
    time[i] = timeNs;
    latency[i] = latencyNs;
    tagOk[i] = tag * 2 + (ok ? 1 : 0);
  }

  /**
   * Schedule a failure; cheapest when `timeNs` is not earlier than the previous
   * failure scheduled this way (the usual case: now + a fixed timeout).
   */
  pushFailure(timeNs: number, latencyNs: number, tag: number): void {
    const len = this.#fLen;
    if (len > 0) {
      const last = this.#fTime[(this.#fHead + len - 1) & (this.#fTime.length - 1)]!;
      if (timeNs < last) {
        this.push(timeNs, latencyNs, false, tag);
        return;
      }
    }
    if (len === this.#fTime.length) this.#growFifo();
    const at = (this.#fHead + len) & (this.#fTime.length - 1);
    this.#fTime[at] = timeNs;
    this.#fLatency[at] = latencyNs;
    this.#fTag[at] = tag;
    this.#fLen = len + 1;
  }

  /** Remove the earliest entry into the `popped*` fields. Call only when non-empty. */
  pop(): void {
    if (this.#fLen > 0) {
      const head = this.#fHead;
      const ft = this.#fTime[head]!;
      if (this.#size === 0 || ft < this.#time[0]!) {
        this.poppedTimeNs = ft;
        this.poppedLatencyNs = this.#fLatency[head]!;
        this.poppedOk = false;
        this.poppedTag = this.#fTag[head]!;
        this.#fHead = (head + 1) & (this.#fTime.length - 1);
        this.#fLen--;
        return;
      }
    }
    this.#popHeap();
  }

  /**
   * A crash: every pending successful entry becomes a failure reporting the
   * timeout `timeoutNsAt(submitTimeNs)` of the request submitted at that time
   * (submit time = completion time − latency); completion times are unchanged.
   * Returns how many entries were flipped.
   */
  failAllSuccesses(timeoutNsAt: (submitTimeNs: number) => number): number {
    const tagOk = this.#tagOk;
    const time = this.#time;
    const latency = this.#latency;
    let flipped = 0;
    for (let i = 0; i < this.#size; i++) {
      const v = tagOk[i]!;
      if ((v & 1) === 1) {
        tagOk[i] = v - 1;
        latency[i] = timeoutNsAt(time[i]! - latency[i]!);
        flipped++;
      }
    }
    return flipped;
  }

  #popHeap(): void {
    const time = this.#time;
    const latency = this.#latency;
    const tagOk = this.#tagOk;
    this.poppedTimeNs = time[0]!;
    this.poppedLatencyNs = latency[0]!;
    const top = tagOk[0]!;
    this.poppedOk = (top & 1) === 1;
    this.poppedTag = top >> 1;
    const n = --this.#size;
    if (n === 0) return;
    const t = time[n]!;
    const l = latency[n]!;
    const g = tagOk[n]!;
    let i = 0;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= n) break;
      let ct = time[child]!;
      const right = child + 1;
      if (right < n) {
        const rt = time[right]!;
        if (rt < ct) {
          child = right;
          ct = rt;
        }
      }
      if (ct >= t) break;
      time[i] = ct;
      latency[i] = latency[child]!;
      tagOk[i] = tagOk[child]!;
      i = child;
    }
    time[i] = t;
    latency[i] = l;
    tagOk[i] = g;
  }

  #growHeap(): void {
    const cap = this.#time.length * 2;
    const time = new Float64Array(cap);
    const latency = new Float64Array(cap);
    const tagOk = new Int32Array(cap);
    time.set(this.#time);
    latency.set(this.#latency);
    tagOk.set(this.#tagOk);
    this.#time = time;
    this.#latency = latency;
    this.#tagOk = tagOk;
  }

  #growFifo(): void {
    const old = this.#fTime.length;
    const mask = old - 1;
    const time = new Float64Array(old * 2);
    const latency = new Float64Array(old * 2);
    const tag = new Int32Array(old * 2);
    for (let i = 0; i < this.#fLen; i++) {
      const j = (this.#fHead + i) & mask;
      time[i] = this.#fTime[j]!;
      latency[i] = this.#fLatency[j]!;
      tag[i] = this.#fTag[j]!;
    }
    this.#fTime = time;
    this.#fLatency = latency;
    this.#fTag = tag;
    this.#fHead = 0;
  }
}
