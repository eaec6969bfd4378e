import { describe, expect, it } from 'vitest';
import { WorkerPool } from '../../../src/sim/backend/worker-pool.js';

describe('WorkerPool sizing', () => {
  it('has 11 slots and a queue limit of 50 per replica by default sizes', () => {
    const p = new WorkerPool(11, 50, 1);
    expect(p.slots).toBe(11);
    expect(p.queueLimit).toBe(50);
    p.resize(8);
    expect(p.slots).toBe(88);
    expect(p.queueLimit).toBe(400);
  });

  it('grows with free slots (busy-until 0)', () => {
    const p = new WorkerPool(2, 10, 1);
    p.occupy(0, 100);
    p.occupy(0, 200);
    expect(p.busyCount(50)).toBe(2);
    p.resize(2);
    expect(p.slots).toBe(4);
    expect(p.busyCount(50)).toBe(2);
    expect(p.hasFreeSlot()).toBe(true);
  });

  it('shrinks by removing the earliest-free slots', () => {
    const p = new WorkerPool(2, 10, 2);
    p.occupy(0, 300);
    p.occupy(0, 100);
    p.occupy(0, 400);
    p.occupy(0, 200); // slots {100, 200, 300, 400}
    p.resize(1); // removes 100 and 200
    expect(p.slots).toBe(2);
    expect(p.busyCount(0)).toBe(2);
    expect(p.enqueue(0, 10)).toBe(300);
    expect(p.busyCount(350)).toBe(1);
  });
});

describe('WorkerPool load accounting', () => {
  it('counts slots busy strictly after now', () => {
    const p = new WorkerPool(3, 10, 1);
    p.occupy(0, 100);
    p.occupy(0, 200);
    expect(p.busyCount(99)).toBe(2);
    expect(p.busyCount(100)).toBe(1);
    expect(p.busyCount(200)).toBe(0);
  });
});

describe('WorkerPool queue', () => {
  const saturated = (): WorkerPool => {
    const p = new WorkerPool(2, 10, 1);
    p.occupy(0, 100);
    p.occupy(0, 1000); // slots {100, 1000}
    return p;
  };

  it('with an empty queue the wait is earliest busy-until − now', () => {
    const p = saturated();
    expect(p.enqueue(10, 50)).toBe(90);
    expect(p.queued).toBe(1);
  });

  it('replays the whole queue through a copy of the slots, starting each item at the slot time', () => {
    const p = saturated();
    p.enqueue(10, 50); // replay: 100 → 150
    expect(p.enqueue(20, 50)).toBe(130); // waits for 150; replay: 150 → 200
    expect(p.enqueue(30, 10)).toBe(170); // waits for 200
    expect(p.queued).toBe(3);
  });

  it('the real drain starts items at max(slot free time, now), unlike the replay', () => {
    const p = saturated();
    p.enqueue(10, 50);
    p.enqueue(20, 50); // queue [50, 50]; replay would free a slot at 200
    p.drain(120); // slot 100 is free: first item runs 120..170
    expect(p.queued).toBe(1);
    expect(p.busyCount(120)).toBe(2);
    // replay from the real state: 170 → 220, so the next item waits until 220, not 200.
    expect(p.enqueue(130, 10)).toBe(90);
  });

  it('drains as many items as slots are free by now', () => {
    const p = new WorkerPool(3, 10, 1);
    p.occupy(0, 100);
    p.occupy(0, 100);
    p.occupy(0, 100);
    p.enqueue(1, 10);
    p.enqueue(2, 10);
    p.enqueue(3, 10);
    p.enqueue(4, 10);
    p.drain(100);
    expect(p.queued).toBe(1);
    expect(p.busyCount(100)).toBe(3); // all three run 100..110
    p.drain(109);
    expect(p.queued).toBe(1);
    p.drain(110);
    expect(p.queued).toBe(0);
    expect(p.busyCount(110)).toBe(1); // 110..120
  });

  it('keeps a cached replay exact across appends', () => {
    // Compare against a naive replay after every step.
    const slots = [500, 40, 900, 70, 300];
    const p = new WorkerPool(5, 100, 1);
    for (const s of slots) p.occupy(0, s);
    const queue: number[] = [];
    const naive = (now: number): number => {
      const h = [...slots];
      for (const q of queue) {
        h.sort((a, b) => a - b);
        h[0]! += q;
      }
      return Math.max(0, Math.min(...h) - now);
    };
    for (let i = 0; i < 40; i++) {
      const nominal = 13 + ((i * 37) % 90);
      const now = 20 + i;
      expect(p.enqueue(now, nominal)).toBe(naive(now));
      queue.push(nominal);
    }
  });

  it('crash makes all slots busy and empties the queue; reset frees everything', () => {
    const p = new WorkerPool(2, 10, 1);
    p.occupy(0, 100);
    p.enqueue(1, 10);
    p.enqueue(1, 10);
    p.crash(5000);
    expect(p.queued).toBe(0);
    expect(p.busyCount(4999)).toBe(2);
    p.reset();
    expect(p.busyCount(1)).toBe(0);
    expect(p.hasFreeSlot()).toBe(true);
  });

  it('grows its queue storage beyond the initial capacity', () => {
    const p = new WorkerPool(1, 1000, 1);
    p.occupy(0, 10);
    for (let i = 0; i < 600; i++) p.enqueue(1, 10);
    expect(p.queued).toBe(600);
    p.drain(10);
    expect(p.queued).toBe(599);
    expect(p.enqueue(11, 10)).toBe(20 + 599 * 10 - 11);
  });
});
