import { describe, expect, it } from 'vitest';
import {
  CapacityController,
  DOWNTIME_NS,
  MeshNode,
  SlotPool,
} from '../../../src/suites/mesh/node.js';

const S = 1e9;
const cfg = { rpsPerReplica: 100, minReplicas: 2, maxReplicas: 16 };

/** Feeds `rps` admitted calls per second for `seconds`, starting at `from`, ticking every second. */
function drive(cc: CapacityController, rps: number, from: number, seconds: number): void {
  const step = S / rps;
  for (let s = 0; s < seconds; s++) {
    const t0 = from + s * S;
    for (let i = 0; i < rps; i++) cc.record(t0 + i * step);
    cc.tick(t0 + S);
  }
}

describe('capacity controller (§6.2 warm start, §5.4 rules)', () => {
  it('starts at the design replicas with the steady demand and does not move at steady load', () => {
    const cc = new CapacityController(cfg, 5, 300);
    expect(cc.live).toBe(5);
    expect(cc.rps).toBe(300);
    drive(cc, 300, 0, 60);
    expect(cc.live).toBe(5);
    expect(cc.pending).toBe(0);
    expect(cc.rps).toBeCloseTo(300, 0);
  });

  it('scales up to ceil(rps / (0.7 × capacity)) after the 30 s lag (strictly after readyAt)', () => {
    const cc = new CapacityController(cfg, 5, 300);
    drive(cc, 1000, 0, 10); // demand estimate converges towards 1,000 RPS
    expect(cc.live).toBe(5);
    cc.tick(15 * S); // evaluation (the first tick at 1 s evaluated; the next due at ≥ 16 s)
    cc.tick(16 * S);
    expect(cc.pending).toBeGreaterThan(0);
    const readyAt = cc.readyAtNs;
    expect(readyAt).toBe(16 * S + 30 * S);
    cc.tick(readyAt);
    expect(cc.pending).toBeGreaterThan(0); // not yet: promotion needs now > readyAt
    cc.tick(readyAt + 1);
    expect(cc.pending).toBe(0);
    expect(cc.live).toBe(Math.ceil(cc.rps / (0.7 * 100)));
  });

  it('never scales down within 600 s of the warm start, and does afterwards when idle', () => {
    const cc = new CapacityController(cfg, 8, 300);
    for (let t = 1; t < 600; t++) cc.tick(t * S);
    expect(cc.live).toBe(8);
    for (let t = 600; t <= 1000; t++) cc.tick(t * S);
    expect(cc.live).toBe(5); // ceil(300 / 70)
  });

  it('after a crash reset: min replicas, nothing pending, the demand estimate kept', () => {
    const cc = new CapacityController(cfg, 5, 300);
    drive(cc, 800, 0, 20);
    const rps = cc.rps;
    cc.resetAfterCrash();
    expect(cc.live).toBe(2);
    expect(cc.pending).toBe(0);
    expect(cc.rps).toBe(rps);
    cc.tick(200 * S); // evaluates at once and scales straight back up (with the lag)
    expect(cc.pending).toBe(Math.ceil(rps / 70) - 2);
  });

  it('demand windows close at ≥ 1 s span with rps = 0.3·rate + 0.7·rps', () => {
    const cc = new CapacityController(cfg, 5, 100);
    cc.record(0);
    cc.record(0.5 * S);
    expect(cc.rps).toBe(100);
    cc.record(1 * S); // 3 requests over 1 s
    expect(cc.rps).toBeCloseTo(0.3 * 3 + 0.7 * 100, 12);
  });
});

describe('slot pool: FIFO through the slot heap', () => {
  it('starts calls at max(now, earliest free slot); latency = wait + service', () => {
    const pool = new SlotPool();
    pool.resize(2);
    expect(pool.assign(0, 10)).toBe(10);
    expect(pool.assign(0, 10)).toBe(10);
    expect(pool.assign(1, 10)).toBe(20); // waits for the first slot
    expect(pool.assign(2, 5)).toBe(15); // the second slot frees at 10
    expect(pool.assign(100, 5)).toBe(105); // idle slots start now
  });

  it('grows with free slots and shrinks by dropping the earliest-free slots', () => {
    const pool = new SlotPool();
    pool.resize(3);
    pool.assign(0, 30);
    pool.assign(0, 20);
    pool.assign(0, 10);
    pool.resize(2); // drops the slot free at 10
    expect(pool.size).toBe(2);
    expect(pool.peek()).toBe(20);
    pool.resize(3);
    expect(pool.peek()).toBe(0);
  });
});

describe('node buffer, crash and restart', () => {
  const node = (): MeshNode => new MeshNode(0, 'edge-api', cfg, 2, 5, 300);

  it('has a 3 s buffer of capacity at the live replicas', () => {
    const n = node();
    expect(n.bufferLimit()).toBe(3 * 100 * 5);
    expect(n.slots.size).toBe(2 * 5);
  });

  it('a crash loses the work and bumps the generation; a restart comes back at min replicas', () => {
    const n = node();
    n.backlog = 42;
    n.crash(10 * S);
    expect(n.crashed).toBe(true);
    expect(n.crashes).toBe(1);
    expect(n.generation).toBe(1);
    expect(n.backlog).toBe(0);
    expect(n.slots.size).toBe(0);
    expect(n.hpa.live).toBe(5); // the controller is reset only at the restart
    n.restart(10 * S + DOWNTIME_NS, 1800 * S);
    expect(DOWNTIME_NS).toBe(120 * S);
    expect(n.crashed).toBe(false);
    expect(n.hpa.live).toBe(2);
    expect(n.slots.size).toBe(4);
    expect(n.bufferLimit()).toBe(600);
    expect(n.downtimeNs).toBe(120 * S);
  });

  it('counts downtime only inside the scenario window', () => {
    const n = node();
    n.crash(1750 * S);
    n.restart(1870 * S, 1800 * S);
    expect(n.downtimeNs).toBe(50 * S);
  });
});
