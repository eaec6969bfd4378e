import { describe, expect, it } from 'vitest';
import { countDispatcherArrivals, Dispatcher } from '../../../src/sim/arrivals/dispatcher.js';
import { MinHeap } from '../../../src/sim/arrivals/min-heap.js';
import {
  countOpenLoopArrivals,
  OpenLoopGenerator,
  OpenLoopStream,
} from '../../../src/sim/arrivals/open-loop-stream.js';
import { GoRand } from '../../../src/sim/rng/go-rand.js';
import { cyberMonday } from '../../../src/sim/workload/cyber-monday.js';
import { LatencyProfile } from '../../../src/sim/workload/latency-profile.js';
import type { LoadSpec } from '../../../src/sim/workload/load-spec.js';

const SEED = 20241225;

/** A GoRand whose draws are scripted (for exact rule tests). Defaults: exp 1, uniform 0. */
class ScriptedRand extends GoRand {
  private readonly exps: number[];
  private readonly unis: number[];
  constructor(exps: number[], unis: number[] = []) {
    super(0, 0);
    this.exps = [...exps];
    this.unis = [...unis];
  }
  override expFloat64(): number {
    return this.exps.shift() ?? 1;
  }
  override float64(): number {
    return this.unis.shift() ?? 0;
  }
}

/** Deterministic xorshift for the heap tests (not the benchmark RNG). */
function xorshift(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s;
  };
}

describe('MinHeap', () => {
  it('pops in key order, FIFO among equal keys, across growth', () => {
    const h = new MinHeap(2);
    const rnd = xorshift(7);
    const ref: [number, number][] = [];
    let seq = 0;
    for (let round = 0; round < 50; round++) {
      const pushes = rnd() % 200;
      for (let i = 0; i < pushes; i++) {
        const key = rnd() % 50; // many ties
        h.push(key, seq);
        ref.push([key, seq]);
        seq++;
      }
      ref.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
      const pops = rnd() % 200;
      for (let i = 0; i < pops && ref.length > 0; i++) {
        const [key, value] = ref.shift()!;
        expect(h.peekKey()).toBe(key);
        expect(h.peekValue()).toBe(value);
        expect(h.pop()).toBe(value);
      }
      expect(h.size).toBe(ref.length);
    }
  });

  it('handles large float keys and values exactly', () => {
    const h = new MinHeap();
    h.push(100_800_215_499_895, 2 ** 40 + 1);
    h.push(100_800_215_499_894, 3);
    expect(h.pop()).toBe(3);
    expect(h.peekKey()).toBe(100_800_215_499_895);
    expect(h.pop()).toBe(2 ** 40 + 1);
  });

  it('empty behaviour and clear()', () => {
    const h = new MinHeap();
    expect(h.size).toBe(0);
    expect(h.peekKey()).toBe(Number.POSITIVE_INFINITY);
    expect(h.peekValue()).toBeNaN();
    expect(() => h.pop()).toThrow(RangeError);
    h.push(1, 1);
    h.push(0, 2);
    h.clear();
    expect(h.size).toBe(0);
    h.push(5, 9);
    expect(h.pop()).toBe(9);
  });
});

const twoSpecs = (): LoadSpec[] => [
  { rpm: 60, errorRate: 0.5, durationS: 2, p50Ms: 2000, p99Ms: 3000, timeoutMs: 4000 },
  { rpm: 120, errorRate: 0.5, durationS: 1, p50Ms: 2000, p99Ms: 3000, timeoutMs: 4000 },
];

