/**
 * Bit-exact port of the parts of Go's `math/rand/v2` that the benchmark suites
 * use, written from docs/BENCHMARKS.md Appendix A:
 *
 * - the PCG source (128-bit LCG state, DXSM output), seeded like `NewPCG`;
 * - `Uint64()`, `Uint32()`, `Float64()` (53-bit) and the 256-layer ziggurat
 *   `ExpFloat64()`.
 *
 * Performance: the hot methods (`float64`, `expFloat64`, `uint32`) use no
 * BigInt and create no objects. The 128-bit state is six 24-bit limbs (the top
 * one 8 bits) held in an `Int32Array`. One LCG step is 21 float64
 * products of a 24-bit state limb by a 24-bit multiplier limb (each < 2⁴⁸,
 * exact), summed per 24-bit column (< 2⁵¹, exact), split into low 24 bits and
 * high part without any serial dependency, then a short int32 carry ripple.
 * (A plain 8-step float carry chain is latency-bound and ~2× slower.) The two
 * 64-bit DXSM multiplies work on uint32 halves: `Math.imul` gives the low
 * words; the one high word each needs comes from a 16-bit split of one factor
 * (two exact float products). Outputs are generated 256 at a time into an
 * `Int32Array` (the state stays in registers across the block) and consumed
 * strictly in order, so the draw methods are tiny and inline into callers;
 * the sequence is exactly Go's. `uint64()` returns a BigInt and is meant for
 * tests / slow paths. `pcg-reference.ts` is the BigInt oracle.
 */
import { EXP_RE, EXP_TABLES } from './exp-tables.js';

// PCG multiplier 2549297995355413924·2⁶⁴ + 4865540595714422341, 24-bit limbs
// (least significant first; the top limb holds bits 120..127).
const M0 = 0xccf645;
const M1 = 0xdf649f;
const M2 = 0xa44385;
const M3 = 0x1fc65d;
const M4 = 0x60ed05;
const M5 = 0x000023;
// PCG increment 6364136223846793005·2⁶⁴ + 1442695040888963407, 24-bit limbs.
const J0 = 0x67814f;
const J1 = 0x7b7ef7;
const J2 = 0x2d1405;
const J3 = 0x4c957f;
const J4 = 0x51f42d;
const J5 = 0x000058;
// DXSM multiplier 0xda942042e4dd58b5: 32-bit halves (as int32 for Math.imul)
// and the 16-bit halves of the low word.
const C_LO = 0xe4dd58b5 | 0;
const C_HI = 0xda942042 | 0;
const C_LO_L = 0x58b5;
const C_LO_H = 0xe4dd;

const INV16 = 1 / 65536; // 2^-16
const INV24 = 1 / 16777216; // 2^-24
const TWO32 = 4294967296; // 2^32
const INV53 = 1 / 9007199254740992; // 2^-53

const KE = EXP_TABLES.ke;
const WE = EXP_TABLES.we;
const FE = EXP_TABLES.fe;

/** Outputs generated per refill. */
const BLOCK = 256;

const TWO64 = 1n << 64n;
const MASK128 = (1n << 128n) - 1n;
const PCG_MUL = (2549297995355413924n << 64n) + 4865540595714422341n;
const PCG_INC = (6364136223846793005n << 64n) + 1442695040888963407n;
const MASK64 = TWO64 - 1n;

function toUint64(value: bigint | number, name: string): bigint {
  let v: bigint;
  if (typeof value === 'bigint') {
    v = value;
  } else {
    if (!Number.isSafeInteger(value)) {
      throw new RangeError(`${name} must be a safe integer or a bigint (got ${value})`);
    }
    v = BigInt(value);
  }
  if (v < -(1n << 63n) || v >= TWO64) {
    throw new RangeError(`${name} must be in [-2^63, 2^64) (got ${v})`);
  }
  return v & MASK64;
}

/**
 * Go `math/rand/v2` `Rand` over a `PCG` source. `new GoRand(a, b)` is
 * `rand.New(rand.NewPCG(a, b))`: the state is stored directly as
 * `hi = a, lo = b` (no hashing, no warm-up). Seeds may be numbers (safe
 * integers) or bigints; negative values are taken modulo 2⁶⁴ like Go's
 * `uint64(int64)` conversion.
 */
