/**
 * Per-request bookkeeping keyed by the request's start time.
 *
 * The `Candidate` interface reports outcomes as `(tNs, latencyNs)` without a
 * request id, but the simulator schedules every completion at exactly
 * `start + latency`, so `tNs − latencyNs` is the start time of the request
 * that completed (exact: both are integers below 2^53). Two requests can share
 * a start time only if an inter-arrival gap truncates to 0 ns; those are kept
 * in FIFO order.
 */
export class PendingByStart<T> {
  readonly #first = new Map<number, T>();
  readonly #more = new Map<number, T[]>();
  #size = 0;

  get size(): number {
    return this.#size;
  }

  put(startNs: number, value: T): void {
    this.#size++;
    if (!this.#first.has(startNs)) {
      this.#first.set(startNs, value);
      return;
    }
    const more = this.#more.get(startNs);
    if (more === undefined) this.#more.set(startNs, [value]);
    else more.push(value);
  }

  /**
   * Removes and returns the entry started at `startNs`; when there is none
   * (an outcome the simulator did not pair with a start), the oldest entry.
   * Undefined when nothing is pending.
   */
  take(startNs: number): T | undefined {
    if (this.#size === 0) return undefined;
    if (this.#first.has(startNs)) return this.#takeAt(startNs);
    const oldest = this.#first.keys().next();
    return oldest.done === true ? undefined : this.#takeAt(oldest.value);
  }

  #takeAt(startNs: number): T {
    const value = this.#first.get(startNs) as T;
    this.#size--;
    const more = this.#more.get(startNs);
    if (more === undefined) {
      this.#first.delete(startNs);
    } else {
      this.#first.set(startNs, more.shift() as T);
      if (more.length === 0) this.#more.delete(startNs);
    }
    return value;
  }
}