describe('Dispatcher (§5.2 exact form)', () => {
  it('applies the rules: stored quotient, truncation, one check, old-rate crossing, discard', () => {
    const d = new Dispatcher(twoSpecs(), new ScriptedRand([0.5, 1, 1, 1 / 3, 2, 5]));
    const got: [number, number][] = [];
    while (d.next()) {
      got.push([d.t, d.specIndex]);
    }
    // I0 = 60e9/60 = 1e9, I1 = 60e9/120 = 5e8.
    expect(got).toEqual([
      [500_000_000, 0], // first request at the first gap, not 0
      [1_500_000_000, 0],
      [2_500_000_000, 1], // crossing arrival: gap drawn at the old rate; belongs to spec 1
      [2_666_666_666, 1], // trunc(1/3 × 5e8)
    ]);
    // Next: 2_666_666_666 + 1e9 → 1.1666 s into spec 1 ≥ 1 s → exhausted, discarded.
    expect(d.done).toBe(true);
    expect(d.count).toBe(4);
    expect(d.t).toBe(3_666_666_666);
    expect(d.next()).toBe(false);
  });

  it('advances at most one spec per arrival', () => {
    const specs = [
      { rpm: 60, durationS: 1 },
      { rpm: 60, durationS: 1 },
      { rpm: 60, durationS: 1 },
    ];
    const d = new Dispatcher(specs, new ScriptedRand([10, 10, 10]));
    const got: [number, number][] = [];
    while (d.next()) {
      got.push([d.t, d.specIndex]);
    }
    expect(got).toEqual([
      [10e9, 1],
      [20e9, 2],
    ]);
  });

  it('rejects rates and durations that would break the stream', () => {
    expect(() => new Dispatcher([{ rpm: 0, durationS: 1 }], SEED)).toThrow(
      'spec 0: rpm must be an integer >= 1 (got rpm=0)',
    );
    expect(
      () =>
        new Dispatcher(
          [
            { rpm: 60, durationS: 1 },
            { rpm: 60, durationS: 0 },
          ],
          SEED,
        ),
    ).toThrow('spec 1: durationS must be an integer >= 1 (got durationS=0)');
    expect(() => new Dispatcher([], SEED)).toThrow(RangeError);
    expect(() => new OpenLoopStream([{ ...twoSpecs()[0]!, rpm: 0.5 }], SEED)).toThrow(
      'spec 0: rpm must be an integer >= 1',
    );
  });

  it('spec 0 only (4 calm hours): 1,442,032 requests', () => {
    expect(countDispatcherArrivals(cyberMonday().slice(0, 1), SEED)).toEqual({
      count: 1_442_032,
      lastT: 14_400_059_850_061,
    });
  });

  it('first incident, specs 0–7: 2,924,096 requests', () => {
    const d = new Dispatcher(cyberMonday().slice(0, 8), SEED);
    const perSpec = new Array<number>(8).fill(0);
    let prev = 0;
    let first = -1;
    let backwards = 0;
    while (d.next()) {
      if (first < 0) {
        first = d.t;
      }
      if (d.t < prev) {
        backwards++;
      }
      prev = d.t;
      perSpec[d.specIndex]!++;
    }
    expect(backwards).toBe(0);
    expect(first).toBe(11_682_378); // trunc(1.1682378018506978 × 1e7)
    expect(d.count).toBe(2_924_096);
    expect(d.t).toBe(18_000_079_432_825);
    expect(perSpec.reduce((a, b) => a + b, 0)).toBe(2_924_096);
    expect(perSpec[0]).toBe(1_442_032);
  });
});

