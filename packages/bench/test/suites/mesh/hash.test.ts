import { describe, expect, it } from 'vitest';
import {
  add64,
  childId,
  childIdBig,
  edgeSalt,
  H,
  halves,
  mul64,
  rootBase,
  rootIdBig,
  SALT_CHILD,
  SALT_EDGE_BASE,
  SALT_EDGE_STEP,
  SALT_ERROR,
  SALT_LATENCY,
  SALT_REP,
  splitmix64,
  splitmix64Big,
  uniform,
  uniformBig,
} from '../../../src/suites/mesh/call-hash.js';

const big = (): bigint => (BigInt(H.hi) << 32n) | BigInt(H.lo);
const M64 = (1n << 64n) - 1n;

/** Deterministic pseudo-random 64-bit test inputs. */
function* inputs(n: number): Generator<bigint> {
  let x = 0x0123456789abcdefn;
  yield 0n;
  yield M64;
  yield 1n << 63n;
  for (let i = 0; i < n; i++) {
    x = splitmix64Big(x);
    yield x;
  }
}

describe('splitmix64 (§6.3)', () => {
  it('is the standard SplitMix64 step (known outputs of the generator seeded at 0)', () => {
    // The first outputs of Vigna's splitmix64 generator with state 0: each is
    // splitmix64(k·γ) for the k-th step, i.e. splitmix64Big((k−1)·γ) here.
    expect(splitmix64Big(0n)).toBe(0xe220a8397b1dcdafn);
    expect(splitmix64Big(0x9e3779b97f4a7c15n)).toBe(0x6e789e6aa1b965f4n);
    expect(splitmix64Big((2n * 0x9e3779b97f4a7c15n) & M64)).toBe(0x06c45d188009454fn);
  });

  it('the two-halves version agrees with the BigInt oracle', () => {
    for (const x of inputs(2000)) {
      const [hi, lo] = halves(x);
      splitmix64(hi, lo);
      expect(big()).toBe(splitmix64Big(x));
    }
  });

  it('64-bit add and multiply wrap like uint64', () => {
    const xs = [...inputs(300)];
    for (let i = 1; i < xs.length; i++) {
      const a = xs[i - 1]!;
      const b = xs[i]!;
      const [ah, al] = halves(a);
      const [bh, bl] = halves(b);
      add64(ah, al, bh, bl);
      expect(big()).toBe((a + b) & M64);
      mul64(ah, al, bh, bl);
      expect(big()).toBe((a * b) & M64);
    }
  });
});

describe('per-call draws', () => {
  it('uniform = top 53 bits of splitmix64(id XOR salt) / 2^53, in [0, 1)', () => {
    for (const id of inputs(500)) {
      for (const salt of [SALT_LATENCY, SALT_ERROR, edgeSalt(1, 0)]) {
        const [ih, il] = halves(id);
        const [sh, sl] = halves(salt);
        const u = uniform(ih, il, sh, sl);
        expect(u).toBe(uniformBig(id, salt));
        expect(u).toBe(Number(splitmix64Big(id ^ salt) >> 11n) / 2 ** 53);
        expect(u >= 0 && u < 1).toBe(true);
      }
    }
  });

  it('root ids: splitmix64(splitmix64(seed + slot·SALT_CHILD) + n), n from 1', () => {
    const seed = 20241225n;
    for (const slot of [0, 1]) {
      const [bh, bl] = rootBase(seed, slot);
      expect((BigInt(bh) << 32n) | BigInt(bl)).toBe(
        splitmix64Big((seed + BigInt(slot) * SALT_CHILD) & M64),
      );
      for (const n of [1, 2, 3, 1000, 2 ** 32 + 5]) {
        add64(bh, bl, Math.floor(n / 2 ** 32), n >>> 0);
        splitmix64(H.hi, H.lo);
        expect(big()).toBe(rootIdBig(seed, slot, n));
      }
    }
    // Pinned: the first edge-api root of the benchmark seed.
    expect(rootIdBig(20241225n, 0, 1)).toBe(splitmix64Big((splitmix64Big(20241225n) + 1n) & M64));
  });

  it('child ids: splitmix64(parent + (edge+1)·SALT_CHILD + k·SALT_REP)', () => {
    for (const parent of inputs(200)) {
      const [ph, pl] = halves(parent);
      for (const [edge, k] of [
        [0, 0],
        [1, 0],
        [2, 3],
        [1, 9],
      ] as const) {
        childId(ph, pl, edge, k);
        expect(big()).toBe(childIdBig(parent, edge, k));
        expect(big()).toBe(
          splitmix64Big((parent + BigInt(edge + 1) * SALT_CHILD + BigInt(k) * SALT_REP) & M64),
        );
      }
    }
  });

  it('edge-draw salts: base + edge·step + k·rep (mod 2^64)', () => {
    expect(edgeSalt(0, 0)).toBe(SALT_EDGE_BASE);
    expect(edgeSalt(2, 0)).toBe((SALT_EDGE_BASE + 2n * SALT_EDGE_STEP) & M64);
    expect(edgeSalt(1, 4)).toBe((SALT_EDGE_BASE + SALT_EDGE_STEP + 4n * SALT_REP) & M64);
  });

  it('uses the spec salts', () => {
    expect(SALT_LATENCY).toBe(0xa24baed4963ee407n);
    expect(SALT_ERROR).toBe(0x9fb21c651e98df25n);
    expect(SALT_EDGE_BASE).toBe(0xd6e8feb86659fd93n);
    expect(SALT_EDGE_STEP).toBe(0x2545f4914f6cdd1dn);
    expect(SALT_CHILD).toBe(0x9e3779b97f4a7c15n);
    expect(SALT_REP).toBe(0xc2b2ae3d27d4eb4fn);
  });

  it('draws are roughly uniform', () => {
    const [sh, sl] = halves(SALT_LATENCY);
    const bins = new Array<number>(10).fill(0);
    const n = 20000;
    for (let i = 1; i <= n; i++) {
      const id = rootIdBig(20241225n, 0, i);
      const [ih, il] = halves(id);
      bins[Math.floor(uniform(ih, il, sh, sl) * 10)]!++;
    }
    for (const b of bins) expect(Math.abs(b - n / 10)).toBeLessThan(200);
  });
});