export class GoRand {
  // State after the last *generated* output: S = Σ st[k]·2^(24k)
  // (st[0..4] 24-bit, st[5] 8-bit). A typed array keeps loads/stores untagged int32.
  private readonly st = new Int32Array(6);
  // The state before the current block (for `state()`).
  private readonly blockStart = new Int32Array(6);
  // Outputs are generated BLOCK at a time: buf[2k] = high 32 bits, buf[2k+1] =
  // low 32 bits of output k (int32 bit patterns); pos = 2 × number consumed.
  // Draws consume them strictly in order, so the sequence is exactly Go's.
  private readonly buf = new Int32Array(2 * BLOCK);
  private pos = 2 * BLOCK;

  constructor(seed1: bigint | number, seed2: bigint | number) {
    const s = (toUint64(seed1, 'seed1') << 64n) | toUint64(seed2, 'seed2');
    const st = this.st;
    for (let k = 0; k < 5; k++) {
      st[k] = Number((s >> BigInt(24 * k)) & 0xffffffn);
    }
    st[5] = Number((s >> 120n) & 0xffn);
    this.blockStart.set(st);
  }

  /**
   * The benchmark seeding convention (docs/BENCHMARKS.md §1.3): `NewPCG(seed, seed >> 32)`
   * (arithmetic shift of the int64 seed). For seed 20241225 that is (20241225, 0).
   */
  static seeded(seed: bigint | number): GoRand {
    const s = typeof seed === 'bigint' ? seed : BigInt(toSafeInt(seed));
    return new GoRand(s, s >> 32n);
  }

  /**
   * The current 128-bit state as a BigInt (`hi·2⁶⁴ + lo`), i.e. Go's PCG state
   * after the draws made so far; for tests and debugging (slow).
   */
  state(): bigint {
    if (this.pos === 2 * BLOCK) {
      // Every generated output has been consumed (or none generated yet).
      return this.stBig();
    }
    let s = 0n;
    for (let k = 5; k >= 0; k--) {
      s = (s << 24n) | BigInt(this.blockStart[k]!);
    }
    for (let i = 0; i < this.pos / 2; i++) {
      s = (s * PCG_MUL + PCG_INC) & MASK128;
    }
    return s;
  }

  private stBig(): bigint {
    let s = 0n;
    for (let k = 5; k >= 0; k--) {
      s = (s << 24n) | BigInt(this.st[k]!);
    }
    return s;
  }

  /**
   * Generates the next BLOCK outputs into `buf` (state kept in registers for
   * the whole block) and resets `pos`. Each output: one LCG step, then DXSM.
   */
  private refill(): void {
    const st = this.st;
    const buf = this.buf;
    this.blockStart.set(st);
    let l0 = st[0]!;
    let l1 = st[1]!;
    let l2 = st[2]!;
    let l3 = st[3]!;
    let l4 = st[4]!;
    let l5 = st[5]!;
    for (let k = 0; k < 2 * BLOCK; k += 2) {
      // S·MUL + INC (mod 2^128): column sums at 24-bit positions (exact, < 2^51).
      const s0 = l0 * M0 + J0;
      const s1 = l0 * M1 + l1 * M0 + J1;
      const s2 = l0 * M2 + l1 * M1 + l2 * M0 + J2;
      const s3 = l0 * M3 + l1 * M2 + l2 * M1 + l3 * M0 + J3;
      const s4 = l0 * M4 + l1 * M3 + l2 * M2 + l3 * M1 + l4 * M0 + J4;
      const s5 = l0 * M5 + l1 * M4 + l2 * M3 + l3 * M2 + l4 * M1 + l5 * M0 + J5;
      // Each column = high·2^24 + low; `x & 0xffffff` takes the low 24 bits of
      // the exact integer (ToInt32 is exact modulo 2^32), `(x * 2^-24) | 0` the
      // high part (< 2^27, so truncation is floor). Then ripple the small carries.
      const n0 = s0 & 0xffffff;
      let v = (s1 & 0xffffff) + ((s0 * INV24) | 0);
      const n1 = v & 0xffffff;
      v = (v >>> 24) + (s2 & 0xffffff) + ((s1 * INV24) | 0);
      const n2 = v & 0xffffff;
      v = (v >>> 24) + (s3 & 0xffffff) + ((s2 * INV24) | 0);
      const n3 = v & 0xffffff;
      v = (v >>> 24) + (s4 & 0xffffff) + ((s3 * INV24) | 0);
      const n4 = v & 0xffffff;
      v = (v >>> 24) + (s5 & 0xffffff) + ((s4 * INV24) | 0);
      const n5 = v & 0xff;
      l0 = n0;
      l1 = n1;
      l2 = n2;
      l3 = n3;
      l4 = n4;
      l5 = n5;

      // 32-bit words of the new state (int32 bit patterns): lo = (w1, w0), hi = (w3, w2).
      const w0 = n0 | (n1 << 24);
      const w1 = (n1 >>> 8) | (n2 << 16);
      const w2 = (n2 >>> 16) | (n3 << 8);
      const w3 = n4 | (n5 << 24);

      // DXSM. h = hi; h ^= h >> 32  →  (w3, w2 ^ w3).
      const a0 = w2 ^ w3;
      // h *= 0xda942042e4dd58b5 (mod 2^64). High word of a0·C_LO, exactly:
      // floor((a0·C_LO_H + floor(a0·C_LO_L / 2^16)) / 2^16).
      const a0u = a0 >>> 0;
      let t = ((a0u * C_LO_H + ((a0u * C_LO_L * INV16) >>> 0)) * INV16) >>> 0;
      const y1 = (t + Math.imul(a0, C_HI) + Math.imul(w3, C_LO)) | 0;
      // h ^= h >> 48
      const b0 = Math.imul(a0, C_LO) ^ (y1 >>> 16);
      // h *= lo | 1 (mod 2^64)
      const m0 = w0 | 1;
      const b0u = b0 >>> 0;
      t = ((b0u * (m0 >>> 16) + ((b0u * (m0 & 0xffff) * INV16) >>> 0)) * INV16) >>> 0;
      buf[k] = t + Math.imul(b0, w1) + Math.imul(y1, m0);
      buf[k + 1] = Math.imul(b0, m0);
    }
    st[0] = l0;
    st[1] = l1;
    st[2] = l2;
    st[3] = l3;
    st[4] = l4;
    st[5] = l5;
    this.pos = 0;
  }

