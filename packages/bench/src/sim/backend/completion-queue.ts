/**
 * Completions scheduled but not yet delivered, popped in completion-time
 * order. Each entry holds the completion time (ns), the reported latency (ns),
 * the success flag and an instance tag (which breaker instance gets the
 * outcome; 0 when there is only one).
 *
 * One binary min-heap keyed only on completion time (parallel typed arrays),
 * operated exactly like Go's `container/heap` as upstream uses it: push =
 * append + sift up (stop when the parent is not greater), pop = move the last
 * entry to the root + sift down (take the right child only when strictly
 * smaller, stop when the smaller child is not smaller). The heap is not stable,
 * so entries with equal times come out in the order this exact procedure
 * gives — which matters: Levee's estimators treat simultaneous completions
 * specially, and the published Levee load-variation figures reproduce only with
 * Go's order (a separate FIFO lane for timeout failures changed it). Storage
 * grows by doubling; scheduling a completion allocates nothing.
 */
export class CompletionQueue {
  #time: Float64Array;
  #latency: Float64Array;
  /** tag · 2 + ok. */
  #tagOk: Int32Array;
  #size = 0;

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
  }

  /** Entries pending. */
  get size(): number {
    return this.#size;
  }

  /** Completion time of the earliest entry; +∞ when empty. */
  peekTimeNs(): number {
    return this.#size > 0 ? this.#time[0]! : Number.POSITIVE_INFINITY;
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

  /** Schedule a failure (shed, queue drop, crash): `push` with `ok = false`. */
  pushFailure(timeNs: number, latencyNs: number, tag: number): void {
    this.push(timeNs, latencyNs, false, tag);
  }

  /** Remove the earliest entry into the `popped*` fields. Call only when non-empty. */
  pop(): void {
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
}