describe('OpenLoopGenerator / OpenLoopStream (§1.2)', () => {
  it('applies the generator rules and the event ordering rules', () => {
    const specs = twoSpecs();
    const prof = new LatencyProfile(2000, 3000, 4000);
    // Per request: exp (gap), uniform (latency), uniform (outcome).
    const rng = new ScriptedRand([1, 1, 1, 1], [0, 0.9, 0.999999, 0.9, 0.999999, 0.1, 0.5, 0.5]);
    const s = new OpenLoopStream(specs, rng);
    const got: [string, number, number, number, number][] = [];
    while (s.next()) {
      got.push([s.kind, s.t, s.id, s.durationNs, s.specIndex]);
    }
    const d1 = 1_000_000_000; // x = 0 → y = a = p50/2 = 1000 ms
    const d2 = Math.trunc(0.99 * 4000 * 1e6); // success clamped to 0.99·timeout
    const d3 = Math.trunc(prof.sampleMs(0.999999) * 1e6); // error: not clamped
    const d4 = Math.trunc(prof.sampleMs(0.5) * 1e6);
    expect(d3).toBeGreaterThan(d2);
    expect(got).toEqual([
      ['start', 0, 1, d1, 0], // first request at the origin
      ['start', 1e9, 2, d2, 0], // tie with completion 1 at 1e9: start first
      ['success', 1e9, 1, d1, 0],
      ['start', 2e9, 3, d3, 1], // switch at 2e9 - 0 >= 2 s
      ['start', 2.5e9, 4, d4, 1], // the new spec's first gap uses the new rate (5e8)
      ['success', 2.5e9 + d4, 4, d4, 1], // 0.5 >= 0.5: success
      ['success', 1e9 + d2, 2, d2, 0],
      ['error', 2e9 + d3, 3, d3, 1],
    ]);
    expect(s.done).toBe(true);
    expect(s.starts).toBe(4);
    expect(s.next()).toBe(false);
  });

  it('equal completion times come out in start order', () => {
    const specs = [{ ...twoSpecs()[0]!, errorRate: 0 }];
    // Gaps 0, 0, 3 s: three requests at t = 0, each lasting exactly 1 s.
    const s = new OpenLoopStream(specs, new ScriptedRand([0, 0, 3], [0, 0.5, 0, 0.5, 0, 0.5]));
    const got: [string, number, number][] = [];
    while (s.next()) {
      got.push([s.kind, s.t, s.id]);
    }
    expect(got).toEqual([
      ['start', 0, 1],
      ['start', 0, 2],
      ['start', 0, 3],
      ['success', 1e9, 1],
      ['success', 1e9, 2],
      ['success', 1e9, 3],
    ]);
  });

  it('consumes exactly three draws per request (exp, uniform, uniform)', () => {
    const specs = cyberMonday().slice(0, 1);
    const g = new OpenLoopGenerator(specs, SEED);
    const ref = GoRand.seeded(SEED);
    const prof = new LatencyProfile(50, 150, 1500);
    let t = 0;
    for (let i = 0; i < 5000; i++) {
      expect(g.next()).toBe(true);
      expect(g.start).toBe(t);
      t += Math.trunc(ref.expFloat64() * 1e7);
      let y = prof.sampleMs(ref.float64());
      const ok = ref.float64() >= 0.005;
      if (ok && y > 0.99 * 1500) {
        y = 0.99 * 1500;
      }
      expect([g.durationNs, g.success]).toEqual([Math.trunc(y * 1e6), ok]);
    }
  });

  it('first incident, specs 0–7: pinned event stream', () => {
    const specs = cyberMonday().slice(0, 8);
    const s = new OpenLoopStream(specs, SEED);
    let h = 0x811c9dc5;
    const mix = (w: number): void => {
      h ^= w;
      h = Math.imul(h, 0x01000193) >>> 0;
    };
    let starts = 0;
    let successes = 0;
    let errors = 0;
    let successNs = 0;
    let prevT = 0;
    let nextId = 1;
    const open = new Set<number>();
    const first: [string, number, number, number, number][] = [];
    while (s.next()) {
      const code = s.kind === 'start' ? 1 : s.kind === 'success' ? 2 : 3;
      mix(code);
      mix(s.t >>> 0);
      mix(Math.floor(s.t / 4294967296));
      mix(s.id);
      mix(s.durationNs >>> 0);
      mix(s.specIndex);
      if (first.length < 8) {
        first.push([s.kind, s.t, s.id, s.durationNs, s.specIndex]);
      }
      if (s.t < prevT) {
        expect.fail(`time went backwards at event for id ${s.id}`);
      }
      prevT = s.t;
      if (code === 1) {
        starts++;
        if (s.id !== nextId++) {
          expect.fail(`ids out of order at ${s.id}`);
        }
        open.add(s.id);
      } else {
        if (!open.delete(s.id)) {
          expect.fail(`completion without start for ${s.id}`);
        }
        if (code === 2) {
          successes++;
          successNs += s.durationNs;
          if (s.durationNs > 0.99 * 1500 * 1e6) {
            expect.fail('success not clamped');
          }
        } else {
          errors++;
        }
      }
    }
    expect(open.size).toBe(0);
    expect(first).toEqual([
      ['start', 0, 1, 32879910, 0],
      ['start', 11682378, 2, 37526435, 0],
      ['start', 29589058, 3, 37716748, 0],
      ['start', 30188516, 4, 73766707, 0],
      ['success', 32879910, 1, 32879910, 0],
      ['start', 45193164, 5, 36554257, 0],
      ['start', 45921162, 6, 62187844, 0],
      ['success', 49208813, 2, 37526435, 0],
    ]);
    expect({ starts, successes, errors, successNs, lastT: prevT, digest: h.toString(16) }).toEqual({
      starts: 2_922_469,
      successes: 2_507_113,
      errors: 415_356,
      successNs: 346_725_232_915_283,
      lastT: 18_000_113_808_680,
      digest: '6b751c5c',
    });
    expect(countOpenLoopArrivals(specs, SEED)).toBe(2_922_469);
  });
});