  /** Index (into `buf`) of the next output, refilling when the block is used up. */
  private take(): number {
    let p = this.pos;
    if (p === 2 * BLOCK) {
      this.refill();
      p = 0;
    }
    this.pos = p + 2;
    return p;
  }

  /** Go `Uint64()`: one source output (BigInt; slow path). */
  uint64(): bigint {
    const p = this.take();
    return (BigInt(this.buf[p]! >>> 0) << 32n) | BigInt(this.buf[p + 1]! >>> 0);
  }

  /** Go `Uint32()`: the top 32 bits of one source output. */
  uint32(): number {
    const p = this.take();
    return this.buf[p]! >>> 0;
  }

  /** Go `Float64()`: the low 53 bits of one source output divided by 2⁵³, in [0, 1). */
  float64(): number {
    const p = this.take();
    const b = this.buf;
    return ((b[p]! & 0x1fffff) * TWO32 + (b[p + 1]! >>> 0)) * INV53;
  }

  /**
   * Go `ExpFloat64()`: exponential with rate 1 by the 256-layer ziggurat
   * (Appendix A.3). Consumes one source output per attempt plus one
   * `Float64()` for every tail/wedge attempt, exactly like Go.
   */
  expFloat64(): number {
    for (;;) {
      const p = this.take();
      const b = this.buf;
      const j = b[p + 1]! >>> 0; // low 32 bits
      const i = b[p]! & 0xff; // bits 32..39
      const x = j * WE[i]!;
      if (j < KE[i]!) {
        return x; // fast path (~98 %)
      }
      const r = this.expSlow(i, x);
      if (r >= 0) {
        return r;
      }
    }
  }

  /** Tail (i = 0) and wedge steps of `expFloat64`; returns −1 on rejection. Kept out of line. */
  private expSlow(i: number, x: number): number {
    if (i === 0) {
      return EXP_RE - Math.log(this.float64());
    }
    const v = Math.fround(this.float64());
    const fi = FE[i]!;
    // fe[i] + float32(v)·(fe[i−1] − fe[i]), each operation rounded to float32.
    const lhs = Math.fround(fi + Math.fround(v * Math.fround(FE[i - 1]! - fi)));
    return lhs < Math.fround(Math.exp(-x)) ? x : -1;
  }
}

function toSafeInt(seed: number): number {
  if (!Number.isSafeInteger(seed)) {
    throw new RangeError(`seed must be a safe integer or a bigint (got ${seed})`);
  }
  return seed;
}
