import { describe, expect, it } from 'vitest';
import { CompletionQueue } from '../src/backend/completion-queue.js';

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

  it('merges the failure FIFO with the heap in time order', () => {
    const q = new CompletionQueue(2);
    q.pushFailure(100, 1500, 7);
    q.push(50, 5, true, 1);
    q.pushFailure(200, 1500, 8);
    q.push(150, 15, true, 2);
    q.pushFailure(120, 1500, 9); // earlier than the FIFO tail: goes to the heap
    q.push(300, 30, false, 3);
    for (let i = 0; i < 20; i++) q.pushFailure(400 + i, 1500, i); // grows the FIFO
    expect(q.size).toBe(26);
    const seen: Array<[number, boolean, number]> = [];
    while (q.size > 0) {
      q.pop();
      seen.push([q.poppedTimeNs, q.poppedOk, q.poppedTag]);
    }
    expect(seen.slice(0, 6)).toEqual([
      [50, true, 1],
      [100, false, 7],
      [120, false, 9],
      [150, true, 2],
      [200, false, 8],
      [300, false, 3],
    ]);
    expect(seen.slice(6).map((e) => e[0])).toEqual(Array.from({ length: 20 }, (_, i) => 400 + i));
  });

  it('failAllSuccesses leaves FIFO failures alone', () => {
    const q = new CompletionQueue();
    q.pushFailure(100, 1500, 0);
    q.push(50, 5, true, 4);
    expect(q.failAllSuccesses(() => 1500)).toBe(1);
    q.pop();
    expect([q.poppedTimeNs, q.poppedLatencyNs, q.poppedOk, q.poppedTag]).toEqual([
      50,
      1500,
      false,
      4,
    ]);
    q.pop();
    expect([q.poppedTimeNs, q.poppedOk]).toEqual([100, false]);
  });
});
