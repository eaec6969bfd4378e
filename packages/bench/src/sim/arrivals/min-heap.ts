/**
 * Binary min-heap of (key, value) number pairs, backed by parallel
 * `Float64Array`s. No allocation per push: storage doubles when full
 * (amortised), and is never shrunk.
 *
 * Order: smallest key first; among equal keys, first pushed first (FIFO) —
 * ties are broken by an insertion counter, so the pop order is fully
 * determined by the push sequence and independent of the heap layout.
 * Keys must not be NaN. Values are arbitrary numbers (e.g. ids or slot
 * indices); both are stored as float64, so integers up to 2⁵³ are exact.
 *
 * ```ts
 * const h = new MinHeap();
 * h.push(30, 1); h.push(10, 2);
 * h.peekKey(); // 10
 * h.pop();     // 2
 * ```
 */
export class MinHeap {
  private keys: Float64Array;
  private values: Float64Array;
  private seqs: Float64Array;
  private n = 0;
  private counter = 0;

  constructor(initialCapacity = 1024) {
    const cap = Math.max(1, Math.floor(initialCapacity));
    this.keys = new Float64Array(cap);
    this.values = new Float64Array(cap);
    this.seqs = new Float64Array(cap);
  }

  /** Number of entries. */
  get size(): number {
    return this.n;
  }

  /** Smallest key, or `Infinity` when empty. */
  peekKey(): number {
    return this.n > 0 ? this.keys[0]! : Number.POSITIVE_INFINITY;
  }

  /** Value of the entry with the smallest key (not removed); `NaN` when empty. */
  peekValue(): number {
    return this.n > 0 ? this.values[0]! : Number.NaN;
  }

  /** Removes every entry (keeps the storage). */
  clear(): void {
    this.n = 0;
    this.counter = 0;
  }

  /** Inserts `value` with priority `key`. */
  push(key: number, value: number): void {
    if (this.n === this.keys.length) {
      this.grow();
    }
    const keys = this.keys;
    const values = this.values;
    const seqs = this.seqs;
    const seq = this.counter++;
    let i = this.n++;
    // Sift up.
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const pk = keys[parent]!;
      if (pk < key || (pk === key && seqs[parent]! < seq)) {
        break;
      }
      keys[i] = pk;
      values[i] = values[parent]!;
      seqs[i] = seqs[parent]!;
      i = parent;
    }
    keys[i] = key;
    values[i] = value;
    seqs[i] = seq;
  }

  /** Removes the entry with the smallest key and returns its value. Throws when empty. */
  pop(): number {
    const n = this.n;
    if (n === 0) {
      throw new RangeError('MinHeap.pop() on an empty heap');
    }
    const keys = this.keys;
    const values = this.values;
    const seqs = this.seqs;
    const top = values[0]!;
    const last = n - 1;
    this.n = last;
    if (last > 0) {
      const key = keys[last]!;
      const value = values[last]!;
      const seq = seqs[last]!;
      let i = 0;
      // Sift the former last entry down from the root.
      for (;;) {
        let child = 2 * i + 1;
        if (child >= last) {
          break;
        }
        let ck = keys[child]!;
        const right = child + 1;
        if (right < last) {
          const rk = keys[right]!;
          if (rk < ck || (rk === ck && seqs[right]! < seqs[child]!)) {
            child = right;
            ck = rk;
          }
        }
        if (key < ck || (key === ck && seq < seqs[child]!)) {
          break;
        }
        keys[i] = ck;
        values[i] = values[child]!;
        seqs[i] = seqs[child]!;
        i = child;
      }
      keys[i] = key;
      values[i] = value;
      seqs[i] = seq;
    }
    return top;
  }

  private grow(): void {
    const cap = this.keys.length * 2;
    const keys = new Float64Array(cap);
    const values = new Float64Array(cap);
    const seqs = new Float64Array(cap);
    keys.set(this.keys);
    values.set(this.values);
    seqs.set(this.seqs);
    this.keys = keys;
    this.values = values;
    this.seqs = seqs;
  }
}
