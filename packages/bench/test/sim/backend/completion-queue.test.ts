import { describe, expect, it } from 'vitest';
import { CompletionQueue } from '../../../src/sim/backend/completion-queue.js';

describe('CompletionQueue', () => {
  it('pops in completion-time order with all fields', () => {
    const q = new CompletionQueue(2);
    const times = [50, 10, 40, 30, 20, 60, 5];
    times.forEach((t, i) => {
      q.push(t, t * 2, i % 2 === 0, i);
    });
    expect(q.size).toBe(7);
    expect(q.peekTimeNs()).toBe(5);
    const out: number[] = [];
    while (q.size > 0) {
      q.pop();
      out.push(q.poppedTimeNs);
      expect(q.poppedLatencyNs).toBe(q.poppedTimeNs * 2);
      const i = times.indexOf(q.poppedTimeNs);
      expect(q.poppedTag).toBe(i);
      expect(q.poppedOk).toBe(i % 2 === 0);
    }
    expect(out).toEqual([5, 10, 20, 30, 40, 50, 60]);
    expect(q.peekTimeNs()).toBe(Number.POSITIVE_INFINITY);
  });

  it('sorts a large random batch', () => {
    const q = new CompletionQueue(4);
    let x = 12345;
    const values: number[] = [];
    for (let i = 0; i < 5000; i++) {
      x = (x * 1103515245 + 12345) % 2147483648;
      values.push(x);
      q.push(x, 0, true, 0);
    }
    values.sort((a, b) => a - b);
    for (const v of values) {
      q.pop();
      expect(q.poppedTimeNs).toBe(v);
    }
  });

  it('failAllSuccesses flips pending successes to failures with their timeout, times unchanged', () => {
    const q = new CompletionQueue();
    q.push(100, 10, true, 0);
    q.push(200, 20, false, 0);
    q.push(300, 30, true, 0);
    const asked: number[] = [];
    const timeoutAt = (submit: number): number => {
      asked.push(submit);
      return 1500;
    };
    expect(q.failAllSuccesses(timeoutAt)).toBe(2);
    expect(asked.sort((a, b) => a - b)).toEqual([90, 270]); // completion − latency
    const seen: Array<[number, number, boolean]> = [];
    while (q.size > 0) {
      q.pop();
      seen.push([q.poppedTimeNs, q.poppedLatencyNs, q.poppedOk]);
    }
    expect(seen).toEqual([
      [100, 1500, false],
      [200, 20, false],
      [300, 1500, false],
    ]);
  });

  it('pushFailure schedules a failure in the same heap', () => {
    const q = new CompletionQueue(2);
    q.pushFailure(100, 1500, 7);
    q.push(50, 5, true, 1);
    q.pushFailure(120, 1500, 9);
    expect(q.size).toBe(3);
    const seen: Array<[number, boolean, number]> = [];
    while (q.size > 0) {
      q.pop();
      seen.push([q.poppedTimeNs, q.poppedOk, q.poppedTag]);
    }
    expect(seen).toEqual([
      [50, true, 1],
      [100, false, 7],
      [120, false, 9],
    ]);
  });

  it('pops equal times in exactly the order of Go container/heap', () => {
    // Go's container/heap on a slice, written out with Swap as in the Go source.
    const ref: Array<{ t: number; tag: number }> = [];
    const less = (i: number, j: number) => ref[i]!.t < ref[j]!.t;
    const swap = (i: number, j: number) => {
      const x = ref[i]!;
      ref[i] = ref[j]!;
      ref[j] = x;
    };
    const up = (j: number) => {
      for (;;) {
        const i = Math.trunc((j - 1) / 2);
        if (i === j || !less(j, i)) break;
        swap(i, j);
        j = i;
      }
    };
    const down = (i0: number, n: number) => {
      let i = i0;
      for (;;) {
        const j1 = 2 * i + 1;
        if (j1 >= n) break;
        let j = j1;
        const j2 = j1 + 1;
        if (j2 < n && less(j2, j1)) j = j2;
        if (!less(j, i)) break;
        swap(i, j);
        i = j;
      }
    };
    const refPush = (t: number, tag: number) => {
      ref.push({ t, tag });
      up(ref.length - 1);
    };
    const refPop = () => {
      const n = ref.length - 1;
      swap(0, n);
      down(0, n);
      return ref.pop()!;
    };

    const q = new CompletionQueue(4);
    let x = 99;
    const rand = () => {
      x = (x * 1103515245 + 12345) % 2147483648;
      return x;
    };
    let tag = 0;
    const popped: Array<[number, number]> = [];
    const expected: Array<[number, number]> = [];
    for (let round = 0; round < 4000; round++) {
      // Few distinct times, so ties are everywhere; interleave pushes and pops.
      const t = round + (rand() % 8);
      tag++;
      if (tag % 3 === 0) q.pushFailure(t, 1, tag);
      else q.push(t, 1, true, tag);
      refPush(t, tag);
      if (rand() % 3 === 0) {
        q.pop();
        popped.push([q.poppedTimeNs, q.poppedTag]);
        const r = refPop();
        expected.push([r.t, r.tag]);
      }
    }
    while (q.size > 0) {
      q.pop();
      popped.push([q.poppedTimeNs, q.poppedTag]);
      const r = refPop();
      expected.push([r.t, r.tag]);
    }
    expect(popped).toEqual(expected);
  });
});
